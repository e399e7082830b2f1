"""Child-process entry point for the receipt-vs-allocate race: one process receives
small deliveries (each allocating the backorders it can serve in its own
transaction), the other places orders and runs the global allocate, both at once."""

from __future__ import annotations

import random
import time
import traceback
from dataclasses import dataclass, field
from typing import Any

BARRIER_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class ReceivingConfig:
    url: str
    role: str  # "receive" or "allocate"
    skus: tuple[str, ...]
    location: str
    rounds: int
    seed: int = 0


@dataclass
class ReceivingReport:
    worker: int
    rounds: int = 0
    allocated: int = 0  # orders allocated by this process's receipts or allocates
    planned: int = 0  # waiting orders this process's allocates locked and planned
    received: dict[str, int] = field(default_factory=dict)  # SKU -> units taken in
    errors: list[str] = field(default_factory=list)
    elapsed_s: float = 0.0
    fatal: str | None = None  # the harness's contract: set only if the child itself broke


def receiving_worker(cfg: ReceivingConfig, worker: int, barrier: Any, queue: Any) -> None:
    report = ReceivingReport(worker)
    try:
        from app.context import Actor
        from app.services.allocation import allocate
        from app.services.intake import create_orders
        from app.services.inventory import StockCount, receive_and_allocate
        from db.engine import open_database
        from tests.races.workers import RaceConfig, race_order

        db = open_database(cfg.url, station=f"race-{cfg.role}-{worker}")
        actor = Actor(username=f"racer{worker}", station=f"race-{worker}")
        rng = random.Random(cfg.seed + worker)
        orders = RaceConfig(url=cfg.url, skus=cfg.skus, location=cfg.location, attempts=0)
        barrier.wait(timeout=BARRIER_TIMEOUT_S)
        started = time.monotonic()
        for n in range(cfg.rounds):
            try:
                if cfg.role == "receive":
                    sku, units = rng.choice(cfg.skus), rng.randint(1, 4)
                    reference = f"DN-{worker}-{n}"
                    count = StockCount(sku, cfg.location, units, receipt=reference)
                    change = receive_and_allocate(db, actor, [count])
                    report.received[sku] = report.received.get(sku, 0) + units
                    report.allocated += len(change.allocated)
                else:
                    create_orders(db, actor, [race_order(orders, worker, n, rng)])
                    result = allocate(db, actor)
                    report.allocated += len(result.allocated)
                    report.planned += sum(
                        map(len, (result.allocated, result.partially_allocated, result.backordered))
                    )
            except Exception as exc:  # every failure is reported, none expected
                report.errors.append(f"round {n}: {type(exc).__name__}: {exc}"[:500])
            report.rounds += 1
        report.elapsed_s = time.monotonic() - started
        db.dispose()
    except BaseException:
        report.fatal = traceback.format_exc()
    finally:
        queue.put(report)
