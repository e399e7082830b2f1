"""The pack station offers the box types the database has, smallest first."""

from __future__ import annotations

from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from app.context import Actor
from app.services.lookups import list_box_types
from db.engine import Database
from db.models import BoxType
from db.uow import run_in_transaction
from ui.station import open_pack_station
from ui.station.box_types import STANDARD_BOXES, BoxCatalogue
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
        ("5", "PAL"),
    ]
    assert catalogue.by_code("pal") == catalogue.by_key("5")
    assert catalogue.unknown_message("XL") == (
        "Unknown box type XL - scan or press one of ENV, S, M, L, PAL"
    )


def test_a_database_without_box_types_falls_back_to_the_standard_four() -> None:
    assert BoxCatalogue.from_views([]) is STANDARD_BOXES


def test_the_opened_pack_station_uses_the_database_box_types(
    qtbot: QtBot, warehouse: Database, packer: Actor
) -> None:
    window = open_pack_station(warehouse, packer)
    qtbot.addWidget(window)
    assert isinstance(window, PackStationWindow)
    try:
        assert window.controller.boxes.keys == ("1", "2", "3", "4")
        first = window.controller.boxes.by_key("1")
        assert first is not None and first.code == "ENV"
    finally:
        window.close()
