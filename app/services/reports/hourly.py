"""The last day of the range hour by hour: orders received and shipped per clock hour
in the warehouse's time zone (the hour the clocks go back appears twice, as BST and
GMT say)."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session

from app.services.reports.order_events import placed_per_day, reached_per_day
from app.services.reports.period import Period, clock_hours, selection
from app.services.reports.report import Chart, NoData, OrderSelection, Report, ReportColumn


def hourly(session: Session, period: Period) -> Report:
    hours = replace(period, days=clock_hours(period.last, period.zone))
    received = placed_per_day(session, hours)
    shipped = reached_per_day(session, hours, "shipped")
    rows = [
        {
            "hour": f"{hour.starts.astimezone(period.zone):%H:%M %Z}",
            "received": received.get(hour.index, 0),
            "shipped": shipped.get(hour.index, 0),
        }
        for hour in hours.days
    ]
    if not any(row["received"] or row["shipped"] for row in rows):
        raise NoData(f"no orders were placed or shipped on {period.last:%d %b %Y}")

    def drill(row: int, series: str) -> OrderSelection | None:
        hour = hours.days[row]
        title = f"{series.capitalize()} {period.last:%d %b} {rows[row]['hour']}"
        if series == "received":
            return selection(period, title, placed=(hour.starts, hour.ends))
        return selection(period, title, reached=("shipped", hour.starts, hour.ends))

    return Report(
        kind="hourly",
        title=f"Orders received and shipped per hour, {period.last:%d %b %Y}",
        period=f"{period.last:%d %b %Y} ({period.zone.key})",
        columns=(
            ReportColumn("hour", "Hour", "text"),
            ReportColumn("received", "Received"),
            ReportColumn("shipped", "Shipped"),
        ),
        rows=rows,
        chart=Chart("hour", ("received", "shipped")),
        drill=drill,
    )
