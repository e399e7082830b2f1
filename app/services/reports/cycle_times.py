"""How long orders take from placed to shipped, stage by stage.

For the orders that reached `shipped` in the range: placed -> allocated -> picked ->
packed -> shipped, each the first time the order reached that status (the milestone
columns of `orders`, kept from the audit trail by a trigger: see order_events), read
through the index on shipped_at. A stage an order skipped (a phone order packed
without a pick list) is left out of that stage only. Medians and 90th percentiles
are nearest-rank.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import Any

from sqlalchemy import ColumnElement, Float, cast, func, select
from sqlalchemy.orm import Session

from app.domain.percentiles import nearest_rank
from app.services.reports.order_events import MILESTONE_AT
from app.services.reports.period import Period, order_scope, selection
from app.services.reports.report import Chart, NoData, Report, ReportColumn
from db.models import Order

MILESTONES = ("placed", "allocated", "picked", "packed", "shipped")
STAGES = (*pairwise(MILESTONES), ("placed", "shipped"))


def _hours_since(start: Any, end: Any, dialect: str) -> ColumnElement[Any]:
    """Hours from `start` to `end` computed by the database: a float per order instead
    of a timestamp (or PostgreSQL's numeric) to convert, which cost more than the query
    on a month of orders."""
    if dialect == "sqlite":
        return (func.julianday(end) - func.julianday(start)) * 24
    return cast(func.extract("epoch", end - start) / 3600, Float)


def cycle_times(session: Session, period: Period) -> Report:
    dialect = session.get_bind().dialect.name
    stmt = select(
        *(_hours_since(Order.placed_at, MILESTONE_AT[m], dialect) for m in MILESTONES[1:])
    ).where(
        Order.shipped_at >= period.starts,
        Order.shipped_at < period.ends,
        *order_scope(period),
    )
    found = session.connection().execute(stmt).all()  # plain rows: no ORM loading
    if not found:
        raise NoData(f"no orders were shipped in {period.label}")
    since_placed = {"placed": [0.0] * len(found)} | dict(
        zip(MILESTONES[1:], zip(*found, strict=True), strict=True)
    )
    rows = [_stage(start, end, since_placed) for start, end in STAGES]
    orders = len(found)
    return Report(
        kind="cycle-times",
        title="Cycle times of the orders shipped",
        period=period.label,
        columns=(
            ReportColumn("stage", "Stage", "text"),
            ReportColumn("orders", "Orders"),
            ReportColumn("median_hours", "Median (h)", "hours"),
            ReportColumn("p90_hours", "90th percentile (h)", "hours"),
        ),
        rows=rows,
        chart=Chart("stage", ("median_hours", "p90_hours"), unit="hours"),
        notes=(f"{orders} orders shipped; each stage counts the orders that went through it",),
        drill=lambda _row, _series: selection(
            period,
            "Shipped in the range",
            reached=("shipped", period.starts, period.ends),
        ),
    )


def _stage(
    start: str, end: str, since_placed: Mapping[str, Sequence[float | None]]
) -> dict[str, Any]:
    """One stage's row: the orders that went through it, with nearest-rank percentiles."""
    values = [
        e - s
        for s, e in zip(since_placed[start], since_placed[end], strict=True)
        if s is not None and e is not None
    ]
    values.sort()
    return {
        "stage": f"{start} → {end}",
        "orders": len(values),
        "median_hours": _hours(nearest_rank(values, 50)),
        "p90_hours": _hours(nearest_rank(values, 90)),
    }


def _hours(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
