"""Dispatch: packed parcels leave the building. Stock leaves the ledger here and the
reservations behind it are consumed."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.order_workflow import OrderStatus
from app.errors import InvalidTransition
from app.services.audit import transition
from app.services.inventory import move
from app.services.orders import find_order
from db.engine import Database
from db.models import Allocation, Order, OrderLine, Shipment, StockLevel
from db.types import utcnow
from db.uow import run_in_transaction


def ship_order(db: Database, actor: Actor, reference: str) -> str:
    """Ship every packed parcel of the order; returns the order's new status."""
    return run_in_transaction(
        db, lambda s: ship_in(s, actor, find_order(s, reference, for_update=True))
    )


def ship_in(session: Session, actor: Actor, order: Order) -> str:
    if order.status != OrderStatus.PACKED:
        raise InvalidTransition(
            f"{order.number} is {order.status.replace('_', ' ')}; only packed orders ship"
        )
    lines = list(
        session.scalars(
            select(OrderLine).where(OrderLine.order_id == order.id).order_by(OrderLine.id)
        )
    )
    to_ship = {line.id: line.qty_packed - line.qty_shipped for line in lines}
    allocations = session.scalars(
        select(Allocation)
        .where(Allocation.order_line_id.in_(list(to_ship)), Allocation.status == "active")
        .order_by(Allocation.stock_level_id, Allocation.id)
    ).all()
    levels = {
        level.id: level
        for level in session.scalars(
            select(StockLevel)
            .where(StockLevel.id.in_(sorted({a.stock_level_id for a in allocations})))
            .order_by(StockLevel.id)
            .with_for_update()
        )
    }
    shipped_from: dict[int, int] = defaultdict(int)
    for allocation in allocations:
        need = to_ship[allocation.order_line_id]
        take = min(need, allocation.quantity)
        if take == 0:
            continue
        if take < allocation.quantity:
            allocation.quantity -= take
            session.add(
                Allocation(
                    order_line_id=allocation.order_line_id,
                    stock_level_id=allocation.stock_level_id,
                    quantity=take,
                    status="consumed",
                )
            )
        else:
            allocation.status = "consumed"
        to_ship[allocation.order_line_id] -= take
        shipped_from[allocation.stock_level_id] += take
    for level_id, qty in shipped_from.items():
        level = levels[level_id]
        level.reserved -= qty
        move(session, actor, level, -qty, "ship", order_id=order.id)
    for line in lines:
        line.qty_shipped = line.qty_packed
    now = utcnow()
    for shipment in session.scalars(
        select(Shipment).where(Shipment.order_id == order.id, Shipment.status == "packed")
    ):
        shipment.status = "shipped"
        shipment.shipped_at = now
    if all(line.qty_shipped == line.qty_ordered for line in lines):
        transition(session, order, OrderStatus.SHIPPED, actor, action="shipped")
        return order.status
    transition(session, order, OrderStatus.PARTIALLY_SHIPPED, actor, action="shipped part")
    rest = (
        OrderStatus.ALLOCATED
        if any(line.qty_allocated > line.qty_shipped for line in lines)
        else OrderStatus.BACKORDERED
    )
    transition(session, order, rest, actor, reason="rest of the order to follow")
    return order.status
