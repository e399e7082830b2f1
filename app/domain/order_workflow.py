"""The order lifecycle as one explicit table of allowed transitions.

Every service that changes an order's status goes through `require_transition`;
an illegal move is refused loudly, never skipped.
"""

from __future__ import annotations

from enum import StrEnum

from app.errors import InvalidTransition


class OrderStatus(StrEnum):
    NEW = "new"
    ON_HOLD = "on_hold"
    BACKORDERED = "backordered"
    ALLOCATED = "allocated"
    PICKING = "picking"
    PICKED = "picked"
    PACKED = "packed"
    PARTIALLY_SHIPPED = "partially_shipped"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


S = OrderStatus

# States an order can be held in, and returned to when the hold is released.
HOLDABLE = frozenset({S.NEW, S.BACKORDERED, S.ALLOCATED, S.PICKING, S.PICKED, S.PACKED})
# Cancellable: anything before a parcel has left the building.
CANCELLABLE = HOLDABLE | {S.ON_HOLD}

TRANSITIONS: frozenset[tuple[OrderStatus, OrderStatus]] = frozenset(
    {
        (S.NEW, S.ALLOCATED),
        (S.NEW, S.BACKORDERED),
        (S.BACKORDERED, S.ALLOCATED),
        (S.ALLOCATED, S.BACKORDERED),  # stock counted away / short pick
        (S.ALLOCATED, S.NEW),  # reservation released for re-allocation
        (S.ALLOCATED, S.PICKING),
        (S.ALLOCATED, S.PACKED),  # pick-and-pack in one go at the station
        (S.PICKING, S.PICKED),
        (S.PICKING, S.ALLOCATED),  # pick list abandoned
        (S.PICKING, S.BACKORDERED),  # short pick, no other location
        (S.PICKING, S.PACKED),
        (S.PICKED, S.PACKED),
        (S.PACKED, S.SHIPPED),
        (S.PACKED, S.PARTIALLY_SHIPPED),
        (S.PARTIALLY_SHIPPED, S.ALLOCATED),
        (S.PARTIALLY_SHIPPED, S.BACKORDERED),
        (S.PARTIALLY_SHIPPED, S.SHIPPED),
        (S.SHIPPED, S.DELIVERED),
    }
    | {(state, S.ON_HOLD) for state in HOLDABLE}
    | {(S.ON_HOLD, state) for state in HOLDABLE}
    | {(state, S.CANCELLED) for state in CANCELLABLE}
)


def can_transition(current: str, target: str) -> bool:
    try:
        return (OrderStatus(current), OrderStatus(target)) in TRANSITIONS
    except ValueError:
        return False


def require_transition(current: str, target: str, *, order_number: str = "") -> None:
    if not can_transition(current, target):
        label = f"order {order_number}" if order_number else "the order"
        raise InvalidTransition(
            f"{label} is {current.replace('_', ' ')}; it cannot become {target.replace('_', ' ')}"
        )
