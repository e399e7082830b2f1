"""Parent-side helpers: start children together, seed stock, check invariants, read stats."""

from __future__ import annotations

import multiprocessing
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from app.context import Actor
from app.services.integrity import verify
from db.engine import Database
from db.models import Allocation, Order, OrderLine, Product, StockLevel
from db.uow import read
from tests.factories import channel, stock
from tests.races.workers import WorkerReport

LOCATION = "A-01-01-A"
SPAWN = multiprocessing.get_context("spawn")


def seed(db: Database, actor: Actor, skus: Sequence[str], units: int) -> dict[str, int]:
    """Products with `units` each at one pick location, and the web channel."""
    stock(db, actor, dict.fromkeys(skus, units), location=LOCATION)
    channel(db, "web")
    return dict.fromkeys(skus, units)


def expected_on_hand(seeded: dict[str, int], reports: Sequence[WorkerReport]) -> dict[str, int]:
    """What was seeded plus what the children say they received (their own accounting)."""
    expected = dict(seeded)
    for report in reports:
        for sku, units in report.received.items():
            expected[sku] = expected.get(sku, 0) + units
    return expected


def url_of(db: Database) -> str:
    return db.url.render_as_string(hide_password=False)


def run_workers(
    target: Callable[..., None],
    configs: Sequence[Any],
    *,
    timeout_s: float,
    meanwhile: Callable[[threading.Event], None] | None = None,
) -> list[WorkerReport]:
    """Spawn one process per config, release them together, collect one report each.

    The parent joins the barrier too, so `meanwhile` (fault injection, run in a thread
    until the children are done) starts exactly when the race does. Children still
    running after `timeout_s` are killed and the test fails: nothing may hang.
    """
    barrier = SPAWN.Barrier(len(configs) + 1)
    queue = SPAWN.Queue()
    procs = [
        SPAWN.Process(target=target, args=(cfg, n, barrier, queue), name=f"race-{n}", daemon=True)
        for n, cfg in enumerate(configs)
    ]
    for proc in procs:
        proc.start()
    stop = threading.Event()
    thread: threading.Thread | None = None
    reports: list[WorkerReport] = []
    try:
        barrier.wait(timeout=120)
        if meanwhile is not None:
            thread = threading.Thread(target=meanwhile, args=(stop,), daemon=True)
            thread.start()
        deadline = time.monotonic() + timeout_s
        for _ in procs:
            remaining = deadline - time.monotonic()
            try:
                reports.append(queue.get(timeout=max(remaining, 0.1)))
            except Exception:
                alive = [p.name for p in procs if p.is_alive()]
                raise AssertionError(
                    f"workers hung: {len(reports)} of {len(procs)} reported within "
                    f"{timeout_s:.0f} s; still running: {alive}"
                ) from None
        for proc in procs:
            proc.join(timeout=30)
    finally:
        stop.set()
        if thread is not None:
            thread.join(timeout=60)
        for proc in procs:
            if proc.is_alive():
                proc.kill()
                proc.join(timeout=10)
        queue.close()
    reports.sort(key=lambda r: r.worker)
    fatal = [f"worker {r.worker}:\n{r.fatal}" for r in reports if r.fatal]
    assert not fatal, "\n".join(fatal)
    return reports


def total(reports: Sequence[WorkerReport], name: str) -> int:
    return sum(int(getattr(r, name)) for r in reports)


def summary(reports: Sequence[WorkerReport]) -> str:
    names = [
        "attempts",
        "allocated",
        "allocated_by_rival",
        "backordered",
        "attempts_failed",
        "receipts",
        "units_received",
        "cancels",
        "unavailable",
        "check_violations",
        "database_locked",
        "other_errors",
    ]
    slowest = max((r.elapsed_s for r in reports), default=0.0)
    return ", ".join(f"{n}={total(reports, n)}" for n in names) + f", slowest={slowest:.1f}s"


def invariant_problems(db: Database, expected_on_hand: dict[str, int] | None = None) -> list[str]:
    """Every way the race could have corrupted stock or orders, one line each.

    `verify` (ledger = stock, reserved = active allocations, line chains) plus what a
    ship-complete race adds: an allocated order is reserved whole, a waiting or
    cancelled one holds nothing, and on hand is what was seeded plus what was received.
    """
    problems = list(verify(db))

    def work(session: Session) -> list[str]:
        found: list[str] = []
        active = (
            select(Allocation.stock_level_id, func.sum(Allocation.quantity).label("qty"))
            .where(Allocation.status == "active")
            .group_by(Allocation.stock_level_id)
            .subquery()
        )
        on_hand: dict[str, int] = {}
        for sku, level_id, hand, reserved, allocated in session.execute(
            select(
                Product.sku,
                StockLevel.id,
                StockLevel.on_hand,
                StockLevel.reserved,
                func.coalesce(active.c.qty, 0),
            )
            .join(Product, Product.id == StockLevel.product_id)
            .outerjoin(active, active.c.stock_level_id == StockLevel.id)
        ):
            on_hand[sku] = on_hand.get(sku, 0) + hand
            if not 0 <= reserved <= hand:
                found.append(f"stock {sku} #{level_id}: reserved {reserved} outside 0..{hand}")
            if reserved != allocated:
                found.append(f"stock {sku} #{level_id}: reserved {reserved} != active {allocated}")
        if expected_on_hand is not None:
            for sku, expected in sorted(expected_on_hand.items()):
                if on_hand.get(sku, 0) != expected:
                    found.append(f"stock {sku}: on hand {on_hand.get(sku, 0)}, expected {expected}")
        line_active = dict(
            session.execute(
                select(Allocation.order_line_id, func.sum(Allocation.quantity))
                .where(Allocation.status == "active")
                .group_by(Allocation.order_line_id)
            ).all()
        )
        for number, status, line_id, sku, ordered, allocated in session.execute(
            select(
                Order.number,
                Order.status,
                OrderLine.id,
                OrderLine.sku,
                OrderLine.qty_ordered,
                OrderLine.qty_allocated,
            ).join(Order, Order.id == OrderLine.order_id)
        ):
            where = f"order {number} ({status}) line {sku}"
            if not 0 <= allocated <= ordered:
                found.append(f"{where}: allocated {allocated} of {ordered}")
            if allocated != line_active.get(line_id, 0):
                found.append(f"{where}: allocated {allocated} != active {line_active.get(line_id)}")
            if status == "allocated" and allocated != ordered:
                found.append(f"{where}: ship-complete order reserved {allocated} of {ordered}")
            if status != "allocated" and allocated != 0:
                found.append(f"{where}: holds {allocated} units")
        return found

    return problems + read(db, work)


def worker_backends(url: str, prefix: str) -> int:
    engine = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            count = conn.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND application_name LIKE :p"
                ),
                {"p": f"shipshape:{prefix}%"},
            )
            return int(count or 0)
    finally:
        engine.dispose()


def deadlocks(url: str, *, settle_prefix: str | None = None) -> int:
    """pg_stat_database.deadlocks for the database of `url`.

    PostgreSQL 15 keeps statistics in shared memory, but a backend publishes its
    pending counters only now and then, and always when it exits (a moment after it
    leaves pg_stat_activity). So, with `settle_prefix`, wait until the workers'
    backends are gone, then a moment more. pg_stat_force_next_flush() only flushes
    the calling backend's own counters, so it cannot help here.
    """
    if settle_prefix is not None:
        deadline = time.monotonic() + 10
        while worker_backends(url, settle_prefix) and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(0.5)
    engine = create_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_stat_clear_snapshot()"))
            query = "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()"
            return int(conn.scalar(text(query)) or 0)
    finally:
        engine.dispose()
