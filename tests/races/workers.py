"""Child-process entry points for the race tests.

Spawned children import this module afresh, so the entry functions live here at top
level and take only picklable arguments: a frozen config, the worker number, a
barrier (everyone starts together) and a queue (one `WorkerReport` back per child).
Each child opens its own engine with `open_database(url)`.
"""

from __future__ import annotations

import logging
import random
import time
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

import app.services.allocation as allocation_module
from app.context import Actor
from app.domain.new_order import Address, NewLine, NewOrder
from app.errors import InvalidTransition
from app.services.allocation import allocate
from app.services.intake import create_orders
from app.services.inventory import StockCount, receive_and_allocate
from app.services.order_actions import cancel_order
from db.engine import Database, open_database
from db.models import Order
from db.uow import DatabaseUnavailable, read, run_in_transaction, sqlstate

BARRIER_TIMEOUT_S = 120.0
MAX_ERRORS_KEPT = 8


class BarrierLike(Protocol):
    def wait(self, timeout: float | None = None) -> int: ...


class QueueLike(Protocol):
    def put(self, obj: Any, block: bool = True, timeout: float | None = None) -> None: ...


@dataclass(frozen=True)
class RaceConfig:
    """What one racing worker does: `attempts` operations on a shared set of SKUs."""

    url: str
    skus: tuple[str, ...]
    location: str
    attempts: int
    locking: bool = True
    seed: int = 0
    round_no: int = 0
    allocate_share: float = 0.6  # create + allocate an order
    receive_share: float = 0.2  # receive a few units (the rest: cancel an own order)
    max_line_qty: int = 5
    pause_after_unavailable_s: float = 0.0


@dataclass
class WorkerReport:
    """Counts one child sends back; the parent asserts on the sums."""

    worker: int
    attempts: int = 0  # create + allocate operations
    allocated: int = 0  # ... reserved whole by this call
    allocated_by_rival: int = 0  # ... found already reserved by a concurrent receipt
    backordered: int = 0  # ... insufficient stock
    attempts_failed: int = 0  # ... that raised (any exception)
    receipts: int = 0
    units_received: int = 0
    cancels: int = 0
    cancels_already_done: int = 0  # retry after a lost commit reply found it cancelled
    orders_already_present: int = 0  # retry after a lost commit reply found the order
    receipts_failed: int = 0  # receive attempts that raised (may or may not have landed)
    unavailable: int = 0  # DatabaseUnavailable, any operation
    check_violations: int = 0  # CHECK constraint fired, any operation
    violated: dict[str, int] = field(default_factory=dict)  # constraint name -> times
    database_locked: int = 0  # SQLite "database is locked", any operation
    deadlock_calls: int = 0  # deadlock test: times the work function ran
    other_errors: int = 0
    received: dict[str, int] = field(default_factory=dict)  # SKU -> units, receipts that returned
    errors: list[str] = field(default_factory=list)
    fatal: str | None = None
    elapsed_s: float = 0.0

    @property
    def successes(self) -> int:
        return self.allocated + self.allocated_by_rival

    def note_error(self, where: str, exc: BaseException) -> None:
        self.other_errors += 1
        if len(self.errors) < MAX_ERRORS_KEPT:
            self.errors.append(f"worker {self.worker} {where}: {type(exc).__name__}: {exc}"[:600])


def is_check_violation(exc: BaseException) -> bool:
    if not isinstance(exc, IntegrityError):
        return False
    return sqlstate(exc) == "23514" or "CHECK constraint failed" in str(exc)


def classify(report: WorkerReport, where: str, exc: Exception, cfg: RaceConfig) -> None:
    """Count an exception by kind; anything unforeseen keeps its message for the parent."""
    if isinstance(exc, DatabaseUnavailable):
        report.unavailable += 1
        # A clerk reads "NOT saved - database unavailable" and tries again a moment later.
        time.sleep(cfg.pause_after_unavailable_s)
    elif is_check_violation(exc):
        report.check_violations += 1
        diag = getattr(getattr(exc, "orig", None), "diag", None)
        name = getattr(diag, "constraint_name", None) or "?"
        report.violated[name] = report.violated.get(name, 0) + 1
    elif "database is locked" in str(exc):
        report.database_locked += 1
        report.note_error(where, exc)
    else:
        report.note_error(where, exc)


def race_order(cfg: RaceConfig, worker: int, n: int, rng: random.Random) -> NewOrder:
    """A ship-complete order of 1-3 distinct SKUs; unique customer so no risk hold."""
    skus = rng.sample(cfg.skus, rng.randint(1, min(3, len(cfg.skus))))
    tag = f"r{cfg.round_no}w{worker}n{n}"
    return NewOrder(
        channel="web",
        external_ref=f"#race-{tag}",
        placed_at=datetime.now(UTC) - timedelta(minutes=5),
        ship_to=Address(
            name=f"Racer {tag}",
            address1=f"Dock {tag}",
            city="Berlin",
            postcode="10115",
            country="DE",
        ),
        lines=tuple(
            NewLine(sku, rng.randint(1, cfg.max_line_qty), Decimal("1.00")) for sku in skus
        ),
        email=f"{tag}@race.example",
    )


def _order_id(db: Database, number: str) -> tuple[int, str]:
    def work(session: Session) -> tuple[int, str]:
        row = session.execute(select(Order.id, Order.status).where(Order.number == number)).one()
        return row[0], row[1]

    return read(db, work)


def _number_by_ref(db: Database, external_ref: str) -> str:
    return read(
        db,
        lambda s: s.execute(
            select(Order.number).where(Order.external_ref == external_ref)
        ).scalar_one(),
    )


def _cancelled(db: Database, number: str) -> bool:
    return _order_id(db, number)[1] == "cancelled"


def _create_and_allocate(
    db: Database,
    actor: Actor,
    cfg: RaceConfig,
    worker: int,
    n: int,
    rng: random.Random,
    report: WorkerReport,
    own: list[str],
) -> None:
    report.attempts += 1
    try:
        new = race_order(cfg, worker, n, rng)
        created = create_orders(db, actor, [new])
        if created.already_present == [new.external_ref]:
            # The first attempt committed but its reply was lost; the retry found it.
            report.orders_already_present += 1
            number = _number_by_ref(db, new.external_ref)
        elif len(created.created) == 1 and not created.held:
            number = created.created[0]
        else:
            raise AssertionError(f"order not created cleanly: {created}")
        own.append(number)
        order_id, _ = _order_id(db, number)
        result = allocate(db, actor, order_ids=[order_id])
        if number in result.allocated:
            report.allocated += 1
        elif number in result.backordered:
            report.backordered += 1
        elif result.partially_allocated:
            raise AssertionError(f"{number} partially allocated on a ship-complete channel")
        else:
            # No longer waiting: a concurrent receipt's allocation must have reserved it.
            _, status = _order_id(db, number)
            if status != "allocated":
                raise AssertionError(f"{number} neither allocated nor backordered: {status}")
            report.allocated_by_rival += 1
    except Exception as exc:
        report.attempts_failed += 1
        classify(report, "allocate", exc, cfg)


def _cancel_own(
    db: Database, actor: Actor, cfg: RaceConfig, number: str, report: WorkerReport
) -> None:
    try:
        try:
            cancel_order(db, actor, number, "race test: customer changed their mind")
            report.cancels += 1
        except InvalidTransition:
            if not _cancelled(db, number):
                raise
            # The first attempt committed but its reply was lost; the retry was refused.
            report.cancels_already_done += 1
    except Exception as exc:
        classify(report, f"cancel {number}", exc, cfg)


def race_worker(cfg: RaceConfig, worker: int, barrier: BarrierLike, queue: QueueLike) -> None:
    """Create+allocate, receive and cancel at random, `cfg.attempts` times."""
    report = WorkerReport(worker=worker)
    db: Database | None = None
    try:
        allocation_module.LOCKING = cfg.locking
        if not cfg.locking:
            # The CHECKs fire inside executemany pipelines; psycopg logs each abort.
            logging.getLogger("psycopg").setLevel(logging.ERROR)
        db = open_database(cfg.url, station=f"race-{worker}")
        actor = Actor(username=f"racer{worker}", station=f"race-{worker}")
        rng = random.Random(cfg.seed * 1000 + worker)
        own: list[str] = []
        barrier.wait(timeout=BARRIER_TIMEOUT_S)
        started = time.monotonic()
        for n in range(cfg.attempts):
            roll = rng.random()
            if roll < cfg.allocate_share or (
                roll >= cfg.allocate_share + cfg.receive_share and not own
            ):
                _create_and_allocate(db, actor, cfg, worker, n, rng, report, own)
            elif roll < cfg.allocate_share + cfg.receive_share:
                sku, units = rng.choice(cfg.skus), rng.randint(1, 3)
                try:
                    receive_and_allocate(db, actor, [StockCount(sku, cfg.location, units)])
                    report.receipts += 1
                    report.units_received += units
                    report.received[sku] = report.received.get(sku, 0) + units
                except Exception as exc:
                    report.receipts_failed += 1
                    classify(report, "receive", exc, cfg)
            else:
                _cancel_own(db, actor, cfg, own.pop(rng.randrange(len(own))), report)
        report.elapsed_s = time.monotonic() - started
    except BaseException:
        report.fatal = traceback.format_exc()
    finally:
        if db is not None:
            db.dispose()
        queue.put(report)


@dataclass(frozen=True)
class DeadlockConfig:
    """Two stock rows that worker 0 updates in id order and worker 1 in reverse."""

    url: str
    row_ids: tuple[int, int]
    pause_s: float = 0.4


def deadlock_worker(
    cfg: DeadlockConfig, worker: int, barrier: BarrierLike, queue: QueueLike
) -> None:
    """Update both rows inside run_in_transaction, in opposite orders: one becomes 40P01."""
    report = WorkerReport(worker=worker)
    db: Database | None = None
    try:
        db = open_database(cfg.url, station=f"deadlock-{worker}")
        order = cfg.row_ids if worker % 2 == 0 else cfg.row_ids[::-1]

        def work(session: Session) -> None:
            report.deadlock_calls += 1
            for k, row_id in enumerate(order):
                session.execute(
                    text("UPDATE stock_levels SET version = version + 1 WHERE id = :id"),
                    {"id": row_id},
                )
                if k == 0:
                    time.sleep(cfg.pause_s)

        barrier.wait(timeout=BARRIER_TIMEOUT_S)
        started = time.monotonic()
        run_in_transaction(db, work)
        report.elapsed_s = time.monotonic() - started
    except BaseException:
        report.fatal = traceback.format_exc()
    finally:
        if db is not None:
            db.dispose()
        queue.put(report)
