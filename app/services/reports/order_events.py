"""Counting orders and their milestones per report day.

A milestone is the first time an order reached a status: the columns shipped_at,
cancelled_at (and allocated_at, picked_at, packed_at) on `orders`, kept by a database
trigger on every audit row of an order reaching that status (migration 0015), so no
service can forget them and counting them reads `orders` alone, through the indexes
on shipped_at and cancelled_at, one range scan per day (period.per_day).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.domain.order_workflow import OrderStatus
from app.services.reports.period import Period, order_scope, per_day
from db.models import Order

# Placed and not yet out of the door (nor cancelled): the backlog.
OPEN_STATUSES = tuple(
    s.value
    for s in OrderStatus
    if s not in (OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.CANCELLED)
)


def _count_per_day(
    session: Session,
    period: Period,
    moment: InstrumentedAttribute[Any],
    *conditions: ColumnElement[bool],
) -> dict[int, int]:
    """Orders per day by `moment`, within the report's filter and `conditions`."""
    stmt = select(func.count()).select_from(Order).where(*conditions, *order_scope(period))
    return {day: count for count, day in session.execute(per_day(session, period, moment, stmt))}


def placed_per_day(session: Session, period: Period) -> dict[int, int]:
    return _count_per_day(session, period, Order.placed_at)


MILESTONE_AT: dict[str, InstrumentedAttribute[datetime | None]] = {
    "allocated": Order.allocated_at,
    "picked": Order.picked_at,
    "packed": Order.packed_at,
    "shipped": Order.shipped_at,
    "cancelled": Order.cancelled_at,
}


def reached_per_day(session: Session, period: Period, status: str) -> dict[int, int]:
    """Orders that first reached `status` (shipped, cancelled) on each day."""
    return _count_per_day(session, period, MILESTONE_AT[status])


def open_after(session: Session, period: Period) -> int:
    """Orders open at the end of the last day, counted back from now: those open now
    (by status, as `stats` counts them), less every order placed since, plus every
    order shipped or cancelled since (an order placed since and already closed cancels
    out). A recent range reads only recent rows however long the history is."""

    def count(*conditions: ColumnElement[bool]) -> int:
        stmt = select(func.count()).select_from(Order).where(*conditions, *order_scope(period))
        return int(session.scalar(stmt) or 0)

    return (
        count(Order.status.in_(OPEN_STATUSES))
        - count(Order.placed_at >= period.ends)
        + count(Order.shipped_at >= period.ends)
        + count(Order.cancelled_at >= period.ends)
    )


def late_condition(now: datetime) -> ColumnElement[bool]:
    """An order is late when it shipped after its ship-by time, or is still not shipped
    (nor cancelled) and that time has passed."""
    return and_(
        Order.status != "cancelled",
        or_(
            Order.shipped_at > Order.ship_by,
            and_(Order.shipped_at.is_(None), Order.ship_by < now),
        ),
    )


def late_per_day(session: Session, period: Period) -> dict[int, int]:
    """Late orders by the day they were due."""
    return _count_per_day(session, period, Order.ship_by, late_condition(period.now))
