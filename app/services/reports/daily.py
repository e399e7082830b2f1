"""The day in numbers: orders received, shipped, cancelled and late, and the backlog.

received  orders placed that day (placed_at)
shipped   orders that reached `shipped` that day (audit trail)
late      orders due that day (ship_by) that shipped after it or have not shipped yet
backlog   orders open at the end of the day: placed, neither shipped nor cancelled.
          Counted back from the orders open now, so the last day of a range ending
          today equals the open statuses of `stats`.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.services.reports.order_events import (
    late_per_day,
    open_after,
    placed_per_day,
    reached_per_day,
)
from app.services.reports.period import Period, selection
from app.services.reports.report import Chart, NoData, OrderSelection, Report, ReportColumn

COLUMNS = (
    ReportColumn("date", "Date", "date"),
    ReportColumn("received", "Received"),
    ReportColumn("shipped", "Shipped"),
    ReportColumn("cancelled", "Cancelled"),
    ReportColumn("late", "Late"),
    ReportColumn("backlog", "Backlog"),
)


def daily(session: Session, period: Period) -> Report:
    received = placed_per_day(session, period)
    shipped = reached_per_day(session, period, "shipped")
    cancelled = reached_per_day(session, period, "cancelled")
    late = late_per_day(session, period)
    backlog = open_after(session, period)
    rows = []
    for day in reversed(period.days):  # back from the end: the backlog before each day
        i = day.index
        rows.append(
            {
                "date": day.day,
                "received": received.get(i, 0),
                "shipped": shipped.get(i, 0),
                "cancelled": cancelled.get(i, 0),
                "late": late.get(i, 0),
                "backlog": backlog,
                "hours": day.hours,
            }
        )
        backlog -= received.get(i, 0) - shipped.get(i, 0) - cancelled.get(i, 0)
    rows.reverse()
    notes = tuple(
        f"{row['date']:%d %b %Y} had {row['hours']:g} hours (clock change)"
        for row in rows
        if row["hours"] != 24
    )
    for row in rows:
        del row["hours"]
    if not any(
        row[key] for row in rows for key in ("received", "shipped", "cancelled", "late", "backlog")
    ):
        raise NoData(f"no orders were placed, shipped, cancelled or open in {period.label}")
    return Report(
        kind="daily",
        title="Orders received and shipped per day",
        period=period.label,
        columns=COLUMNS,
        rows=rows,
        chart=Chart("date", ("received", "shipped", "late")),
        notes=notes,
        drill=lambda row, series: _selection(period, row, series),
    )


def _selection(period: Period, row: int, series: str) -> OrderSelection | None:
    day = period.days[row]
    when = (day.starts, day.ends)
    label = f"{day.day:%d %b %Y}"
    if series == "received":
        return selection(period, f"Received on {label}", placed=when)
    if series in ("shipped", "cancelled"):
        return selection(period, f"{series.capitalize()} on {label}", reached=(series, *when))
    if series == "late":
        return selection(period, f"Due on {label} and late", late_due=(*when, period.now))
    return None
