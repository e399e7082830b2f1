"""Dispatch: packed parcels leave the building. Stock leaves the ledger here and the
reservations behind it are consumed.

Core statements on purpose: this runs once per parcel all day, and the ORM's unit
of work costs more than the statements themselves.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, bindparam, select, update
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.order_workflow import OrderStatus
from app.errors import InvalidTransition
from app.services.access import authorize
from app.services.audit import Move, OrderRef, lock_order_by_reference, move_order
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
_CONSUME = (  # one statement for all, where a statement per row costs a round trip each
    update(ALLOCATIONS)
    .where(ALLOCATIONS.c.id.in_(bindparam("ids", expanding=True)))
    .values(status="consumed")
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
_SHIPMENTS_LEAVE = (
    update(SHIPMENTS)
    .where(SHIPMENTS.c.order_id == bindparam("b_order_id"), SHIPMENTS.c.status == "packed")
    .values(status="shipped", shipped_at=bindparam("now"))
    .returning(SHIPMENTS.c.id)
)


@dataclass(frozen=True)
class ShipLine:
    """What the order's next status depends on, once a dispatch has left."""

    id: int
    here: int  # the units to ship from here: ordered, less those handled elsewhere
    allocated: int
    shipped: int  # with this dispatch


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
    rows = conn.execute(_LINES_OF, {"order_id": order.id}).all()
    to_ship = {line_id: packed - shipped for line_id, *_, packed, shipped in rows}
    take_stock_out(session, actor, order.id, to_ship)
    conn.execute(_ALL_PACKED_SHIPPED, {"b_order_id": order.id})
    leaving = conn.execute(_SHIPMENTS_LEAVE, {"b_order_id": order.id, "now": utcnow()})
    queue_shipped_messages(session, order.id, sorted(leaving.scalars()), actor)
    lines = [
        ShipLine(line_id, here, allocated, packed) for line_id, here, allocated, packed, _ in rows
    ]
    return move_order(session, order, shipped_moves(lines), actor).status


def shipped_moves(lines: Iterable[ShipLine]) -> list[Move]:
    """The order's moves once every packed unit has left: shipped; or shipped in part,
    the rest to follow (still allocated) or waiting for stock (backordered)."""
    lines = list(lines)
    if all(line.shipped == line.here for line in lines):
        return [Move(OrderStatus.SHIPPED, "shipped")]
    rest = (
        OrderStatus.ALLOCATED
        if any(line.allocated > line.shipped for line in lines)
        else OrderStatus.BACKORDERED
    )
    return [
        Move(OrderStatus.PARTIALLY_SHIPPED, "shipped part"),
        Move(rest, reason="rest of the order to follow"),
    ]


# (allocation, order line, stock level, quantity, product, location) per reservation
AllocatedStock = Sequence[Row[int, int, int, int, int, int]]


def lock_allocated_stock(session: Session, order_id: int) -> AllocatedStock:
    """The order's active reservations, their stock rows locked in their order: what
    `take_stock_out` takes from."""
    return session.connection().execute(_LOCK_ALLOCATED_STOCK, {"order_id": order_id}).all()


def take_stock_out(
    session: Session,
    actor: Actor,
    order_id: int,
    to_ship: dict[int, int],
    locked: AllocatedStock | None = None,
) -> None:
    """Take `to_ship` units per order line off the shelves: the reservations behind them
    are consumed (split where only part of one leaves) and the stock rows, locked in
    their order, lose the units on hand and reserved, with a stock move each.
    `locked`: what `lock_allocated_stock` read, when the caller locked it already; then
    only writes are sent (they may go out in a pipeline)."""
    conn = session.connection()
    rows = lock_allocated_stock(session, order_id) if locked is None else locked
    levels = {level_id: (product, location) for _, _, level_id, _, product, location in rows}
    left = dict(to_ship)
    consumed: list[int] = []
    reduced: list[dict[str, Any]] = []
    split: list[dict[str, Any]] = []
    shipped_from: dict[int, int] = defaultdict(int)
    for alloc_id, line_id, level_id, quantity, _, _ in rows:
        take = min(left.get(line_id, 0), quantity)
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
            consumed.append(alloc_id)
        left[line_id] -= take
        shipped_from[level_id] += take
    if consumed:
        conn.execute(_CONSUME, {"ids": consumed})
    if reduced:
        conn.execute(_REDUCE, reduced)
    insert_rows(session, Allocation, split)
    if not shipped_from:
        return
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
                "order_id": order_id,
                "user_id": actor.user_id,
                "station": actor.station,
                "created_at": now,
            }
            for k, v in sorted(shipped_from.items())
        ],
    )
