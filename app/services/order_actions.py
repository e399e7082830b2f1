"""What the service desk does to an order: hold, release, cancel, note.

Each action locks the order row first, then stock rows in id order — the same
order as allocation, so the two never deadlock.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.order_workflow import CANCELLABLE, OrderStatus
from app.errors import InvalidTransition, ValidationFailed
from app.services.access import authorize
from app.services.audit import record, transition
from app.services.intercepts import Intercepted, intercept_picked_units
from app.services.orders import find_order
from app.services.settings import load_risk_settings
from db.engine import Database
from db.models import (
    Allocation,
    AuditEvent,
    Note,
    Order,
    OrderLine,
    PackingProgress,
    PickTask,
    Shipment,
    StockLevel,
)
from db.uow import run_in_transaction


def release_allocations(session: Session, order: Order) -> int:
    """Give back every active reservation of `order`; returns the units released."""
    rows = session.execute(
        select(Allocation, OrderLine)
        .join(OrderLine, OrderLine.id == Allocation.order_line_id)
        .where(OrderLine.order_id == order.id, Allocation.status == "active")
        .order_by(Allocation.stock_level_id)
    ).all()
    per_level: dict[int, int] = defaultdict(int)
    for allocation, line in rows:
        per_level[allocation.stock_level_id] += allocation.quantity
        allocation.status = "released"
        line.qty_allocated -= allocation.quantity
        line.qty_picked = min(line.qty_picked, line.qty_allocated)
        line.qty_packed = min(line.qty_packed, line.qty_picked)
    if per_level:
        levels = session.scalars(
            select(StockLevel)
            .where(StockLevel.id.in_(sorted(per_level)))
            .order_by(StockLevel.id)
            .with_for_update()
        ).all()
        for level in levels:
            level.reserved -= per_level[level.id]
    return sum(per_level.values())


def cancel_open_pick_tasks(session: Session, order_id: int) -> int:
    """Take the order's unpicked pick tasks off their pick lists; returns how many."""
    return (
        session.connection()
        .execute(
            update(PickTask)
            .where(
                PickTask.order_line_id.in_(
                    select(OrderLine.id).where(OrderLine.order_id == order_id)
                ),
                PickTask.status == "open",
            )
            .values(status="cancelled")
        )
        .rowcount
    )


def cancel_order(db: Database, actor: Actor, reference: str, reason: str) -> Intercepted:
    """Cancel before shipping. Once anything is picked this is an intercept: the picked
    units become unpack tasks (back in stock only when put away), labels are voided."""
    if not reason.strip():
        raise ValidationFailed("a reason is needed to cancel an order")

    def work(session: Session) -> Intercepted:
        authorize(session, actor, "order.cancel")
        order = find_order(session, reference, for_update=True)
        if order.status not in CANCELLABLE:
            raise InvalidTransition(
                f"order {order.number} is {order.status.replace('_', ' ')}; "
                "only orders not yet shipped can be cancelled"
            )
        intercepted = intercept_picked_units(session, actor, order)
        units = release_allocations(session, order)
        for shipment in session.scalars(
            select(Shipment).where(Shipment.order_id == order.id, Shipment.status == "packed")
        ):
            shipment.status = "voided"
        line_ids = []
        for line in session.scalars(select(OrderLine).where(OrderLine.order_id == order.id)):
            # Units already shipped stay shipped; everything not yet out is undone.
            line.qty_packed = line.qty_picked = line.qty_shipped
            line_ids.append(line.id)
        session.execute(
            update(PickTask)
            .where(PickTask.order_line_id.in_(line_ids), PickTask.status == "open")
            .values(status="cancelled")
            .execution_options(synchronize_session=False)
        )
        session.execute(delete(PackingProgress).where(PackingProgress.order_id == order.id))
        order.packing_station = order.packing_user = order.packing_started_at = None
        transition(
            session,
            order,
            OrderStatus.CANCELLED,
            actor,
            reason=reason,
            details={
                "units_released": units,
                "units_to_put_away": intercepted.units_to_put_away,
                "print_jobs_cancelled": intercepted.print_jobs_cancelled,
            },
        )
        return intercepted

    return run_in_transaction(db, work)


def hold_order(db: Database, actor: Actor, reference: str, reason: str) -> None:
    if not reason.strip():
        raise ValidationFailed("a reason is needed to put an order on hold")

    def work(session: Session) -> None:
        authorize(session, actor, "order.hold")
        order = find_order(session, reference, for_update=True)
        transition(session, order, OrderStatus.ON_HOLD, actor, reason=reason)

    run_in_transaction(db, work)


def release_hold(db: Database, actor: Actor, reference: str, note: str) -> str:
    """Release a hold with a note; returns the status the order went back to."""
    if not note.strip():
        raise ValidationFailed("a note is needed to release a hold: say why it is safe")

    def work(session: Session) -> str:
        authorize(session, actor, "order.release")
        order = find_order(session, reference, for_update=True)
        if order.status != OrderStatus.ON_HOLD:
            raise InvalidTransition(f"order {order.number} is not on hold")
        limit = load_risk_settings(session).release_approval_value
        if order.grand_total > limit and _held_at_intake(session, order.id):
            authorize(session, actor, "risk.release_over_threshold")
        target = OrderStatus(order.held_from or OrderStatus.NEW)
        held_for = order.hold_reason
        transition(
            session,
            order,
            target,
            actor,
            reason=note,
            action="hold released",
            details={"hold_reason": held_for},
        )
        return target.value

    return run_in_transaction(db, work)


def _held_at_intake(session: Session, order_id: int) -> bool:
    """Whether the order's hold is the one intake put on (risk rules, unknown SKU),
    not one a person put on by hand since."""
    latest = session.scalar(
        select(AuditEvent.action)
        .where(
            AuditEvent.entity == "order",
            AuditEvent.entity_id == order_id,
            AuditEvent.to_status == OrderStatus.ON_HOLD.value,
        )
        .order_by(AuditEvent.id.desc())
        .limit(1)
    )
    return latest == "created"


def add_note(db: Database, actor: Actor, reference: str, body: str) -> None:
    if not body.strip():
        raise ValidationFailed("the note is empty")

    def work(session: Session) -> None:
        authorize(session, actor, "order.note")
        order = find_order(session, reference)
        session.add(
            Note(order_id=order.id, user_id=actor.user_id, author=actor.username, body=body.strip())
        )
        record(session, actor, "order", order.id, "note", reason=body.strip())

    run_in_transaction(db, work)
