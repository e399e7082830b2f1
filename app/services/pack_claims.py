"""Which station packs which order: the queue's next order, letting go, and the desk
freeing an order from a station that is gone.

Claims lock the order row; on PostgreSQL the queue uses SKIP LOCKED so stations claim
side by side, on SQLite BEGIN IMMEDIATE serialises them.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.order_workflow import OrderStatus
from app.dto import PackState
from app.errors import ConcurrencyConflict, InvalidTransition, ValidationFailed
from app.services.access import authorize
from app.services.audit import record
from app.services.orders import find_order
from app.services.packing import busy_message, pack_state
from db.engine import Database
from db.models import Order
from db.types import utcnow
from db.uow import read, run_in_transaction

# The queue skips orders a picker is working on: scanning such an order's slip still
# opens it (the packer has it in hand), but N never sends a packer after it.
QUEUED = (OrderStatus.ALLOCATED.value, OrderStatus.PICKED.value)


def claim_next_order(db: Database, actor: Actor) -> PackState | None:
    """The most urgent packable order nobody is packing, claimed for this station.

    A station that already holds an order gets that one back (crash resume). On
    PostgreSQL SKIP LOCKED lets stations claim side by side without waiting on each
    other; on SQLite BEGIN IMMEDIATE serialises them.
    """

    def work(session: Session) -> PackState | None:
        authorize(session, actor, "pack")
        mine = session.scalars(
            select(Order)
            .where(Order.packing_station == actor.station)
            .order_by(Order.id)
            .limit(1)
            .with_for_update()
        ).first()
        if mine is not None:
            return pack_state(session, mine)
        order = session.scalars(
            select(Order)
            .where(Order.status.in_(QUEUED), Order.packing_station.is_(None))
            .order_by(Order.priority, Order.ship_by.asc().nulls_last(), Order.placed_at, Order.id)
            .limit(1)
            .with_for_update(skip_locked=True)
        ).first()
        if order is None:
            return None
        order.packing_station = actor.station
        order.packing_user = actor.username
        order.packing_started_at = utcnow()
        record(session, actor, "order", order.id, "packing started")
        return pack_state(session, order)

    return run_in_transaction(db, work)


def release_packing(
    db: Database, actor: Actor, order_id: int, *, force: bool = False, reason: str | None = None
) -> None:
    """Let go of an order; a supervisor may `force` another station's claim free."""

    def work(session: Session) -> None:
        authorize(session, actor, "pack.release" if force else "pack")
        order = session.get_one(Order, order_id, with_for_update=True)
        if order.packing_station is None:
            return
        if order.packing_station != actor.station and not force:
            raise ConcurrencyConflict(busy_message(order))
        record(
            session,
            actor,
            "order",
            order.id,
            "packing released",
            reason=reason,
            details={"station": order.packing_station},
        )
        order.packing_station = order.packing_user = order.packing_started_at = None

    run_in_transaction(db, work)


def free_from_station(db: Database, actor: Actor, reference: str, reason: str) -> str:
    """The desk frees an order from a station that is gone (crashed, closed for the day);
    the scans so far are kept. Returns the station it was freed from."""
    if not reason.strip():
        raise ValidationFailed("a reason is needed to free an order from its station")
    order_id, station = read(db, lambda s: _claim_of(s, reference))
    if station is None:
        raise InvalidTransition("the order is not being packed anywhere")
    release_packing(db, actor, order_id, force=True, reason=reason)
    return station


def _claim_of(session: Session, reference: str) -> tuple[int, str | None]:
    order = find_order(session, reference)
    return order.id, order.packing_station
