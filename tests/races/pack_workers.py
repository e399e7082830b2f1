"""Child processes for the pack-queue races: claim the next order, scan it, pack it (and
dispatch it in the same unit of work, for the pack-and-dispatch race)."""

from __future__ import annotations

import multiprocessing
import traceback
from dataclasses import dataclass, field
from typing import Any

from app.context import Actor
from app.services.pack_claims import claim_next_order
from app.services.pack_completion import PackageSpec, complete_packing
from app.services.packing import record_pack_scan
from db.engine import open_database


@dataclass
class PackReport:
    station: str
    packed: list[str] = field(default_factory=list)
    rejected_scans: int = 0
    fatal: str | None = None


SPAWN = multiprocessing.get_context("spawn")


def race_stations(url: str, stations: int, *, dispatch: bool, timeout: float) -> list[PackReport]:
    """Start `stations` packing processes at once on one queue; their reports."""
    barrier = SPAWN.Barrier(stations)
    queue = SPAWN.Queue()
    procs = [
        SPAWN.Process(target=pack_until_empty, args=(url, f"pack-{n}", barrier, queue, dispatch))
        for n in range(stations)
    ]
    for proc in procs:
        proc.start()
    reports: list[PackReport] = [queue.get(timeout=timeout) for _ in procs]
    for proc in procs:
        proc.join(timeout=30)
    return reports


def pack_until_empty(
    url: str, station: str, barrier: Any, queue: Any, dispatch: bool = False
) -> None:
    """Claim and pack (and with `dispatch`, ship) orders one by one until none is left;
    report them."""
    report = PackReport(station)
    db = open_database(url, station=station)
    actor = Actor(username=f"packer-{station}", station=station)
    try:
        barrier.wait(timeout=120)
        while (state := claim_next_order(db, actor)) is not None:
            for line in state.lines:
                for _ in range(line.expected - line.scanned):
                    outcome = record_pack_scan(db, actor, state.order_id, line.gtin or line.sku)
                    report.rejected_scans += not outcome.accepted
            complete_packing(db, actor, state.order_id, [PackageSpec()], dispatch=dispatch)
            report.packed.append(state.number)
    except Exception:  # reported to the parent, which fails the test
        report.fatal = traceback.format_exc()
    finally:
        db.dispose()
        queue.put(report)
