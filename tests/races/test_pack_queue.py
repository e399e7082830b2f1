"""Four packing stations work one queue of orders at once (PostgreSQL).

Each station claims the next order with SKIP LOCKED, scans every unit and completes
the pack. Every order must be packed exactly once, by one station, and stock,
ledger and allocations must still agree afterwards.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from app.context import Actor
from app.services.allocation import allocate
from app.services.intake import create_orders
from app.services.integrity import verify
from db.engine import Database
from db.models import Order, Shipment
from db.uow import read
from tests.factories import ADDRESS, channel, new_order, stock
from tests.races.pack_workers import race_stations

ORDERS = 500
STATIONS = 4


@pytest.mark.postgres
@pytest.mark.slow
def test_four_stations_pack_a_shared_queue_each_order_exactly_once(
    pg_db: Database, actor: Actor
) -> None:
    skus = [f"SKU-{i:02d}" for i in range(20)]
    stock(pg_db, actor, dict.fromkeys(skus, 200))
    channel(pg_db, "web")
    rng = random.Random(5)
    orders = [
        replace(
            new_order({rng.choice(skus): rng.randint(1, 2)}, ref=f"Q-{i}"),
            email=f"customer{i}@example.com",
            ship_to=replace(ADDRESS, address1=f"{i} Queue Street"),
        )
        for i in range(ORDERS)
    ]
    create_orders(pg_db, actor, orders)
    assert len(allocate(pg_db, actor).allocated) == ORDERS
    url = pg_db.url.render_as_string(hide_password=False)

    reports = race_stations(url, STATIONS, dispatch=False, timeout=240)

    assert [r.fatal for r in reports if r.fatal] == []
    packed = Counter(number for r in reports for number in r.packed)
    assert len(packed) == ORDERS and set(packed.values()) == {1}
    assert all(r.packed for r in reports), "every station got work"
    assert sum(r.rejected_scans for r in reports) == 0
    shipments_per_order = read(pg_db, lambda s: Counter(s.scalars(select(Shipment.order_id))))
    assert len(shipments_per_order) == ORDERS and set(shipments_per_order.values()) == {1}
    statuses = read(
        pg_db,
        lambda s: dict(s.execute(select(Order.status, func.count()).group_by(Order.status)).all()),
    )
    assert statuses == {"packed": ORDERS}
    assert verify(pg_db) == []
