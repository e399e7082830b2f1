"""The range a report covers: dates in the warehouse's time zone, checked, as UTC bounds.

A report day is a calendar day where the warehouse is, so a day in which the clocks
change lasts 23 or 25 hours; each bucket's bounds come from zoneinfo, never from
adding 24 hours. Filters name a warehouse or channel by code and are checked against
the database, so a typo is an error instead of an empty chart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import CTE, ColumnElement, Integer, Select, and_, column, select, true, values
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.errors import ValidationFailed
from app.services.reports.report import OrderSelection
from app.services.settings import site_zone
from db.models import Channel, Order, Warehouse
from db.types import UTCDateTime, utcnow

DEFAULT_DAYS = 30
MAX_DAYS = 731  # two years of daily buckets: a weekly meeting never needs more

SelectT = TypeVar("SelectT", bound=Select[*tuple[Any, ...]])


@dataclass(frozen=True)
class ReportQuery:
    """What the user asked for: dates as typed (None = the default) and filter codes."""

    start: date | None = None
    end: date | None = None
    warehouse: str | None = None
    channel: str | None = None
    lead_time_days: int = 7  # replenishment: days from order to stock on the shelf
    service_level: float = 0.95  # replenishment: chance of not running out in that time


@dataclass(frozen=True)
class Day:
    """A bucket of time: one local day (or one clock hour of it, for `hourly`)."""

    index: int
    day: date
    starts: datetime  # UTC
    ends: datetime  # UTC, exclusive

    @property
    def hours(self) -> float:
        return (self.ends - self.starts).total_seconds() / 3600


@dataclass(frozen=True)
class Period:
    """A checked query: whole local days from `first` to `last`, and filter ids."""

    first: date
    last: date
    zone: ZoneInfo
    now: datetime
    warehouse_id: int | None = None
    channel_id: int | None = None
    warehouse: str | None = None
    channel: str | None = None
    days: tuple[Day, ...] = field(default=(), repr=False)
    lead_time_days: int = 7
    service_level: float = 0.95

    @property
    def starts(self) -> datetime:
        return self.days[0].starts

    @property
    def ends(self) -> datetime:
        return self.days[-1].ends

    @property
    def label(self) -> str:
        span = (
            f"{self.first:%d %b %Y}"
            if self.first == self.last
            else f"{self.first:%d %b %Y} - {self.last:%d %b %Y}"
        )
        scope = ", ".join(
            part
            for part in (
                f"warehouse {self.warehouse}" if self.warehouse else "",
                f"channel {self.channel}" if self.channel else "",
            )
            if part
        )
        return f"{span} ({self.zone.key})" + (f", {scope}" if scope else "")

    def day_table(self) -> CTE:
        """The days as a table (day, starts, ends) to join time columns against: a VALUES
        list in a CTE, the form both SQLite and PostgreSQL accept."""
        return (
            values(
                column("day", Integer),
                column("starts", UTCDateTime()),
                column("ends", UTCDateTime()),
                name="report_days",
            )
            .data([(d.index, d.starts, d.ends) for d in self.days])
            .cte("report_days")
        )


def per_day(
    session: Session,
    period: Period,
    moment: InstrumentedAttribute[Any],
    stmt: Select[*tuple[Any, ...]],
) -> Select[*tuple[Any, ...]]:
    """`stmt` (aggregates, grouped by any keys) worked out for each of the period's days
    by `moment`: its columns followed by the day's index, one index range scan per day.

    SQLite's planner walks the days and the index on `moment` day by day from a plain
    join. PostgreSQL's would read the whole range once and test every row against
    every day (or hash-join a table read whole), so there each day is a LATERAL
    subquery: a small range it looks up by index.
    """
    days = period.day_table()
    in_day = and_(moment >= days.c.starts, moment < days.c.ends)
    if session.get_bind().dialect.name != "postgresql":
        return stmt.add_columns(days.c.day).join(days, in_day).group_by(days.c.day)
    each_day = stmt.where(in_day).lateral("each_day")
    return select(*each_day.c, days.c.day).select_from(days).join(each_day, true())


def local_day_bounds(day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """Midnight to midnight of `day` in `zone`, as UTC (23 or 25 hours on a DST change)."""
    starts = datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)
    ends = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    return starts, ends


def calendar_days(first: date, last: date, zone: ZoneInfo) -> tuple[Day, ...]:
    return tuple(
        Day(i, day, *local_day_bounds(day, zone))
        for i, day in ((i, first + timedelta(days=i)) for i in range((last - first).days + 1))
    )


def clock_hours(day: date, zone: ZoneInfo) -> tuple[Day, ...]:
    """The hours of `day` in `zone` as buckets: 23, 24 or 25 of them (UTC hours, so the
    repeated hour of an autumn night is two buckets)."""
    starts, ends = local_day_bounds(day, zone)
    count = int((ends - starts).total_seconds() // 3600)
    return tuple(
        Day(i, day, starts + timedelta(hours=i), starts + timedelta(hours=i + 1))
        for i in range(count)
    )


def resolve(session: Session, query: ReportQuery, now: datetime | None = None) -> Period:
    """Check `query` against the calendar and the database; ValidationFailed in one line."""
    zone = site_zone(session)
    now = now or utcnow()
    today = now.astimezone(zone).date()
    last = query.end or today
    first = query.start or (last - timedelta(days=DEFAULT_DAYS - 1))
    if first > today:
        raise ValidationFailed(
            f"the range starts on {first.isoformat()}, in the future "
            f"(today is {today.isoformat()} in {zone.key})"
        )
    if first > last:
        raise ValidationFailed(
            f"the range starts on {first.isoformat()}, after it ends on {last.isoformat()}"
        )
    last = min(last, today)
    if (last - first).days + 1 > MAX_DAYS:
        raise ValidationFailed(
            f"the range {first.isoformat()} - {last.isoformat()} is longer than "
            f"{MAX_DAYS} days; report on a shorter one"
        )
    return Period(
        first=first,
        last=last,
        zone=zone,
        now=now,
        warehouse_id=_code_id(session, Warehouse, query.warehouse, "warehouse"),
        channel_id=_code_id(session, Channel, query.channel, "channel"),
        warehouse=query.warehouse,
        channel=query.channel,
        days=calendar_days(first, last, zone),
        lead_time_days=query.lead_time_days,
        service_level=query.service_level,
    )


def _code_id(
    session: Session, model: type[Warehouse] | type[Channel], code: str | None, what: str
) -> int | None:
    if code is None:
        return None
    found = session.scalar(select(model.id).where(model.code == code))
    if found is None:
        known = session.scalars(select(model.code).order_by(model.code).limit(20)).all()
        listed = ", ".join(known) if known else "none are set up"
        raise ValidationFailed(f"there is no {what} with the code {code!r} (known: {listed})")
    return found


def parse_date(text: str, option: str) -> date:
    """A YYYY-MM-DD date typed on the command line or in a filter box."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        shown = text if len(text) <= 30 else text[:27] + "..."
        raise ValidationFailed(f"{option} {shown!r} is not a date (YYYY-MM-DD)") from None


def order_scope(period: Period) -> list[ColumnElement[bool]]:
    """The warehouse/channel filter as conditions on `orders`."""
    conditions: list[ColumnElement[bool]] = []
    if period.warehouse_id is not None:
        conditions.append(Order.warehouse_id == period.warehouse_id)
    if period.channel_id is not None:
        conditions.append(Order.channel_id == period.channel_id)
    return conditions


def is_scoped(period: Period) -> bool:
    return period.warehouse_id is not None or period.channel_id is not None


def scoped_by_order(stmt: SelectT, period: Period, order_id: InstrumentedAttribute[Any]) -> SelectT:
    """`stmt` within the warehouse/channel filter, `orders` joined on `order_id` only
    when a filter is set (a statement on another table needs no join without one)."""
    if not is_scoped(period):
        return stmt
    return stmt.join(Order, Order.id == order_id).where(*order_scope(period))


def selection(period: Period, title: str, **criteria: Any) -> OrderSelection:
    """The orders behind a bar, within the report's warehouse/channel filter."""
    scope = {
        "channel_id": period.channel_id,
        "warehouse_id": period.warehouse_id,
        "channel": period.channel,
        "warehouse": period.warehouse,
    }
    return OrderSelection(title, **(scope | criteria))
