"""Four stations pack and dispatch at once from one queue of orders (PostgreSQL).

Each dispatch takes stock rows that other stations' orders share, the carrier's number
range and the SSCC counter, under row locks in the same transaction as the pack. Every
order must leave exactly once, and stock, ledger, allocations and e-mails must agree.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.context import Actor
from app.services.allocation import allocate
from app.services.intake import create_orders
from app.services.integrity import verify
from db.engine import Database
from db.models import EmailOutbox, Order, OrderLine, Shipment, StockLevel
from db.uow import read
from tests.factories import ADDRESS, channel, new_order, stock
from tests.races.pack_workers import race_stations

ORDERS = 300
STATIONS = 4
UNITS_EACH = 200


@pytest.mark.postgres
@pytest.mark.slow
def test_four_stations_pack_and_dispatch_a_shared_queue_each_order_once(
    pg_db: Database, actor: Actor
) -> None:
    skus = [f"SKU-{i:02d}" for i in range(8)]  # few SKUs: the stations share stock rows
    stock(pg_db, actor, dict.fromkeys(skus, UNITS_EACH))
    channel(pg_db, "web")
    rng = random.Random(7)
    orders = [  # each its own customer: no two look like one order placed twice
        replace(
            new_order({sku: rng.randint(1, 2) for sku in rng.sample(skus, 2)}, ref=f"D-{i}"),
            email=f"customer{i}@example.com",
            ship_to=replace(ADDRESS, address1=f"{i} Dispatch Street"),
        )
        for i in range(ORDERS)
    ]
    create_orders(pg_db, actor, orders)
    assert len(allocate(pg_db, actor).allocated) == ORDERS
    url = pg_db.url.render_as_string(hide_password=False)

    reports = race_stations(url, STATIONS, dispatch=True, timeout=300)

    assert [r.fatal for r in reports if r.fatal] == []
    left = Counter(number for r in reports for number in r.packed)
    assert len(left) == ORDERS and set(left.values()) == {1}
    assert all(r.packed for r in reports), "every station got work"

    def outcome(s: Session) -> tuple[Any, ...]:
        def counts(column: Any) -> dict[str, int]:
            return {k: v for k, v in s.execute(select(column, func.count()).group_by(column))}

        return (
            counts(Order.status),
            counts(Shipment.status),
            s.scalar(select(func.sum(OrderLine.qty_shipped))),
            tuple(
                s.execute(select(func.sum(StockLevel.on_hand), func.sum(StockLevel.reserved))).one()
            ),
            s.scalar(select(func.count()).where(EmailOutbox.template == "shipped")),
        )

    statuses, shipments, shipped, stock_left, emails = read(pg_db, outcome)
    assert statuses == {"shipped": ORDERS}
    assert shipments == {"shipped": ORDERS}
    assert stock_left == (len(skus) * UNITS_EACH - shipped, 0)
    assert emails == ORDERS
    assert verify(pg_db) == []
