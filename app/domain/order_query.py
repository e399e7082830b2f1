"""What a supervisor's queue shows: the queue, the filters, the sort — one value.

An `OrderQuery` goes from the UI to `services.order_queue`, is stored as a user's saved
view (`to_json` / `from_json`), and names queues that are not plain statuses: *late*
(past ship-by, not yet out of the door) and *shipped today*.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Any

from app.domain.order_workflow import OrderStatus
from app.errors import ValidationFailed


class Queue(StrEnum):
    """The supervisor's queues, in the order a day's work flows through them."""

    NEW = "new"
    ON_HOLD = "on_hold"
    BACKORDERED = "backordered"
    READY_TO_PICK = "allocated"
    PICKING = "picking"
    READY_TO_PACK = "picked"
    PACKED = "packed"
    PART_SHIPPED = "partially_shipped"
    SHIPPED_TODAY = "shipped_today"
    LATE = "late"
    CANCELLED = "cancelled"
    SHIPPED = "shipped"
    DELIVERED = "delivered"


QUEUE_LABELS = {
    Queue.NEW: "New",
    Queue.ON_HOLD: "On hold",
    Queue.BACKORDERED: "Backordered",
    Queue.READY_TO_PICK: "Ready to pick",
    Queue.PICKING: "Picking",
    Queue.READY_TO_PACK: "Ready to pack",
    Queue.PACKED: "Packed, awaiting carrier",
    Queue.PART_SHIPPED: "Part shipped",
    Queue.SHIPPED_TODAY: "Shipped today",
    Queue.LATE: "Late",
    Queue.CANCELLED: "Cancelled",
    Queue.SHIPPED: "Shipped",
    Queue.DELIVERED: "Delivered",
}
# Out of the door (or never going): such an order can no longer be late.
DONE = frozenset({OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.CANCELLED})
NOT_DONE = tuple(sorted(set(OrderStatus) - DONE))


class SortKey(StrEnum):
    NUMBER = "number"
    REFERENCE = "reference"
    STATUS = "status"
    CHANNEL = "channel"
    SERVICE = "service"
    PLACED = "placed"
    SHIP_BY = "ship_by"
    CUSTOMER = "customer"
    COUNTRY = "country"
    ITEMS = "items"
    TOTAL = "total"
    HOLD_REASON = "hold_reason"


_DATES = ("ship_by_from", "ship_by_to", "placed_from", "placed_to")


class Window(StrEnum):
    """A date range relative to now, resolved when the query runs: a saved view that
    shows "ship by today" shows today's orders tomorrow too."""

    OVERDUE = "overdue"
    TODAY = "today"
    TOMORROW = "tomorrow"
    NEXT_7_DAYS = "next_7_days"
    LAST_7_DAYS = "last_7_days"
    LAST_30_DAYS = "last_30_days"
    OLDER = "older_than_30_days"


WINDOW_LABELS = {
    Window.OVERDUE: "Overdue",
    Window.TODAY: "Today",
    Window.TOMORROW: "Tomorrow",
    Window.NEXT_7_DAYS: "Next 7 days",
    Window.LAST_7_DAYS: "Last 7 days",
    Window.LAST_30_DAYS: "Last 30 days",
    Window.OLDER: "Older than 30 days",
}


def window_range(window: Window, now: datetime) -> tuple[datetime | None, datetime | None]:
    """[from, to) of `window`, days in `now`'s time zone (give it the local time)."""
    midnight = datetime.combine(now.date(), time(), now.tzinfo)
    day = timedelta(days=1)
    match window:
        case Window.OVERDUE:
            return None, now
        case Window.TODAY:
            return midnight, midnight + day
        case Window.TOMORROW:
            return midnight + day, midnight + 2 * day
        case Window.NEXT_7_DAYS:
            return now, midnight + 8 * day
        case Window.LAST_7_DAYS:
            return midnight - 6 * day, None
        case Window.LAST_30_DAYS:
            return midnight - 29 * day, None
        case Window.OLDER:
            return None, midnight - 29 * day


@dataclass(frozen=True)
class OrderQuery:
    """Every filter combines with every other (AND); None / "" means no filter.

    Date ranges are half-open: `from` included, `to` excluded.
    """

    queue: Queue | None = None
    hold_reason: str | None = None  # within on hold: reasons containing this text
    channel: str | None = None
    priority: int | None = None
    service_level: str | None = None
    warehouse: str | None = None
    carrier: str | None = None
    country: str | None = None
    ship_by_from: datetime | None = None
    ship_by_to: datetime | None = None
    placed_from: datetime | None = None
    placed_to: datetime | None = None
    ship_by_window: Window | None = None
    placed_window: Window | None = None
    text: str = ""
    sort: SortKey = SortKey.NUMBER
    descending: bool = True

    def with_changes(self, **changes: Any) -> OrderQuery:
        return replace(self, **changes)

    def to_json(self) -> dict[str, Any]:
        """Only what differs from the default, dates as ISO 8601: what a saved view stores."""
        default = OrderQuery()
        out: dict[str, Any] = {}
        for name, value in asdict(self).items():
            if value == getattr(default, name):
                continue
            out[name] = value.isoformat() if isinstance(value, datetime) else value
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> OrderQuery:
        """The query a saved view stored; a field this version does not know is refused."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValidationFailed(f"a saved view has unknown fields: {', '.join(unknown)}")
        values: dict[str, Any] = dict(data)
        try:
            for name in _DATES:
                if values.get(name) is not None:
                    values[name] = datetime.fromisoformat(values[name])
            if values.get("queue") is not None:
                values["queue"] = Queue(values["queue"])
            for name in ("ship_by_window", "placed_window"):
                if values.get(name) is not None:
                    values[name] = Window(values[name])
            if "sort" in values:
                values["sort"] = SortKey(values["sort"])
        except (TypeError, ValueError) as exc:
            raise ValidationFailed(f"a saved view cannot be read: {exc}") from exc
        return cls(**values)
