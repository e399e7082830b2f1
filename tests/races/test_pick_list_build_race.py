"""Desks building pick lists at the same moment (PostgreSQL, one process per desk).

Four desks, released together, build lists over and over with overlapping filters
(zones, priorities, service levels, small order limits) until nothing is left. Each
order must land on exactly one list, each reservation on exactly one task, and stock
must still agree with the ledger.
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
from app.services.pick_list_builder import PickListRequest as Request
from db.engine import Database
from db.models import Allocation, OrderLine, PickTask
from db.uow import read
from tests.factories import ADDRESS, channel, new_order, stock
from tests.races.harness import run_workers, url_of
from tests.races.pick_list_workers import DeskConfig, DeskReport, desk_worker

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

ORDERS = 240
ZONES = ("A", "B", "C")
SKUS = {f"{zone}-SKU-{n}": f"{zone}-0{n}-01-A" for zone in ZONES for n in range(1, 4)}
SERVICE_LEVELS = ("overnight", "express", "standard", "economy")
DESKS = (
    (Request(max_orders=5), Request(zone="A", single=True, max_orders=3)),
    (Request(priority=2, totes=4, max_orders=6), Request(max_orders=7)),
    (Request(service_level="standard", single=True, max_orders=4), Request(zone="B", totes=3)),
    (Request(zone="C", max_orders=5), Request(totes=2, max_orders=4)),
)


def _seed(db: Database, actor: Actor) -> list[str]:
    """`ORDERS` allocated orders of one or two lines, in one zone or across two."""
    for sku, location in SKUS.items():
        stock(db, actor, {sku: ORDERS}, location=location)
    channel(db)
    rng = random.Random(8)
    orders = [
        replace(
            new_order(
                {sku: rng.randint(1, 2) for sku in rng.sample(sorted(SKUS), rng.randint(1, 2))},
                ref=f"DESK-{n}",
                service_level=rng.choice(SERVICE_LEVELS),
            ),
            ship_to=replace(ADDRESS, address1=f"{n} Desk Street"),
            email=f"desk{n}@example.com",
        )
        for n in range(ORDERS)
    ]
    numbers = create_orders(db, actor, orders).created
    assert len(allocate(db, actor).allocated) == ORDERS
    return numbers


def test_desks_building_at_once_put_every_order_on_exactly_one_list(
    pg_db: Database, actor: Actor
) -> None:
    numbers = _seed(pg_db, actor)

    reports: list[DeskReport] = run_workers(
        desk_worker, [DeskConfig(url_of(pg_db), requests) for requests in DESKS], timeout_s=180
    )

    listed = Counter(number for report in reports for number in report.orders)
    assert sorted(listed) == sorted(numbers)
    assert set(listed.values()) == {1}, [n for n, times in listed.items() if times > 1]
    assert sum(bool(report.lists) for report in reports) >= 2, "the desks did not overlap"

    per_order = read(
        pg_db,
        lambda s: dict(
            s.execute(
                select(OrderLine.order_id, func.count(func.distinct(PickTask.pick_list_id)))
                .join(PickTask, PickTask.order_line_id == OrderLine.id)
                .group_by(OrderLine.order_id)
            ).all()
        ),
    )
    per_reservation = read(
        pg_db,
        lambda s: dict(
            s.execute(
                select(Allocation.id, func.count(PickTask.id))
                .outerjoin(PickTask, PickTask.allocation_id == Allocation.id)
                .where(Allocation.status == "active")
                .group_by(Allocation.id)
            ).all()
        ),
    )
    assert len(per_order) == ORDERS and set(per_order.values()) == {1}
    assert set(per_reservation.values()) == {1}
    assert verify(pg_db) == []
