"""What is waiting now, by status and by how long ago it was placed; and late orders by
channel over the range."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.services.reports.order_events import OPEN_STATUSES, late_condition
from app.services.reports.period import Period, order_scope, selection
from app.services.reports.report import Chart, NoData, Report, ReportColumn
from db.models import Channel, Order

AGES = (("under_1d", "0-1 days", 1), ("1_3d", "1-3 days", 3), ("3_7d", "3-7 days", 7))
OLDEST = ("over_7d", "7+ days")


def backlog(session: Session, period: Period) -> Report:
    """Open orders now (the same statuses and counts as `stats`), split by age."""
    now = period.now
    age = case(
        *((Order.placed_at > now - timedelta(days=limit), key) for key, _t, limit in AGES),
        else_=OLDEST[0],
    )
    stmt = (
        select(Order.status, age, func.count())
        .where(Order.status.in_(OPEN_STATUSES), *order_scope(period))
        .group_by(Order.status, age)
    )
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for status, bucket, count in session.execute(stmt):
        counts[status][bucket] = count
    keys = [key for key, _t, _l in AGES] + [OLDEST[0]]
    rows = [
        {"status": status, **{k: counts[status].get(k, 0) for k in keys}}
        | {"total": sum(counts[status].values())}
        for status in OPEN_STATUSES
        if status in counts
    ]
    if not rows:
        raise NoData("no order is waiting to be shipped")
    columns = (
        ReportColumn("status", "Status", "text"),
        *(ReportColumn(key, title) for key, title, _l in AGES),
        ReportColumn(*OLDEST),
        ReportColumn("total", "Total"),
    )
    return Report(
        kind="backlog",
        title="Backlog now, by status and age",
        period=f"now ({now.astimezone(period.zone):%d %b %Y %H:%M} {period.zone.key})",
        columns=columns,
        rows=rows,
        chart=Chart("status", tuple(keys), style="stacked"),
        drill=lambda row, _series: selection(
            period, f"Open orders: {rows[row]['status']}", statuses=(str(rows[row]["status"]),)
        ),
    )


def late_by_channel(session: Session, period: Period) -> Report:
    """Orders due in the range that shipped late or are overdue, per sales channel."""
    late = func.sum(case((late_condition(period.now), 1), else_=0))
    stmt = (
        select(Channel.code, func.count(), late)
        .join(Channel, Channel.id == Order.channel_id)
        .where(
            Order.ship_by >= period.starts,
            Order.ship_by < period.ends,
            Order.status != "cancelled",
            *order_scope(period),
        )
        .group_by(Channel.code)
        .order_by(Channel.code)
    )
    rows = [
        {
            "channel": code,
            "due": due,
            "late": int(late_count or 0),
            "late_pct": round(100 * int(late_count or 0) / due, 1),
        }
        for code, due, late_count in session.execute(stmt)
    ]
    if not rows:
        raise NoData(f"no orders were due to ship in {period.label}")
    channel_ids = dict(session.execute(select(Channel.code, Channel.id)).all())
    return Report(
        kind="late",
        title="Late orders by channel",
        period=period.label,
        columns=(
            ReportColumn("channel", "Channel", "text"),
            ReportColumn("due", "Due"),
            ReportColumn("late", "Late"),
            ReportColumn("late_pct", "Late %", "percent"),
        ),
        rows=rows,
        chart=Chart("channel", ("due", "late")),
        drill=lambda row, _series: selection(
            period,
            f"Late orders of {rows[row]['channel']}",
            late_due=(period.starts, period.ends, period.now),
            channel_id=channel_ids[rows[row]["channel"]],
            channel=rows[row]["channel"],
        ),
    )
