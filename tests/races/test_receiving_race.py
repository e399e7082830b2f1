"""A receipt allocating in its own transaction against the global allocate (PostgreSQL).

Two real processes on one backlog of ship-complete multi-SKU backorders: one receives
small deliveries, each allocating the orders it can serve (product rows, then orders
by id, then stock rows by id); the other places orders and runs `allocate` over every
waiting order (orders by id, then stock rows by id). Same order, so no deadlock may
show in pg_stat_database, and no unit may be promised twice.
"""

from __future__ import annotations

from random import Random
from typing import cast

import pytest

from app.context import Actor
from app.services.allocation import allocate
from app.services.intake import create_orders
from db.engine import Database
from tests.races.harness import (
    LOCATION,
    deadlocks,
    invariant_problems,
    run_workers,
    seed,
    url_of,
)
from tests.races.receiving_workers import ReceivingConfig, ReceivingReport, receiving_worker
from tests.races.workers import RaceConfig, race_order

pytestmark = pytest.mark.postgres

SKUS = tuple(f"RECV-{i}" for i in range(4))
BACKLOG = 40
RECEIPTS, ALLOCATES = 60, 30


def test_a_receipt_and_the_global_allocate_at_once_neither_deadlock_nor_oversell(
    pg_db: Database, actor: Actor
) -> None:
    url = url_of(pg_db)
    seeded = seed(pg_db, actor, SKUS, 2)
    backlog = RaceConfig(url=url, skus=SKUS, location=LOCATION, attempts=0, round_no=9)
    rng = Random(5)
    create_orders(pg_db, actor, [race_order(backlog, 99, n, rng) for n in range(BACKLOG)])
    assert allocate(pg_db, actor).backordered, "no backlog to fight over"
    before = deadlocks(url)
    configs = [
        ReceivingConfig(url, "receive", SKUS, LOCATION, RECEIPTS),
        ReceivingConfig(url, "allocate", SKUS, LOCATION, ALLOCATES),
    ]

    # run_workers is typed for the allocation race's reports; these are ReceivingReports.
    reports = cast(list[ReceivingReport], run_workers(receiving_worker, configs, timeout_s=120))

    receiver, allocator = reports
    print(
        f"\nreceipts: {receiver.rounds} allocating {receiver.allocated} orders; "
        f"allocates: {allocator.rounds} allocating {allocator.allocated} "
        f"of {allocator.planned} planned; "
        f"slowest {max(receiver.elapsed_s, allocator.elapsed_s):.1f}s"
    )
    assert (receiver.errors, allocator.errors) == ([], [])
    assert (receiver.rounds, allocator.rounds) == (RECEIPTS, ALLOCATES)
    # Both fought over the backlog: receipts allocated from it, and the global allocate
    # locked and planned its orders (whether a leftover unit ever fits one of its new
    # orders depends on the interleaving, so what it allocates may be none).
    assert receiver.allocated > 0 and allocator.planned > 0
    assert deadlocks(url, settle_prefix="race-") == before
    on_hand = {sku: seeded[sku] + receiver.received.get(sku, 0) for sku in SKUS}
    assert invariant_problems(pg_db, on_hand) == []
    # Every receipt served all it could: nothing is left for a last allocate to do.
    assert allocate(pg_db, actor).allocated == []
