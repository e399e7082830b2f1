"""Short picks: the picker found fewer units than the stop asks for.

Locks the list, its orders by id, then the product's stock rows by id. The units not
found are given back at the empty bin (and written off there as far as no other
order's reservation needs them), taken from other bins with free stock as new stops,
and what no bin has is backordered - never silently. A ship-complete order that
comes up short goes back to wait whole.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.order_workflow import OrderStatus
from app.domain.picking import PickStop
from app.errors import InvalidTransition, NotFound, ValidationFailed
from app.services.access import authorize
from app.services.audit import record, transition
from app.services.availability import SELLABLE_KINDS
from app.services.inventory import move
from app.services.order_actions import cancel_open_pick_tasks, release_allocations
from app.services.pick_lists import load_views
from app.services.picking import held, lock_orders
from db.engine import Database
from db.models import (
    Allocation,
    Channel,
    Location,
    Order,
    OrderLine,
    PickList,
    PickTask,
    StockLevel,
)
from db.uow import run_in_transaction

SHORT_PICK_REASON = "short pick: not found"


@dataclass(frozen=True)
class ShortPick:
    """What a short pick did: the units not found, written off, re-reserved, backordered."""

    message: str
    missing: int
    written_off: int
    replacements: tuple[PickStop, ...]
    backordered: int
    order_status: str


def report_short(db: Database, actor: Actor, task_id: int, found: int) -> ShortPick:
    """The picker found only `found` of a task's units at its location.

    The rest is given back there (and written off, as far as no other order's
    reservation needs it), then taken from other locations with free stock, each a
    new stop at the end of the list; what no location has is backordered. The order
    becomes backordered when nothing at all is left reserved for it.
    """

    def work(session: Session) -> ShortPick:
        authorize(session, actor, "pick")
        stub = session.get(PickTask, task_id)
        if stub is None:
            raise NotFound(f"no pick task with id {task_id}")
        pick_list = held(session, actor, stub.pick_list_id)
        orders = {o.id: o for o in lock_orders(session, pick_list.id)}
        task = session.get_one(PickTask, task_id, populate_existing=True)
        line = session.get_one(OrderLine, task.order_line_id, populate_existing=True)
        order = orders[line.order_id]
        if order.status != OrderStatus.PICKING:
            raise InvalidTransition(f"{order.number} is {order.status.replace('_', ' ')}")
        allocation = session.get(Allocation, task.allocation_id) if task.allocation_id else None
        if task.status != "open" or allocation is None or allocation.status != "active":
            raise ValidationFailed(f"stop {task.sequence} of {pick_list.number} is closed")
        if not task.qty_picked <= found < task.quantity:
            raise ValidationFailed(
                f"found must be from {task.qty_picked} (already picked) to {task.quantity - 1}"
            )
        return _short(session, actor, pick_list, order, line, task, allocation, found)

    return run_in_transaction(db, work)


def _short(
    session: Session,
    actor: Actor,
    pick_list: PickList,
    order: Order,
    line: OrderLine,
    task: PickTask,
    allocation: Allocation,
    found: int,
) -> ShortPick:
    missing = task.quantity - found
    here, code, others = _lock_levels(session, task, allocation)
    if found:
        allocation.quantity = found
        session.add(
            Allocation(
                order_line_id=line.id, stock_level_id=here.id, quantity=missing, status="released"
            )
        )
    else:
        allocation.status = "released"
    here.reserved -= missing
    line.qty_allocated -= missing
    task.quantity = found
    task.status = "open" if task.qty_picked < found else "short"
    written_off = min(missing, here.on_hand - here.reserved)
    if written_off:
        move(
            session,
            actor,
            here,
            -written_off,
            "adjustment",
            reason=SHORT_PICK_REASON,
            order_id=order.id,
        )
    new_ids = _take_elsewhere(session, pick_list, line, task, others, missing)
    replacements = tuple(
        t for t in load_views(session, [pick_list.id])[0].tasks if t.task_id in new_ids
    )
    backordered = missing - sum(t.quantity for t in replacements)
    moved = "".join(f"; {t.quantity} from {t.location} (stop {t.sequence})" for t in replacements)
    message = f"{order.number}: {missing} × {line.sku} not at {code}{moved}" + (
        f"; {backordered} backordered" if backordered else ""
    )
    details = {"task": task.id, "found": found, "written_off": written_off}
    record(session, actor, "order", order.id, "short pick", reason=message, details=details)
    left = session.scalar(
        select(func.sum(OrderLine.qty_allocated)).where(OrderLine.order_id == order.id)
    )
    if left and backordered and not _ships_partial(session, order):
        released = release_allocations(session, order)
        cancel_open_pick_tasks(session, order.id)
        message += (
            f"; ship-complete order waits whole: {released} reserved units released, "
            "put its picked items back"
        )
        left = 0
    if not left:
        transition(
            session, order, OrderStatus.BACKORDERED, actor, reason=message, action="short pick"
        )
    return ShortPick(message, missing, written_off, replacements, backordered, order.status)


def _ships_partial(session: Session, order: Order) -> bool:
    if order.allow_partial is not None:
        return order.allow_partial
    return bool(session.scalar(select(Channel.allow_partial).where(Channel.id == order.channel_id)))


def _lock_levels(
    session: Session, task: PickTask, allocation: Allocation
) -> tuple[StockLevel, str, list[StockLevel]]:
    """Lock, by id, the emptied stock row and the product's other rows with free stock
    in the same warehouse; returns the emptied row, its location and the others in
    walking order."""
    warehouse = select(Location.warehouse_id).where(Location.id == task.location_id)
    rows = session.execute(
        select(StockLevel, Location.pick_sequence, Location.code)
        .join(Location, Location.id == StockLevel.location_id)
        .where(
            StockLevel.product_id == task.product_id,
            or_(
                StockLevel.id == allocation.stock_level_id,
                and_(
                    Location.warehouse_id == warehouse.scalar_subquery(),
                    Location.kind.in_(SELLABLE_KINDS),
                    Location.active.is_(True),
                    StockLevel.on_hand > StockLevel.reserved,
                ),
            ),
        )
        .order_by(StockLevel.id)
        .with_for_update(of=StockLevel)
        .execution_options(populate_existing=True)
    ).all()
    here, code = next((lv, c) for lv, _, c in rows if lv.id == allocation.stock_level_id)
    walk = sorted((seq, c, lv.id, lv) for lv, seq, c in rows if lv is not here)
    return here, code, [level for *_, level in walk]


def _take_elsewhere(
    session: Session,
    pick_list: PickList,
    line: OrderLine,
    task: PickTask,
    levels: list[StockLevel],
    missing: int,
) -> set[int]:
    """Reserve up to `missing` units from `levels` in turn, one new stop each at the
    end of the list; returns the new task ids."""
    sequence = session.scalar(
        select(func.max(PickTask.sequence)).where(PickTask.pick_list_id == pick_list.id)
    )
    added: list[PickTask] = []
    for level in levels:
        units = min(missing, level.on_hand - level.reserved)
        if units <= 0:
            continue
        allocation = Allocation(
            order_line_id=line.id, stock_level_id=level.id, quantity=units, status="active"
        )
        session.add(allocation)
        session.flush()
        level.reserved += units
        line.qty_allocated += units
        added.append(
            PickTask(
                pick_list_id=pick_list.id,
                order_line_id=line.id,
                allocation_id=allocation.id,
                location_id=level.location_id,
                product_id=task.product_id,
                sequence=(sequence or 0) + len(added) + 1,
                quantity=units,
                qty_picked=0,
                tote=task.tote,
                status="open",
            )
        )
        missing -= units
        if not missing:
            break
    session.add_all(added)
    session.flush()
    return {t.id for t in added}
