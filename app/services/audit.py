"""The audit trail and the one place order statuses change."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.order_workflow import OrderStatus, require_transition
from db.models import AuditEvent, Order


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
