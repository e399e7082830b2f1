"""The audit trail and the one place order statuses change."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from sqlalchemy import Row, Select, Update, bindparam, case, or_, select, update
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

    @classmethod
    def of(cls, row: Row[Any]) -> OrderRef:
        """From a row read by a statement of `lock_statements`."""
        return cls(*row[: len(_LOCKED_COLUMNS)])

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


def lock_statements(
    extend: Callable[[Select[Any]], Select[Any]] = lambda query: query,
) -> tuple[Select[Any], Select[Any]]:
    """Statements (by `order_id`, by `number`) that lock one order row and read the
    OrderRef columns first, then what `extend` adds (columns, joins): a unit of work
    that needs more than the order reads it with the lock, in one round trip."""
    query = extend(select(*_LOCKED_COLUMNS)).with_for_update(of=_ORDERS)
    return (
        query.where(_ORDERS.c.id == bindparam("order_id")),
        query.where(_ORDERS.c.number == bindparam("number")),
    )


_LOCK, _LOCK_BY_NUMBER = lock_statements()
_MOVE = (
    update(_ORDERS)
    .where(_ORDERS.c.id == bindparam("order_id"), _ORDERS.c.version == bindparam("seen"))
    .values(status=bindparam("target"), version=bindparam("seen") + 1, updated_at=bindparam("now"))
)
# The statuses whose first moment `orders` keeps in a column (migration 0015's trigger
# on audit_events writes it, earliest wins).
_MILESTONES = frozenset(("allocated", "picked", "packed", "shipped", "cancelled"))


@cache
def _move_statement(release_packing: bool, milestones: frozenset[str]) -> Update:
    """`_MOVE` (built once per variant, so its compiled form is cached) that also frees
    the packing station, and writes each of `milestones`' columns as the audit trigger
    would for an event at `now`: the trigger's own UPDATE then finds nothing to change,
    instead of writing the order's row a second time."""
    values: dict[str, Any] = {}
    if release_packing:
        values.update(packing_station=None, packing_user=None, packing_started_at=None)
    now = bindparam("now", type_=_ORDERS.c.updated_at.type)
    for status in sorted(milestones):
        column = _ORDERS.c[f"{status}_at"]
        values[column.name] = case((or_(column.is_(None), column > now), now), else_=column)
    return _MOVE.values(values) if values else _MOVE


def lock_row_by_reference(
    session: Session,
    reference: str,
    statements: tuple[Select[Any], Select[Any]],
    params: dict[str, Any] | None = None,
) -> Row[Any]:
    """Lock the order a packer or supervisor named, with a statement of `lock_statements`:
    by number in one statement, else through the channel reference."""
    by_id, by_number = statements
    conn = session.connection()
    number = without_document_prefix(reference).upper()
    row = conn.execute(by_number, {"number": number, **(params or {})}).first()
    if row is not None:
        return row
    return conn.execute(
        by_id, {"order_id": find_order_id(session, reference), **(params or {})}
    ).one()


def lock_order_by_reference(session: Session, reference: str) -> OrderRef:
    return OrderRef.of(lock_row_by_reference(session, reference, (_LOCK, _LOCK_BY_NUMBER)))


def lock_order(session: Session, order_id: int) -> OrderRef:
    return OrderRef.of(session.connection().execute(_LOCK, {"order_id": order_id}).one())


@dataclass(frozen=True)
class Move:
    """One step of an order's lifecycle, with what its audit row says."""

    target: OrderStatus
    action: str | None = None  # default: the target status
    reason: str | None = None
    details: dict[str, Any] | None = None


def move_order(
    session: Session,
    order: OrderRef,
    moves: Sequence[Move],
    actor: Actor,
    *,
    release_packing: bool = False,
    also_audit: Sequence[dict[str, Any]] = (),
) -> OrderRef:
    """Move a row locked with `lock_order` through `moves`: every step is checked against
    the lifecycle and audited, but the row is written once (to the last status) and the
    audit rows, after `also_audit` (other `audit_row`s of the unit of work), go in one
    INSERT.

    `release_packing` also frees the order from the station that was packing it.
    """
    rows = list(also_audit)
    status = order.status
    for move in moves:
        require_transition(status, move.target, order_number=order.number)
        rows.append(
            audit_row(
                actor,
                "order",
                order.id,
                move.action or move.target.value,
                from_status=status,
                to_status=move.target.value,
                reason=move.reason,
                details=move.details,
            )
        )
        status = move.target.value
    now = utcnow()
    reached = frozenset(move.target.value for move in moves) & _MILESTONES
    result = session.connection().execute(
        _move_statement(release_packing, reached),
        {"order_id": order.id, "seen": order.version, "target": status, "now": now},
    )
    if result.rowcount != 1:
        raise ConcurrencyConflict(f"{order.number} was changed by someone else - reload")
    insert_rows(session, AuditEvent, [{**row, "occurred_at": now} for row in rows])
    return replace(
        order,
        status=status,
        version=order.version + 1,
        packing_station=None if release_packing else order.packing_station,
        packing_user=None if release_packing else order.packing_user,
    )


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
    """`transition` for a row locked with `lock_order`: one UPDATE, one audit row."""
    return move_order(
        session,
        order,
        [Move(target, action, reason, details)],
        actor,
        release_packing=release_packing,
    )
