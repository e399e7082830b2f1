"""The supervisor's reports: one query per metric, shared by the CLI, the dashboard and
the PDF pack, so every screen counts the same thing the same way.

    report = run_report(db, actor, "daily", ReportQuery(start=date(2026, 11, 1)))

Each report reads a range through an index, never the whole history (a chart in well
under a second on a million orders; tests/benchmarks/reports.py):
- received, replenishment: orders.placed_at (then the lines by order_id);
- shipped, cancelled, cycle times, return rates: the milestone columns orders.shipped_at
  and cancelled_at, kept by a database trigger on the audit trail (order_events says why);
- late: orders.ship_by; backlog, stock-outs: orders.status (the open orders);
- stations: audit_events (to_status, occurred_at), per station and user;
- returns, scans: their created_at / occurred_at.
Per-day counts are one index range scan per day (period.per_day).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.context import Actor
from app.errors import ValidationFailed
from app.services.access import authorize
from app.services.reports.backlog import backlog, late_by_channel
from app.services.reports.cycle_times import cycle_times
from app.services.reports.daily import daily
from app.services.reports.hourly import hourly
from app.services.reports.period import Period, ReportQuery, resolve
from app.services.reports.replenishment import replenishment
from app.services.reports.report import NoData, OrderSelection, Report
from app.services.reports.returns import returns_by_reason, returns_by_sku
from app.services.reports.stations import stations
from app.services.reports.stock_outs import stock_outs
from db.engine import Database
from db.uow import read

Metric = Callable[[Session, Period], Report]

# kind -> metric, in the order the PDF pack and the dashboard show them.
KINDS: dict[str, Metric] = {
    "daily": daily,
    "hourly": hourly,
    "backlog": backlog,
    "late": late_by_channel,
    "cycle-times": cycle_times,
    "stations": stations,
    "returns": returns_by_sku,
    "return-reasons": returns_by_reason,
    "stock-outs": stock_outs,
    "replenishment": replenishment,
}

__all__ = ["KINDS", "NoData", "OrderSelection", "Report", "ReportQuery", "run_report"]


def run_report(
    db: Database, actor: Actor, kind: str, query: ReportQuery, *, now: datetime | None = None
) -> Report:
    """One report over `query`; ValidationFailed for a bad range or filter, NoData
    when the range holds nothing to show."""
    metric = KINDS.get(kind)
    if metric is None:
        raise ValidationFailed(f"there is no report {kind!r} (known: {', '.join(KINDS)})")

    def work(session: Session) -> Report:
        authorize(session, actor, "report.view")
        if session.get_bind().dialect.name == "postgresql":
            # A report's per-day index lookups add up to estimated costs past the JIT
            # thresholds; compiling them took 100-200 ms of a 600 ms query and saved none.
            session.execute(text("SET LOCAL jit = off"))
        return metric(session, resolve(session, query, now))

    return read(db, work)
