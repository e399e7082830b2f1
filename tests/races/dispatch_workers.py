"""Child process for the pack-and-dispatch race: claim the next order, scan it, pack it
and ship it in one unit of work."""

from __future__ import annotations

import traceback
from typing import Any

from app.context import Actor
from app.services.pack_claims import claim_next_order
from app.services.pack_completion import PackageSpec, complete_packing
from app.services.packing import record_pack_scan
from db.engine import open_database
from tests.races.pack_workers import PackReport


def dispatch_until_empty(url: str, station: str, barrier: Any, queue: Any) -> None:
    """Claim, pack and dispatch orders one by one until none is left; report them."""
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
            complete_packing(db, actor, state.order_id, [PackageSpec()], dispatch=True)
            report.packed.append(state.number)
    except Exception:  # reported to the parent, which fails the test
        report.fatal = traceback.format_exc()
    finally:
        db.dispose()
        queue.put(report)
