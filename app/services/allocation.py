"""Reserve stock for waiting orders, in priority order, never promising a unit twice.

Locks are always taken in one order: the orders (by id), then the stock levels
(by id). The CHECK on stock_levels is the last line of defence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Row, bindparam, case, literal, or_, select, update
from sqlalchemy.orm import Session

from app.chunks import chunks
from app.context import Actor
from app.domain.allocation import RESERVABLE_KINDS, Need, Plan, Slot, plan_allocation
from app.domain.order_workflow import OrderStatus, require_transition
from app.garbage import collection_paused
from app.services.audit import audit_row
from db.base import table_of
from db.bulk import insert_rows
from db.engine import Database
from db.models import (
    Allocation,
    AuditEvent,
    Channel,
    Location,
    Order,
    OrderLine,
    StockLevel,
)
from db.types import utcnow
from db.uow import run_in_transaction

WAITING = (OrderStatus.NEW.value, OrderStatus.BACKORDERED.value)
NO_PRODUCT = -1  # the product id of a line whose SKU is not in the catalogue
# (id, number, status, the order's and its channel's allow_partial) of a locked order
OrderRow = Row[int, str, str, bool | None, bool]
# Switched off only by the negative-control race test, to prove the test can fail.
LOCKING = True


@dataclass
class AllocationResult:
    allocated: list[str] = field(default_factory=list)
    partially_allocated: list[str] = field(default_factory=list)
    backordered: list[str] = field(default_factory=list)


def allocate(
    db: Database,
    actor: Actor,
    *,
    order_ids: Sequence[int] | None = None,
    product_ids: Sequence[int] | None = None,
) -> AllocationResult:
    """Allocate waiting orders (all, the given ones, or those needing given products)."""
    return run_in_transaction(
        db, lambda s: allocate_in(s, actor, order_ids=order_ids, product_ids=product_ids)
    )


@collection_paused()
def allocate_in(
    session: Session,
    actor: Actor,
    *,
    order_ids: Sequence[int] | None = None,
    product_ids: Sequence[int] | None = None,
) -> AllocationResult:
    filters = [Order.status.in_(WAITING)]
    if order_ids is not None:
        filters.append(Order.id.in_(order_ids))
    if product_ids is not None:
        filters.append(
            Order.id.in_(select(OrderLine.order_id).where(OrderLine.product_id.in_(product_ids)))
        )
    orders = lock_orders(session, filters)
    if not orders:
        return AllocationResult()
    # Locks are taken in id order; the work is done in priority order.
    queue = [
        order_id
        for order_id in session.scalars(
            select(Order.id)
            .where(*filters)
            .order_by(Order.priority, Order.ship_by.asc().nulls_last(), Order.placed_at, Order.id)
        )
        if order_id in orders
    ]
    needs_by_order = outstanding_needs(session, list(orders))
    slots = stock_slots(session, needed_products(needs_by_order), lock=LOCKING)
    return allocate_locked(session, actor, orders, queue, needs_by_order, slots)


def lock_orders(session: Session, filters: Sequence[ColumnElement[bool]]) -> dict[int, OrderRow]:
    """The orders matching `filters`, locked in id order: (id, number, status, own and
    channel allow_partial) by id."""
    stmt = (
        select(Order.id, Order.number, Order.status, Order.allow_partial, Channel.allow_partial)
        .join(Channel, Channel.id == Order.channel_id)
        .where(*filters)
        .order_by(Order.id)
    )
    if LOCKING:
        stmt = stmt.with_for_update(of=Order)
    return {row[0]: row for row in session.execute(stmt)}


def allocate_locked(
    session: Session,
    actor: Actor,
    orders: Mapping[int, OrderRow],
    queue: Sequence[int],
    needs_by_order: Mapping[int, list[Need]],
    slots: dict[int, list[Slot]],
) -> AllocationResult:
    """Plan the locked `orders` in `queue` order against locked `slots`, and write it."""
    result = AllocationResult()
    plans: list[tuple[int, Plan]] = []
    for order_id in queue:
        _, number, status, own_partial, channel_partial = orders[order_id]
        needs = needs_by_order.get(order_id, [])
        partial = own_partial if own_partial is not None else channel_partial
        plan = plan_allocation(needs, slots, allow_partial=bool(partial)) if needs else Plan()
        if plan.units == 0:
            result.backordered.append(number)
            target = OrderStatus.BACKORDERED
        else:
            (result.allocated if plan.complete else result.partially_allocated).append(number)
            target = OrderStatus.ALLOCATED
        if target != status:
            require_transition(status, target, order_number=number)
            plans.append((order_id, plan))
        elif plan.units:
            plans.append((order_id, plan))
    _write(session, actor, plans, {oid: orders[oid][2] for oid, _ in plans})
    return result


def outstanding_needs(session: Session, order_ids: Sequence[int]) -> dict[int, list[Need]]:
    """Outstanding quantities per order, line by line."""
    needs: dict[int, list[Need]] = defaultdict(list)
    for chunk in chunks(order_ids):
        rows = session.execute(
            select(
                OrderLine.order_id,
                OrderLine.id,
                OrderLine.product_id,
                OrderLine.qty_to_fulfil - OrderLine.qty_allocated,
            )
            .where(
                OrderLine.order_id.in_(chunk),
                OrderLine.qty_allocated < OrderLine.qty_to_fulfil,
            )
            .order_by(OrderLine.order_id, OrderLine.line_no)
        )
        for order_id, line_id, product_id, qty in rows:
            # A line for an unknown SKU has no stock anywhere: it can never be reserved,
            # so a ship-complete order with one waits rather than ships without it.
            needs[order_id].append(Need(line_id, product_id or NO_PRODUCT, qty))
    return needs


def needed_products(needs_by_order: Mapping[int, list[Need]]) -> set[int]:
    return {n.product_id for ns in needs_by_order.values() for n in ns} - {NO_PRODUCT}


def stock_slots(
    session: Session, product_ids: Iterable[int], *, lock: bool
) -> dict[int, list[Slot]]:
    """The free stock of `product_ids` in active pick and bulk locations, by product;
    with `lock`, its rows are locked in id order."""
    slots: dict[int, list[Slot]] = defaultdict(list)
    for chunk in chunks(sorted(product_ids)):
        stmt = (
            select(
                StockLevel.id,
                StockLevel.product_id,
                Location.warehouse_id,
                Location.pick_sequence,
                StockLevel.on_hand - StockLevel.reserved,
            )
            .join(Location, Location.id == StockLevel.location_id)
            .where(
                StockLevel.product_id.in_(chunk),
                StockLevel.on_hand > StockLevel.reserved,
                Location.kind.in_(RESERVABLE_KINDS),
                Location.active.is_(True),
            )
            .order_by(StockLevel.id)
        )
        if lock:
            stmt = stmt.with_for_update(of=StockLevel)
        for sl_id, product_id, wh, seq, available in session.execute(stmt):
            slots[product_id].append(Slot(sl_id, product_id, wh, seq, available))
    return slots


def _write(
    session: Session, actor: Actor, plans: list[tuple[int, Plan]], statuses: dict[int, str]
) -> None:
    if not plans:
        return
    now = utcnow()
    reservations = [r for _, plan in plans for r in plan.reservations]
    if reservations:
        insert_rows(
            session,
            Allocation,
            [
                {
                    "order_line_id": r.line_id,
                    "stock_level_id": r.stock_level_id,
                    "quantity": r.quantity,
                    "status": "active",
                    "created_at": now,
                }
                for r in reservations
            ],
        )
        per_stock: dict[int, int] = defaultdict(int)
        per_line: dict[int, int] = defaultdict(int)
        for r in reservations:
            per_stock[r.stock_level_id] += r.quantity
            per_line[r.line_id] += r.quantity
        sl = table_of(StockLevel)
        session.connection().execute(
            update(sl)
            .where(sl.c.id == bindparam("b_id"))
            .values(reserved=sl.c.reserved + bindparam("b_qty"), version=sl.c.version + 1),
            [{"b_id": k, "b_qty": v} for k, v in sorted(per_stock.items())],
        )
        _add_allocated(session, plans, per_line)
    ot = table_of(Order)
    moved: dict[OrderStatus, list[int]] = defaultdict(list)
    audit = []
    for order_id, plan in plans:
        target = OrderStatus.ALLOCATED if plan.units else OrderStatus.BACKORDERED
        if statuses[order_id] != target:
            moved[target].append(order_id)
        row = audit_row(
            actor,
            "order",
            order_id,
            "reserved" if plan.units else "backordered",
            from_status=statuses[order_id],
            to_status=target.value,
            details={"units": plan.units, "complete": plan.complete},
        )
        row["occurred_at"] = now
        audit.append(row)
    for status, ids in moved.items():
        values = {"status": status.value, "version": ot.c.version + 1, "updated_at": now}
        if status is OrderStatus.ALLOCATED:
            values["allocated_at"] = _first_moment(ot.c.allocated_at, now)
        for chunk in chunks(ids):
            session.connection().execute(update(ot).where(ot.c.id.in_(chunk)).values(values))
    insert_rows(session, AuditEvent, audit)


def _first_moment(column: ColumnElement[datetime | None], now: datetime) -> ColumnElement[Any]:
    """The milestone `column` as the audit trigger (migration 0015) keeps it for an event
    at `now`: written here with the status, in the same row version, the trigger's own
    UPDATE for the audit row then finds nothing to change (on PostgreSQL it would
    write every order's row a second time)."""
    moment = literal(now, column.type)
    return case((or_(column.is_(None), column > moment), moment), else_=column)


def _add_allocated(
    session: Session, plans: list[tuple[int, Plan]], per_line: dict[int, int]
) -> None:
    """Raise the lines' allocated quantities: whole orders in one statement per chunk
    (every outstanding unit reserved), the rest line by line."""
    ol = table_of(OrderLine)
    complete = [order_id for order_id, plan in plans if plan.complete and plan.units]
    for chunk in chunks(complete):
        session.connection().execute(
            update(ol)
            .where(ol.c.order_id.in_(chunk), ol.c.product_id.is_not(None))
            .values(qty_allocated=ol.c.qty_ordered - ol.c.qty_handled_elsewhere)
        )
    done = {r.line_id for order_id, plan in plans if plan.complete for r in plan.reservations}
    partial = [{"b_id": k, "b_qty": v} for k, v in sorted(per_line.items()) if k not in done]
    if partial:
        session.connection().execute(
            update(ol)
            .where(ol.c.id == bindparam("b_id"))
            .values(qty_allocated=ol.c.qty_allocated + bindparam("b_qty")),
            partial,
        )
