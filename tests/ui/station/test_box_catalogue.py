"""The pack station offers the box types the database has, smallest first, and no others."""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from app.context import Actor
from app.services.lookups import BoxTypeView, list_box_types
from db.engine import Database
from db.models import BoxType
from db.uow import run_in_transaction
from ui.station import open_pack_station
from ui.station.box_types import BoxCatalogue, BoxChoice
from ui.station.pack_station_window import PackStationWindow


def test_box_keys_follow_the_database_smallest_first(warehouse: Database) -> None:
    def add_pallet(session: Session) -> None:
        session.add(
            BoxType(
                code="PAL",
                name="Euro pallet",
                length_mm=1200,
                width_mm=800,
                height_mm=1000,
                tare_g=25000,
            )
        )

    run_in_transaction(warehouse, add_pallet)

    catalogue = BoxCatalogue.from_views(list_box_types(warehouse))

    assert [(b.key, b.code) for b in catalogue.choices] == [
        ("1", "ENV"),
        ("2", "S"),
        ("3", "M"),
        ("4", "L"),
        ("5", "XL"),
        ("6", "PAL"),
    ]
    assert catalogue.by_code("pal") == catalogue.by_key("6")
    assert catalogue.unknown_message("XXL") == (
        "Unknown box type XXL - scan or press one of ENV, S, M, L, XL, PAL"
    )


def test_a_database_without_box_types_offers_none() -> None:
    empty = BoxCatalogue.from_views([])
    assert empty.choices == () and empty.keys == ()
    assert empty.by_key("1") is None and empty.by_key("") is None


def test_box_types_past_the_ninth_are_scanned_not_keyed() -> None:
    views = [BoxTypeView(f"B{n}", f"Box {n}", 100 + n, 100, 100, 10) for n in range(11)]
    catalogue = BoxCatalogue.from_views(views)
    assert catalogue.keys == tuple("123456789")
    assert catalogue.by_code("B10") == BoxChoice("", "B10", "Box 10")


def test_the_opened_pack_station_uses_the_database_box_types(
    qtbot: QtBot, warehouse: Database, packer: Actor
) -> None:
    window = open_pack_station(warehouse, packer)
    qtbot.addWidget(window)
    assert isinstance(window, PackStationWindow)
    try:
        qtbot.waitUntil(lambda: window.controller.setup is not None)
        assert window.controller.boxes.keys == ("1", "2", "3", "4", "5")
        first = window.controller.boxes.by_key("1")
        assert first is not None and first.code == "ENV"
        tile = window.step_panel.tile("XL")
        assert tile is not None and tile.text() == "5  ·  XL\nExtra large box 700x500x400"
    finally:
        window.close()
