"""The allocation race: processes fighting over scarce stock never oversell.

Each worker is a real process (spawn) with its own engine, released together behind
a barrier, doing a random mix on overlapping multi-line ship-complete orders: create
an order and allocate it, receive a few units (which re-allocates backorders), cancel
one of its own orders. Demand is several times the supply, so nearly every unit is
fought over. The negative control switches allocation's row locks off and must see
the damage; otherwise the race test could not fail and would prove nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import pytest

from app.context import Actor
from db.engine import Database
from tests.factories import stock
from tests.races.harness import (
    LOCATION,
    deadlocks,
    expected_on_hand,
    invariant_problems,
    run_workers,
    seed,
    summary,
    total,
    url_of,
)
from tests.races.workers import RaceConfig, WorkerReport, race_worker

SKUS = tuple(f"RACE-{i:02d}" for i in range(20))
UNITS = 30
PG_WORKERS, PG_ATTEMPTS = 8, 60
SQLITE_WORKERS, SQLITE_ATTEMPTS = 4, 100
CONTROL_ROUNDS = 8  # under a loaded CI machine the workers overlap less: 4 once caught nothing
CONTROL_ATTEMPTS = 40  # per worker and round: it catches in the first round in practice


def race_configs(
    url: str, workers: int, attempts: int, *, locking: bool = True, round_no: int = 0
) -> list[RaceConfig]:
    return [
        RaceConfig(
            url=url,
            skus=SKUS,
            location=LOCATION,
            attempts=attempts,
            locking=locking,
            round_no=round_no,
            seed=round_no,
        )
        for _ in range(workers)
    ]


def assert_clean_race(
    db: Database, reports: Sequence[WorkerReport], seeded: dict[str, int]
) -> None:
    """No exception of any kind, every attempt settled, every invariant holds."""
    errors = [e for r in reports for e in r.errors]
    assert total(reports, "other_errors") == 0, errors
    assert total(reports, "database_locked") == 0, errors
    assert total(reports, "check_violations") == 0
    assert total(reports, "unavailable") == 0
    # Without faults no commit reply is ever lost, so no retry can find its work done.
    assert total(reports, "orders_already_present") + total(reports, "cancels_already_done") == 0
    successes = sum(r.successes for r in reports)
    backordered = total(reports, "backordered")
    assert successes + backordered == total(reports, "attempts")
    assert backordered > 0, "demand never exceeded supply: nothing was fought over"
    assert successes > 0
    assert invariant_problems(db, expected_on_hand(seeded, reports)) == []


@pytest.mark.postgres
def test_eight_processes_racing_for_scarce_stock_never_oversell_or_deadlock(
    pg_db: Database, actor: Actor
) -> None:
    """Row locks in a fixed order keep every balance right under a real 8-process race.

    Proves: 0 <= reserved <= on hand and reserved = active allocations per stock row,
    no line reserved beyond its quantity, an allocated order reserved whole, ledger =
    stock (verify) and on hand = seed + confirmed receipts, every allocation attempt
    ends allocated or backordered with no other exception, and the race adds nothing
    to pg_stat_database.deadlocks: sorted locking produces no 40P01 at all, not even
    ones that the retries would have absorbed silently.
    """
    url = url_of(pg_db)
    seeded = seed(pg_db, actor, SKUS, UNITS)
    deadlocks_before = deadlocks(url)

    reports = run_workers(race_worker, race_configs(url, PG_WORKERS, PG_ATTEMPTS), timeout_s=90)

    print(f"\npostgres race: {summary(reports)}")
    assert_clean_race(pg_db, reports, seeded)
    deadlocks_after = deadlocks(url, settle_prefix="race-")
    print(f"deadlocks during the race: {deadlocks_after - deadlocks_before}")
    assert deadlocks_after == deadlocks_before


@pytest.mark.postgres
def test_the_race_catches_the_oversell_when_locking_is_switched_off(
    pg_db: Database, actor: Actor
) -> None:
    """Negative control: the same race without FOR UPDATE must visibly break.

    Either a CHECK constraint fires in some child (reserved beyond on hand, a line
    allocated beyond its quantity), or the invariants find the damage afterwards (a
    lost update: an order's status or reservation overwritten). Repeated for up to
    CONTROL_ROUNDS rounds, topping up the stock each time, so that it is reliable.
    """
    url = url_of(pg_db)
    seed(pg_db, actor, SKUS, UNITS)
    caught: list[str] = []
    for round_no in range(CONTROL_ROUNDS):
        if round_no:
            stock(pg_db, actor, dict.fromkeys(SKUS, UNITS), location=LOCATION)
        configs = race_configs(url, PG_WORKERS, CONTROL_ATTEMPTS, locking=False, round_no=round_no)
        reports = run_workers(race_worker, configs, timeout_s=90)
        violated: Counter[str] = Counter()
        for report in reports:
            violated.update(report.violated)
        problems = invariant_problems(pg_db)
        print(
            f"\nno-locking round {round_no}: {summary(reports)}; CHECKs fired: "
            f"{dict(violated)}; {len(problems)} invariant problem(s), e.g. {problems[:2]}"
        )
        if violated or problems:
            caught.append(f"round {round_no}: {dict(violated)}, {problems[:5]}")
            break
    assert caught, f"{CONTROL_ROUNDS} rounds without locking and nothing broke: the test is blind"


def test_four_processes_on_one_sqlite_file_are_serialised_by_begin_immediate(
    sqlite_db: Database, actor: Actor
) -> None:
    """BEGIN IMMEDIATE + busy timeout serialise SQLite writers: same race, same invariants.

    `with_for_update` is a no-op on SQLite; the write lock taken at BEGIN is what
    protects the balances. No child may see "database is locked" or any other error.
    """
    url = url_of(sqlite_db)
    seeded = seed(sqlite_db, actor, SKUS, UNITS)

    reports = run_workers(
        race_worker, race_configs(url, SQLITE_WORKERS, SQLITE_ATTEMPTS), timeout_s=90
    )

    print(f"\nsqlite race: {summary(reports)}")
    assert_clean_race(sqlite_db, reports, seeded)
