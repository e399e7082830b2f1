"""Live counts of the supervisor's queues, each answered from an index.

Counting a million orders by status reads the (status, id) index, late orders are a
range of the (status, ship_by) index per open status, shipped today a range of
shipments by shipped_at: no count touches the order rows of the whole history.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.order_query import NOT_DONE, Queue
from app.domain.order_workflow import OrderStatus
from app.services.order_queue import start_of_local_day
from db.engine import Database
from db.models import Order, Shipment
from db.uow import read

URGENT_SERVICES = ("express", "overnight")
TOP_HOLD_REASONS = 8


@dataclass(frozen=True)
class QueueCounts:
    by_queue: dict[Queue, int]
    on_hold_by_reason: list[tuple[str, int]] = field(default_factory=list)  # most first
    urgent_open: int = 0  # express or overnight, not yet out of the door

    @property
    def total(self) -> int:
        """All orders: every order has exactly one status."""
        return sum(self.by_queue[Queue(s.value)] for s in OrderStatus)


def queue_counts(db: Database) -> QueueCounts:
    return read(db, count_queues)


def count_queues(session: Session, now: datetime | None = None) -> QueueCounts:
    now = now or datetime.now(UTC)
    by_queue = dict.fromkeys(Queue, 0)
    for status, count in session.execute(select(Order.status, func.count()).group_by(Order.status)):
        by_queue[Queue(status)] = count
    by_queue[Queue.LATE] = sum(
        session.scalar(
            select(func.count())
            .select_from(Order)
            .where(Order.status == status, Order.ship_by < now)
        )
        or 0
        for status in NOT_DONE
    )
    by_queue[Queue.SHIPPED_TODAY] = (
        session.scalar(
            select(func.count(func.distinct(Shipment.order_id))).where(
                Shipment.shipped_at >= start_of_local_day(now)
            )
        )
        or 0
    )
    reasons = session.execute(
        select(Order.hold_reason, func.count())
        .where(Order.status == OrderStatus.ON_HOLD)
        .group_by(Order.hold_reason)
        .order_by(func.count().desc(), Order.hold_reason)
        .limit(TOP_HOLD_REASONS)
    ).all()
    urgent = session.scalar(
        select(func.count())
        .select_from(Order)
        .where(Order.status.in_(NOT_DONE), Order.service_level.in_(URGENT_SERVICES))
    )
    return QueueCounts(
        by_queue=by_queue,
        on_hold_by_reason=[(reason or "no reason given", count) for reason, count in reasons],
        urgent_open=urgent or 0,
    )
