"""The audit trail and the one place order statuses change."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.order_workflow import OrderStatus, require_transition
from app.errors import ConcurrencyConflict
from app.services.orders import find_order_id, without_document_prefix
from db.base import table_of
from db.bulk import insert_rows
from db.models import AuditEvent, Order
from db.types import utcnow


def audit_row(
    actor: Actor,
    entity: str,
    entity_id: int,
    action: str,
    *,
    from_status: str | None = None,
    to_status: str | None = None,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An audit event as a plain row, for bulk inserts."""
    return {
        "user_id": actor.user_id,
        "username": actor.username,
        "station": actor.station,
        "entity": entity,
        "entity_id": entity_id,
        "action": action,
        "from_status": from_status,
        "to_status": to_status,
        "reason": reason,
        "details": details,
    }


def record(
    session: Session, actor: Actor, entity: str, entity_id: int, action: str, **fields: Any
) -> None:
    session.add(AuditEvent(**audit_row(actor, entity, entity_id, action, **fields)))


def transition(
    session: Session,
    order: Order,
    target: OrderStatus,
    actor: Actor,
    *,
    reason: str | None = None,
    action: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Move `order` to `target` if the lifecycle allows it, and audit the move."""
    require_transition(order.status, target, order_number=order.number)
    previous = order.status
    if target is OrderStatus.ON_HOLD:
        order.held_from = previous
        order.hold_reason = reason
    elif previous == OrderStatus.ON_HOLD:
        order.held_from = None
        order.hold_reason = None
    order.status = target
    record(
        session,
        actor,
        "order",
        order.id,
        action or target.value,
        from_status=previous,
        to_status=target.value,
        reason=reason,
        details=details,
    )


@dataclass(frozen=True)
class OrderRef:
    """The columns of a locked order row that the hot paths need, without the ORM."""

    id: int
    number: str
    status: str
    version: int
    packing_station: str | None
    packing_user: str | None
    service_level: str
    ship_country: str

    @property
    def busy_message(self) -> str:
        return (
            f"{self.number} is being packed at station {self.packing_station} ({self.packing_user})"
        )


_ORDERS = table_of(Order)
# Built once: every scan, pack and dispatch locks and moves an order.
_LOCKED_COLUMNS = (
    _ORDERS.c.id,
    _ORDERS.c.number,
    _ORDERS.c.status,
    _ORDERS.c.version,
    _ORDERS.c.packing_station,
    _ORDERS.c.packing_user,
    _ORDERS.c.service_level,
    _ORDERS.c.ship_country,
)
_LOCK = select(*_LOCKED_COLUMNS).where(_ORDERS.c.id == bindparam("order_id")).with_for_update()
_LOCK_BY_NUMBER = (
    select(*_LOCKED_COLUMNS).where(_ORDERS.c.number == bindparam("number")).with_for_update()
)
_MOVE = (
    update(_ORDERS)
    .where(_ORDERS.c.id == bindparam("order_id"), _ORDERS.c.version == bindparam("seen"))
    .values(status=bindparam("target"), version=bindparam("seen") + 1, updated_at=bindparam("now"))
)
_MOVE_AND_RELEASE = _MOVE.values(packing_station=None, packing_user=None, packing_started_at=None)


def lock_order_by_reference(session: Session, reference: str) -> OrderRef:
    """Lock the order a packer or supervisor named: by number in one statement, else
    through the channel reference."""
    number = without_document_prefix(reference).upper()
    row = session.connection().execute(_LOCK_BY_NUMBER, {"number": number}).first()
    if row is not None:
        return OrderRef(*row)
    return lock_order(session, find_order_id(session, reference))


def lock_order(session: Session, order_id: int) -> OrderRef:
    return OrderRef(*session.connection().execute(_LOCK, {"order_id": order_id}).one())


def set_status(
    session: Session,
    order: OrderRef,
    target: OrderStatus,
    actor: Actor,
    *,
    reason: str | None = None,
    action: str | None = None,
    details: dict[str, Any] | None = None,
    release_packing: bool = False,
) -> OrderRef:
    """`transition` for a row locked with `lock_order`: one UPDATE, one audit row.

    `release_packing` also frees the order from the station that was packing it.
    """
    require_transition(order.status, target, order_number=order.number)
    result = session.connection().execute(
        _MOVE_AND_RELEASE if release_packing else _MOVE,
        {"order_id": order.id, "seen": order.version, "target": target.value, "now": utcnow()},
    )
    if result.rowcount != 1:
        raise ConcurrencyConflict(f"{order.number} was changed by someone else - reload")
    insert_rows(
        session,
        AuditEvent,
        [
            audit_row(
                actor,
                "order",
                order.id,
                action or target.value,
                from_status=order.status,
                to_status=target.value,
                reason=reason,
                details=details,
            )
        ],
    )
    return replace(
        order,
        status=target.value,
        version=order.version + 1,
        packing_station=None if release_packing else order.packing_station,
        packing_user=None if release_packing else order.packing_user,
    )
