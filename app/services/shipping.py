"""Dispatch: packed parcels leave the building. Stock leaves the ledger here and the
reservations behind it are consumed.

Core statements on purpose: this runs once per parcel all day, and the ORM's unit
of work costs more than the statements themselves.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.order_workflow import OrderStatus
from app.errors import InvalidTransition
from app.services.access import authorize
from app.services.audit import OrderRef, lock_order_by_reference, set_status
from app.services.customer_updates import queue_shipped_messages
from db.base import table_of
from db.bulk import insert_rows
from db.engine import Database
from db.models import Allocation, OrderLine, Shipment, StockLevel, StockMove
from db.types import utcnow
from db.uow import run_in_transaction

ALLOCATIONS = table_of(Allocation)
LINES = table_of(OrderLine)
LEVELS = table_of(StockLevel)
SHIPMENTS = table_of(Shipment)
# Built once: these run for every parcel dispatched.
_LINES_OF = select(
    LINES.c.id,
    LINES.c.qty_ordered - LINES.c.qty_handled_elsewhere,  # the units to ship from here
    LINES.c.qty_allocated,
    LINES.c.qty_packed,
    LINES.c.qty_shipped,
).where(LINES.c.order_id == bindparam("order_id"))
_LOCK_ALLOCATED_STOCK = (
    select(
        ALLOCATIONS.c.id,
        ALLOCATIONS.c.order_line_id,
        ALLOCATIONS.c.stock_level_id,
        ALLOCATIONS.c.quantity,
        LEVELS.c.product_id,
        LEVELS.c.location_id,
    )
    .join(LINES, LINES.c.id == ALLOCATIONS.c.order_line_id)
    .join(LEVELS, LEVELS.c.id == ALLOCATIONS.c.stock_level_id)
    .where(LINES.c.order_id == bindparam("order_id"), ALLOCATIONS.c.status == "active")
    .order_by(ALLOCATIONS.c.stock_level_id, ALLOCATIONS.c.id)  # locks in stock-row order
    .with_for_update(of=LEVELS)
)
_CONSUME = (
    update(ALLOCATIONS).where(ALLOCATIONS.c.id == bindparam("b_id")).values(status="consumed")
)
_REDUCE = (
    update(ALLOCATIONS)
    .where(ALLOCATIONS.c.id == bindparam("b_id"))
    .values(quantity=bindparam("b_qty"))
)
_TAKE_OUT = (
    update(LEVELS)
    .where(LEVELS.c.id == bindparam("b_id"))
    .values(
        on_hand=LEVELS.c.on_hand - bindparam("b_qty"),
        reserved=LEVELS.c.reserved - bindparam("b_qty"),
        version=LEVELS.c.version + 1,
    )
)
_ALL_PACKED_SHIPPED = (
    update(LINES)
    .where(LINES.c.order_id == bindparam("b_order_id"))
    .values(qty_shipped=LINES.c.qty_packed)
)
_PACKED_SHIPMENTS = select(SHIPMENTS.c.id).where(
    SHIPMENTS.c.order_id == bindparam("order_id"), SHIPMENTS.c.status == "packed"
)
_SHIPMENTS_LEAVE = (
    update(SHIPMENTS)
    .where(SHIPMENTS.c.order_id == bindparam("b_order_id"), SHIPMENTS.c.status == "packed")
    .values(status="shipped", shipped_at=bindparam("now"))
)


def ship_order(db: Database, actor: Actor, reference: str) -> str:
    """Ship every packed parcel of the order; returns the order's new status."""
    return run_in_transaction(
        db, lambda s: ship_in(s, actor, lock_order_by_reference(s, reference))
    )


def ship_in(session: Session, actor: Actor, order: OrderRef) -> str:
    authorize(session, actor, "ship")
    if order.status != OrderStatus.PACKED:
        raise InvalidTransition(
            f"{order.number} is {order.status.replace('_', ' ')}; only packed orders ship"
        )
    conn = session.connection()
    lines = conn.execute(_LINES_OF, {"order_id": order.id}).all()
    to_ship = {line_id: packed - shipped for line_id, _, _, packed, shipped in lines}
    rows = conn.execute(_LOCK_ALLOCATED_STOCK, {"order_id": order.id}).all()
    allocations = [(a_id, line_id, level_id, qty) for a_id, line_id, level_id, qty, _, _ in rows]
    levels = {level_id: (product, location) for _, _, level_id, _, product, location in rows}
    consumed: list[dict[str, Any]] = []
    reduced: list[dict[str, Any]] = []
    split: list[dict[str, Any]] = []
    shipped_from: dict[int, int] = defaultdict(int)
    for alloc_id, line_id, level_id, quantity in allocations:
        take = min(to_ship[line_id], quantity)
        if take == 0:
            continue
        if take < quantity:
            reduced.append({"b_id": alloc_id, "b_qty": quantity - take})
            split.append(
                {
                    "order_line_id": line_id,
                    "stock_level_id": level_id,
                    "quantity": take,
                    "status": "consumed",
                }
            )
        else:
            consumed.append({"b_id": alloc_id})
        to_ship[line_id] -= take
        shipped_from[level_id] += take
    if consumed:
        conn.execute(_CONSUME, consumed)
    if reduced:
        conn.execute(_REDUCE, reduced)
    insert_rows(session, Allocation, split)
    if shipped_from:
        conn.execute(_TAKE_OUT, [{"b_id": k, "b_qty": v} for k, v in sorted(shipped_from.items())])
        now = utcnow()
        insert_rows(
            session,
            StockMove,
            [
                {
                    "product_id": levels[k][0],
                    "location_id": levels[k][1],
                    "quantity": -v,
                    "kind": "ship",
                    "order_id": order.id,
                    "user_id": actor.user_id,
                    "station": actor.station,
                    "created_at": now,
                }
                for k, v in sorted(shipped_from.items())
            ],
        )
    leaving = conn.execute(_PACKED_SHIPMENTS, {"order_id": order.id}).all()
    conn.execute(_ALL_PACKED_SHIPPED, {"b_order_id": order.id})
    conn.execute(_SHIPMENTS_LEAVE, {"b_order_id": order.id, "now": utcnow()})
    queue_shipped_messages(session, order.id, [row.id for row in leaving], actor)
    if all(packed == ordered for _, ordered, _, packed, _ in lines):
        return set_status(session, order, OrderStatus.SHIPPED, actor, action="shipped").status
    order = set_status(session, order, OrderStatus.PARTIALLY_SHIPPED, actor, action="shipped part")
    rest = (
        OrderStatus.ALLOCATED
        if any(allocated > packed for _, _, allocated, packed, _ in lines)
        else OrderStatus.BACKORDERED
    )
    return set_status(session, order, rest, actor, reason="rest of the order to follow").status
