"""What every report returns: a titled table, how to chart it, and how to drill into it.

One query per metric builds a `Report`; the CLI writes it as CSV, JSON or a PDF page
and the dashboard draws its chart, so both always show the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal

from app.errors import OmsError

ColumnKind = Literal["text", "count", "percent", "hours", "days", "number", "date"]


class NoData(OmsError):
    """The range holds nothing to report: said in words instead of an empty chart."""


@dataclass(frozen=True)
class ReportColumn:
    key: str
    title: str
    kind: ColumnKind = "count"


@dataclass(frozen=True)
class Chart:
    """Bars (or lines) of the `series` columns against the `category` column."""

    category: str | tuple[str, ...]  # several keys: joined " · " on the axis
    series: tuple[str, ...]
    style: Literal["bars", "stacked", "lines"] = "bars"
    unit: str = "orders"


@dataclass(frozen=True)
class OrderSelection:
    """The orders behind one bar: what the queue shows on a drill-down."""

    title: str
    placed: tuple[datetime, datetime] | None = None
    reached: tuple[str, datetime, datetime] | None = None  # status reached in the window
    late_due: tuple[datetime, datetime, datetime] | None = None  # due in window, late at [2]
    statuses: tuple[str, ...] = ()
    sku: str | None = None
    channel_id: int | None = None
    warehouse_id: int | None = None
    channel: str | None = None  # the codes of the same two filters, for the Orders queue
    warehouse: str | None = None


Drill = Callable[[int, str], OrderSelection | None]


@dataclass(frozen=True)
class Report:
    kind: str
    title: str
    period: str
    columns: tuple[ReportColumn, ...]
    rows: list[dict[str, Any]]
    chart: Chart
    notes: tuple[str, ...] = ()
    drill: Drill | None = field(default=None, compare=False, repr=False)

    def json_rows(self) -> list[dict[str, Any]]:
        """The rows as JSON values: dates in ISO form, numbers as numbers."""
        return [{key: _json_value(value) for key, value in row.items()} for row in self.rows]

    def selection(self, row: int, series: str) -> OrderSelection | None:
        return self.drill(row, series) if self.drill else None


def _json_value(value: object) -> object:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value
