"""Child-process entry point for the pick-claim race: one picking station per process.

A station claims the next list, scans its location and units, completes it, and
loops until no list is left open or claimed. It journals its phase to a file
(`claiming`, `holding <id>`, `idle`) so the parent can SIGKILL it at a chosen
moment, and writes its report to `<station>.json` on a clean exit; a killed station
leaves no report, only its traces in the database.
"""

from __future__ import annotations

import json
import os
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import event, func, select

from app.context import Actor
from app.errors import ConcurrencyConflict
from app.services.pick_lists import PickListView
from app.services.pick_scans import record_pick_scan
from app.services.picking import claim_next_pick_list, complete_pick_list
from db.engine import Database, open_database
from db.models import PickList
from db.uow import read

BARRIER_TIMEOUT_S = 120.0
IDLE_POLL_S = 0.1


class BarrierLike(Protocol):
    def wait(self, timeout: float | None = None) -> int: ...


@dataclass(frozen=True)
class StationConfig:
    url: str
    station: str
    workdir: str
    lease_seconds: int
    pause_before_commit_s: float = 0.0  # widens the window in which a kill lands mid-transaction


@dataclass
class StationReport:
    station: str
    claimed: list[int] = field(default_factory=list)
    completed: list[int] = field(default_factory=list)
    lost: list[int] = field(default_factory=list)  # another station took the lapsed claim first
    errors: list[str] = field(default_factory=list)
    fatal: str | None = None
    elapsed_s: float = 0.0


def phase_file(workdir: str, station: str) -> Path:
    return Path(workdir) / f"{station}.phase"


def report_file(workdir: str, station: str) -> Path:
    return Path(workdir) / f"{station}.json"


def read_report(workdir: str, station: str) -> StationReport | None:
    path = report_file(workdir, station)
    if not path.exists():
        return None
    data: dict[str, Any] = json.loads(path.read_text())
    return StationReport(**data)


def _write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)


def _journal(cfg: StationConfig, phase: str) -> None:
    _write_atomically(phase_file(cfg.workdir, cfg.station), phase)


def _unfinished(db: Database) -> int:
    return int(
        read(
            db,
            lambda s: s.scalar(
                select(func.count())
                .select_from(PickList)
                .where(PickList.status.in_(("open", "claimed")))
            ),
        )
        or 0
    )


def _still_mine(db: Database, actor: Actor, pick_list_id: int) -> bool:
    holder = read(
        db,
        lambda s: s.execute(
            select(PickList.status, PickList.claimed_by_station).where(PickList.id == pick_list_id)
        ).one(),
    )
    return tuple(holder) == ("claimed", actor.station)


def _pick(db: Database, actor: Actor, view: PickListView) -> bool:
    """Scan every unit still to pick and complete the list; False if the claim was lost."""
    for task in view.tasks:
        if not task.remaining:
            continue
        for code in [f"L:{task.location}"] + [task.sku] * task.remaining:
            outcome = record_pick_scan(db, actor, view.id, code)
            if not outcome.accepted:
                if not _still_mine(db, actor, view.id):
                    return False
                raise AssertionError(f"{code} refused on {view.number}: {outcome.message}")
    try:
        complete_pick_list(db, actor, view.id)
    except ConcurrencyConflict:
        return False
    return True


def station_worker(cfg: StationConfig, barrier: BarrierLike | None) -> None:
    """Claim, pick and complete lists until none is open or claimed any more.

    The first stations start together behind `barrier`; replacements start at once.
    """
    report = StationReport(station=cfg.station)
    db: Database | None = None
    try:
        db = open_database(cfg.url, station=cfg.station)
        if cfg.pause_before_commit_s:
            pause = cfg.pause_before_commit_s
            event.listen(db.engine, "commit", lambda _conn: time.sleep(pause))
        actor = Actor(username=f"picker-{cfg.station}", station=cfg.station)
        _journal(cfg, "idle")
        if barrier is not None:
            barrier.wait(timeout=BARRIER_TIMEOUT_S)
        started = time.monotonic()
        while True:
            _journal(cfg, "claiming")
            view = claim_next_pick_list(db, actor, lease_seconds=cfg.lease_seconds)
            if view is None:
                _journal(cfg, "idle")
                if not _unfinished(db):
                    break
                time.sleep(IDLE_POLL_S)
                continue
            _journal(cfg, f"holding {view.id}")
            report.claimed.append(view.id)
            (report.completed if _pick(db, actor, view) else report.lost).append(view.id)
        report.elapsed_s = time.monotonic() - started
    except BaseException:
        report.fatal = traceback.format_exc()
    finally:
        if db is not None:
            db.dispose()
        _write_atomically(report_file(cfg.workdir, cfg.station), json.dumps(asdict(report)))
