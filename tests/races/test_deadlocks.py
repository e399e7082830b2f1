"""A real deadlock (40P01) is absorbed by run_in_transaction's retry.

The allocation race itself must produce none: that is asserted, from the same
pg_stat_database counter, in test_allocation_race.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.context import Actor
from db.engine import Database
from db.models import StockLevel
from db.uow import read
from tests.races.harness import deadlocks, run_workers, seed, url_of
from tests.races.workers import DeadlockConfig, deadlock_worker


@pytest.mark.postgres
def test_two_processes_locking_rows_in_opposite_order_both_finish_after_a_retried_deadlock(
    pg_db: Database, actor: Actor
) -> None:
    """Opposite lock order deadlocks for real; the victim's unit of work is retried.

    Proves: PostgreSQL detected at least one deadlock (pg_stat_database.deadlocks went
    up), both processes returned normally, the work ran more than twice in total (a
    retry happened), and each row was changed exactly twice: the victim's first
    attempt was rolled back whole, its retry committed once.
    """
    seed(pg_db, actor, ("DL-A", "DL-B"), 5)

    def versions(session: Session) -> dict[int, int]:
        rows = session.execute(select(StockLevel.id, StockLevel.version)).all()
        return {row_id: version for row_id, version in rows}

    before = read(pg_db, versions)
    row_ids = tuple(sorted(before))
    assert len(row_ids) == 2
    url = url_of(pg_db)
    deadlocks_before = deadlocks(url)

    config = DeadlockConfig(url=url, row_ids=(row_ids[0], row_ids[1]))
    reports = run_workers(deadlock_worker, [config, config], timeout_s=60)

    # Read exactly as the race test does (no polling for the expected value): this also
    # proves that its "no deadlocks" check would have seen one.
    deadlocks_after = deadlocks(url, settle_prefix="deadlock-")
    calls = sum(r.deadlock_calls for r in reports)
    print(f"\ndeadlocks detected: {deadlocks_after - deadlocks_before}; work calls: {calls}")
    assert deadlocks_after > deadlocks_before
    assert calls > 2
    after = read(pg_db, versions)
    assert {row_id: after[row_id] - before[row_id] for row_id in row_ids} == dict.fromkeys(
        row_ids, 2
    )
