"""Child-process entry point for the pick-list build race: one desk per process.

A desk builds pick lists with its own filters in turn until a build with no filter
finds nothing left, and reports every order it listed.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from app.context import Actor
from app.services.pick_list_builder import PickListRequest, build_pick_lists, preview_pick_lists
from db.engine import Database, open_database

BARRIER_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class DeskConfig:
    url: str
    requests: tuple[PickListRequest, ...]  # used in turn, build after build


@dataclass
class DeskReport:
    worker: int
    builds: int = 0
    lists: list[str] = field(default_factory=list)
    orders: list[str] = field(default_factory=list)
    fatal: str | None = None
    elapsed_s: float = 0.0


def desk_worker(cfg: DeskConfig, worker: int, barrier: Any, queue: Any) -> None:
    """Build lists until none of the orders waiting is left unlisted; report them."""
    report = DeskReport(worker)
    db: Database | None = None
    try:
        station = f"desk-{worker}"
        db = open_database(cfg.url, station=station)
        actor = Actor(username=f"clerk-{worker}", station=station)
        barrier.wait(timeout=BARRIER_TIMEOUT_S)
        started = time.monotonic()
        for n in count():
            build = build_pick_lists(db, actor, cfg.requests[n % len(cfg.requests)])
            report.builds += 1
            report.lists += [built.number for built in build.lists]
            report.orders += [number for built in build.lists for number in built.orders]
            if not build.lists and not preview_pick_lists(db, PickListRequest()).orders:
                break
        report.elapsed_s = time.monotonic() - started
    except BaseException:
        report.fatal = traceback.format_exc()
    finally:
        if db is not None:
            db.dispose()
        queue.put(report)
