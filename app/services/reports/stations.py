"""Pick and pack throughput and scan accuracy per station and user.

Throughput counts the orders that reached `picked` / `packed` at a station (audit
trail); accuracy is the share of scans the station accepted (scan log), so a picker
who scans the wrong bin or product shows up here. A scan with no signed-in user is
shown under "(nobody signed in)".
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.services.reports.period import Period, scoped_by_order
from app.services.reports.report import Chart, NoData, Report, ReportColumn
from db.models import AuditEvent, ScanEvent, User

NOBODY = "(nobody signed in)"
NO_STATION = "(no station)"


def stations(session: Session, period: Period) -> Report:
    found: dict[tuple[str, str], dict[str, Any]] = defaultdict(
        lambda: {"picked": 0, "packed": 0, "scans": 0, "rejected": 0, "manual": 0}
    )
    moves = (
        select(AuditEvent.station, AuditEvent.username, AuditEvent.to_status, func.count())
        .where(
            AuditEvent.to_status.in_(("picked", "packed")),
            AuditEvent.occurred_at >= period.starts,
            AuditEvent.occurred_at < period.ends,
            AuditEvent.entity == "order",
        )
        .group_by(AuditEvent.station, AuditEvent.username, AuditEvent.to_status)
    )
    moves = scoped_by_order(moves, period, AuditEvent.entity_id)
    for station, user, status, count in session.execute(moves):
        found[(station or NO_STATION, user or NOBODY)][str(status)] += count
    scans = (
        select(
            ScanEvent.station,
            User.username,
            func.count(),
            func.sum(case((ScanEvent.outcome == "rejected", 1), else_=0)),
            func.sum(case((ScanEvent.manual.is_(True), 1), else_=0)),
        )
        .outerjoin(User, User.id == ScanEvent.user_id)
        .where(ScanEvent.occurred_at >= period.starts, ScanEvent.occurred_at < period.ends)
        .group_by(ScanEvent.station, User.username)
    )
    scans = scoped_by_order(scans, period, ScanEvent.order_id)
    for station, user, count, rejected, manual in session.execute(scans):
        row = found[(station or NO_STATION, user or NOBODY)]
        row["scans"] += count
        row["rejected"] += int(rejected or 0)
        row["manual"] += int(manual or 0)
    if not found:
        raise NoData(f"no station picked, packed or scanned anything in {period.label}")
    rows = [
        {
            "station": station,
            "user": user,
            **counts,
            "accuracy_pct": (
                round(100 * (counts["scans"] - counts["rejected"]) / counts["scans"], 1)
                if counts["scans"]
                else None
            ),
        }
        for (station, user), counts in sorted(found.items())
    ]
    return Report(
        kind="stations",
        title="Throughput and scan accuracy per station and user",
        period=period.label,
        columns=(
            ReportColumn("station", "Station", "text"),
            ReportColumn("user", "User", "text"),
            ReportColumn("picked", "Orders picked"),
            ReportColumn("packed", "Orders packed"),
            ReportColumn("scans", "Scans"),
            ReportColumn("rejected", "Rejected"),
            ReportColumn("manual", "Typed by hand"),
            ReportColumn("accuracy_pct", "Accuracy %", "percent"),
        ),
        rows=rows,
        chart=Chart(("station", "user"), ("picked", "packed")),
        notes=("scan accuracy = scans accepted / all scans, typed-in codes included",),
    )
