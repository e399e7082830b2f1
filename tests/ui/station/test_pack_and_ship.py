"""A station set to ship what it packs: one completion packs, dispatches and prints."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.context import Actor
from app.dto import PackResult
from app.services.allocation import allocate
from app.services.catalogue import ProductInput, upsert_products
from app.services.orders import order_detail
from app.services.stations import StationDevices, save_station_devices
from db.engine import Database
from db.models import Shipment, StockLevel
from db.uow import read
from tests.factories import place, stock
from tests.ui.station.conftest import HUMAN_GAP_MS, MUG_GTIN, TEA_GTIN, StationFactory

OFFICE = Actor("admin", "office")


def _on_hand(db: Database) -> int:
    return int(read(db, lambda s: s.scalar(select(func.sum(StockLevel.on_hand)))) or 0)


def test_a_station_that_ships_at_pack_dispatches_the_order_in_the_packing_transaction(
    db: Database, actor: Actor, packer: Actor, open_station: StationFactory, print_folder: Path
) -> None:
    stock(db, actor, {"MUG": 20, "TEA": 20})
    upsert_products(
        db,
        actor,
        [
            ProductInput("MUG", "Mug", (MUG_GTIN,), weight_g=350),
            ProductInput("TEA", "Tea", (TEA_GTIN,), weight_g=120),
        ],
    )
    save_station_devices(db, OFFICE, StationDevices(packer.station, "", "", "", True))
    number = place(db, actor, {"MUG": 1, "TEA": 1})
    allocate(db, actor)
    before = _on_hand(db)
    station = open_station(db=db)
    packed: list[PackResult] = []
    station.window.controller.packed.connect(packed.append)

    station.open(number)
    station.scan(MUG_GTIN)
    assert station.scan(TEA_GTIN) == ("All 2 items scanned - choose the box", "complete")
    station.scan("B:M")
    message, sound = station.answer(
        lambda: station.scanner.enter_by_hand("", pause_ms=HUMAN_GAP_MS)
    )

    assert (message, sound) == (
        f"Label printed on folder  ·  Packing slip printed on folder  ·  "
        f"{number} packed and shipped",
        "ok",
    )
    assert order_detail(db, number).status == "shipped"
    assert _on_hand(db) == before - 2

    def shipment(session: Session) -> Shipment:
        return session.get_one(Shipment, packed[0].shipment_id)

    row = read(db, shipment)
    # One transaction: packed and shipped at the same instant, by this station.
    assert (row.status, row.packed_station) == ("shipped", packer.station)
    assert row.shipped_at == row.packed_at
    label_job = packed[0].print_job_ids[0]
    assert any(p.name.startswith(f"label-{label_job}-") for p in print_folder.iterdir())


def test_a_station_left_as_it_was_only_packs(
    db: Database, actor: Actor, open_station: StationFactory
) -> None:
    stock(db, actor, {"MUG": 5})
    upsert_products(db, actor, [ProductInput("MUG", "Mug", (MUG_GTIN,), weight_g=350)])
    number = place(db, actor, {"MUG": 1})
    allocate(db, actor)
    station = open_station(db=db)

    station.open(number)
    station.scan(MUG_GTIN)
    station.scan("B:M")
    message, _ = station.answer(lambda: station.scanner.enter_by_hand("", pause_ms=HUMAN_GAP_MS))

    assert message.endswith(f"{number} packed")
    assert order_detail(db, number).status == "packed"
