"""Child processes for the channel-news race: a later export cancelling orders is
imported while packing stations claim and pack the same orders."""

from __future__ import annotations

import io
import time
import traceback
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from typing import Any

from app.context import Actor
from app.errors import OmsError

BARRIER_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class NewsConfig:
    url: str
    role: str  # "import" (the later export) or "pack" (a packing station)
    path: str = ""
    after_packed: int = 0  # the import starts once this many orders are packed


@dataclass
class NewsReport:
    worker: int
    code: int | None = None  # the import's exit status
    out: str = ""
    err: str = ""
    packed: list[str] = field(default_factory=list)
    stopped: str = ""  # why a station stopped before its queue was empty
    fatal: str | None = None


def news_worker(cfg: NewsConfig, worker: int, barrier: Any, queue: Any) -> None:
    report = NewsReport(worker)
    try:
        if cfg.role == "import":
            _import(cfg, barrier, report)
        else:
            _pack(cfg, worker, barrier, report)
    except BaseException:
        report.fatal = traceback.format_exc()
    finally:
        queue.put(report)


def _import(cfg: NewsConfig, barrier: Any, report: NewsReport) -> None:
    from sqlalchemy import func, select

    from app.cli import run
    from db.engine import open_database
    from db.models import Order

    db = open_database(cfg.url, station="import")
    packed = select(func.count()).select_from(Order).where(Order.status == "packed")
    out, err = io.StringIO(), io.StringIO()
    barrier.wait(timeout=BARRIER_TIMEOUT_S)
    deadline = time.monotonic() + BARRIER_TIMEOUT_S
    with db.engine.connect() as conn:
        while conn.scalar(packed) < cfg.after_packed and time.monotonic() < deadline:
            conn.rollback()
            time.sleep(0.05)
    db.dispose()
    with redirect_stdout(out), redirect_stderr(err):
        report.code = run(["--db", cfg.url, "import-orders", cfg.path, "--channel", "web"])
    report.out, report.err = out.getvalue(), err.getvalue()


def _pack(cfg: NewsConfig, worker: int, barrier: Any, report: NewsReport) -> None:
    """Claim and pack until the queue is empty, or an order is taken away mid-pack
    (held by the import: the desk intercepts it, so the station stops there)."""
    from app.services.pack_claims import claim_next_order
    from app.services.pack_completion import PackageSpec, complete_packing
    from app.services.packing import record_pack_scan
    from db.engine import open_database

    station = f"pack-{worker}"
    db = open_database(cfg.url, station=station)
    actor = Actor(username=f"packer-{worker}", station=station)
    try:
        barrier.wait(timeout=BARRIER_TIMEOUT_S)
        while (state := claim_next_order(db, actor)) is not None:
            try:
                for line in state.lines:
                    for _ in range(line.expected - line.scanned):
                        record_pack_scan(db, actor, state.order_id, line.gtin or line.sku)
                complete_packing(db, actor, state.order_id, [PackageSpec()])
            except OmsError as exc:
                report.stopped = f"{state.number}: {exc}"
                return
            report.packed.append(state.number)
    finally:
        db.dispose()
