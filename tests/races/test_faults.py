"""The allocation race under faults: backends killed every 200 ms, the server restarted.

Workers may be told "database unavailable" for some attempts (counted apart and
allowed), but every worker finishes within its deadline, no other exception is
seen, and the invariants hold afterwards. Retries cure a dropped connection; a
commit whose reply was lost is retried too, so the retried work must be idempotent:
the receipts in the ledger may not exceed what the workers attempted.
"""

from __future__ import annotations

import random
import shutil
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import pytest
from sqlalchemy import Engine, create_engine, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.context import Actor
from db.engine import Database
from db.models import StockMove
from db.uow import read
from tests.races.harness import (
    LOCATION,
    invariant_problems,
    run_workers,
    seed,
    summary,
    total,
    url_of,
)
from tests.races.workers import RaceConfig, WorkerReport, race_worker

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

SKUS = tuple(f"FAULT-{i:02d}" for i in range(20))
UNITS = 30
WORKERS, ATTEMPTS = 4, 80
TERMINATE_EVERY_S = 0.2
RESTART_AFTER_S = 1.0


def fault_configs(url: str) -> list[RaceConfig]:
    return [
        RaceConfig(
            url=url,
            skus=SKUS,
            location=LOCATION,
            attempts=ATTEMPTS,
            seed=7,
            pause_after_unavailable_s=0.2,
        )
        for _ in range(WORKERS)
    ]


def admin_engine(url: str) -> Engine:
    return create_engine(url, pool_pre_ping=True, isolation_level="AUTOCOMMIT")


def terminate_one_worker_backend(engine: Engine, rng: random.Random) -> bool:
    """pg_terminate_backend on one random race worker's connection; False if none/down."""
    try:
        with engine.connect() as conn:
            pids = conn.scalars(
                text(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                    "AND application_name LIKE 'shipshape:race-%' AND pid <> pg_backend_pid()"
                )
            ).all()
            if not pids:
                return False
            return bool(
                conn.scalar(text("SELECT pg_terminate_backend(:p)"), {"p": rng.choice(pids)})
            )
    except Exception:
        return False  # the server is restarting: try again on the next tick


def assert_survived(db: Database, reports: Sequence[WorkerReport]) -> None:
    """Every attempt accounted for, only 'unavailable' failures, invariants and ledger hold."""
    errors = [e for r in reports for e in r.errors]
    assert total(reports, "other_errors") == 0, errors
    assert total(reports, "check_violations") == 0
    assert total(reports, "attempts_failed") <= total(reports, "unavailable")
    settled = sum(r.successes for r in reports) + total(reports, "backordered")
    assert settled + total(reports, "attempts_failed") == total(reports, "attempts")
    assert settled > 0
    assert invariant_problems(db) == []

    def received(session: Session) -> tuple[int, int]:
        count, units = session.execute(
            select(func.count(), func.coalesce(func.sum(StockMove.quantity), 0)).where(
                StockMove.kind == "receipt", StockMove.station.like("race-%")
            )
        ).one()
        return int(count), int(units)

    receipts, units = read(db, received)
    confirmed = total(reports, "receipts")
    maybe = total(reports, "receipts_failed")
    assert confirmed <= receipts <= confirmed + maybe, (
        f"{receipts} receipts in the ledger, workers confirmed {confirmed} and saw {maybe} "
        "fail: a receipt retried after its commit reply was lost was applied twice"
    )
    assert units >= total(reports, "units_received")


def test_the_race_survives_worker_backends_terminated_every_200_ms(
    pg_db: Database, actor: Actor
) -> None:
    """Killed connections mid-transaction roll back whole and are retried; nothing hangs."""
    url = url_of(pg_db)
    seed(pg_db, actor, SKUS, UNITS)
    engine = admin_engine(url)
    killed: list[bool] = []

    def terminator(stop: threading.Event) -> None:
        rng = random.Random(11)
        while not stop.wait(TERMINATE_EVERY_S):
            killed.append(terminate_one_worker_backend(engine, rng))

    try:
        reports = run_workers(race_worker, fault_configs(url), timeout_s=120, meanwhile=terminator)
    finally:
        engine.dispose()

    print(f"\nterminated {sum(killed)} backends; {summary(reports)}")
    assert sum(killed) >= 5, "the fault injector hardly hit anything"
    assert_survived(pg_db, reports)


def _cluster(db: Database) -> tuple[str, str] | None:
    """(version, name) of the local Debian cluster serving `db`, if it is one."""
    if db.url.host not in ("127.0.0.1", "localhost", "::1"):
        return None
    with db.engine.connect() as conn:
        name = conn.scalar(text("SHOW cluster_name")) or ""
    version, _, cluster = str(name).partition("/")
    return (version, cluster) if version and cluster else None


def _server_up(url: str, timeout_s: float) -> bool:
    parsed = make_url(url)
    deadline = time.monotonic() + timeout_s
    pg_isready = shutil.which("pg_isready")
    while time.monotonic() < deadline:
        if pg_isready:
            args = [pg_isready, "-q", "-t", "2", "-h", str(parsed.host), "-p", str(parsed.port)]
            if subprocess.run(args, check=False, timeout=10).returncode == 0:
                return True
        else:
            engine = create_engine(url, pool_pre_ping=False)
            try:
                with engine.connect():
                    return True
            except Exception:
                pass
            finally:
                engine.dispose()
        time.sleep(0.5)
    return False


@contextmanager
def server_back_up_afterwards(url: str, cluster: tuple[str, str]) -> Iterator[None]:
    """Whatever happens in the block, leave with the server accepting connections."""
    try:
        yield
    finally:
        up = _server_up(url, 30)
        if not up:  # a failed restart: start it
            start = ["pg_ctlcluster", "--skip-systemctl-redirect", *cluster, "start"]
            subprocess.run(start, capture_output=True, check=False, timeout=90)
            up = _server_up(url, 60)
        assert up, "PostgreSQL did not come back after the restart"


def _start_time(engine: Engine) -> str:
    with engine.connect() as conn:
        return str(conn.scalar(text("SELECT pg_postmaster_start_time()")))


@pytest.mark.serial
def test_the_race_survives_a_postgresql_restart_mid_run(pg_db: Database, actor: Actor) -> None:
    """`pg_ctlcluster restart -m fast` mid-race: workers see 'unavailable' at worst, finish,
    and the balances, the ledger and every order are still consistent."""
    if shutil.which("pg_ctlcluster") is None:
        pytest.skip("SKIPPING POSTGRESQL RESTART TEST - pg_ctlcluster not found on this machine")
    cluster = _cluster(pg_db)
    if cluster is None:
        pytest.skip("SKIPPING POSTGRESQL RESTART TEST - the test server is not a local cluster")
    url = url_of(pg_db)
    seed(pg_db, actor, SKUS, UNITS)
    engine = admin_engine(url)
    started_before = _start_time(engine)
    restarts: list[tuple[int, str]] = []  # (exit code, stderr)
    restart = ["pg_ctlcluster", "--skip-systemctl-redirect", *cluster, "restart", "-m", "fast"]

    def restarter(stop: threading.Event) -> None:
        if stop.wait(RESTART_AFTER_S):
            return
        try:
            done = subprocess.run(restart, capture_output=True, text=True, check=False, timeout=90)
            restarts.append((done.returncode, done.stderr))
        except subprocess.TimeoutExpired:
            restarts.append((-1, "pg_ctlcluster restart timed out after 90 s"))

    try:
        with server_back_up_afterwards(url, cluster):
            reports = run_workers(
                race_worker, fault_configs(url), timeout_s=150, meanwhile=restarter
            )
        started_after = _start_time(engine)
    finally:
        engine.dispose()

    print(f"\nrestarted {cluster}: {summary(reports)}")
    assert len(restarts) == 1, "the race finished before the restart: make it longer"
    assert restarts[0][0] == 0, restarts[0][1]
    assert started_after != started_before, "the server did not actually restart"
    assert_survived(pg_db, reports)
