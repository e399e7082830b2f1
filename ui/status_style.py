"""How each order status reads and looks: one label and one colour pair per state."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtGui import QColor

from app.domain.order_workflow import OrderStatus

# status: (label, text colour, badge colour)
_STYLES: dict[str, tuple[str, str, str]] = {
    OrderStatus.NEW: ("New", "#1e3a5f", "#dbeafe"),
    OrderStatus.ON_HOLD: ("On hold", "#7c2d12", "#fde68a"),
    OrderStatus.BACKORDERED: ("Backordered", "#991b1b", "#fee2e2"),
    OrderStatus.ALLOCATED: ("Allocated", "#1e40af", "#dbe4ff"),
    OrderStatus.PICKING: ("Picking", "#5b21b6", "#ede9fe"),
    OrderStatus.PICKED: ("Picked", "#6b21a8", "#f3e8ff"),
    OrderStatus.PACKED: ("Packed", "#115e59", "#ccfbf1"),
    OrderStatus.PARTIALLY_SHIPPED: ("Part shipped", "#155e75", "#cffafe"),
    OrderStatus.SHIPPED: ("Shipped", "#166534", "#dcfce7"),
    OrderStatus.DELIVERED: ("Delivered", "#14532d", "#bbf7d0"),
    OrderStatus.CANCELLED: ("Cancelled", "#4b5563", "#e5e7eb"),
}
_DONE = frozenset({OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.CANCELLED})
LATE_COLOUR = QColor("#b91c1c")


def status_label(status: str) -> str:
    return _STYLES[status][0] if status in _STYLES else status.replace("_", " ").capitalize()


def status_colours(status: str) -> tuple[QColor, QColor]:
    """(text, background) for a status badge."""
    _, text, background = _STYLES.get(status, ("", "#374151", "#f3f4f6"))
    return QColor(text), QColor(background)


def is_late(status: str, ship_by: datetime | None, now: datetime | None = None) -> bool:
    """Past its ship-by time and not yet out of the door."""
    if ship_by is None or status in _DONE:
        return False
    return ship_by < (now or datetime.now(UTC))


def local_time(moment: datetime, fmt: str = "%d %b %H:%M") -> str:
    """A UTC time as the user's local wall-clock time."""
    return moment.astimezone().strftime(fmt)
