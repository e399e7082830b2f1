"""Building pick lists for allocated orders, and reading them back (screen and PDF).

Creation locks the candidate orders (by id), then reads their untasked reservations
in a fresh statement, so two stations building lists at once never list an order
twice. Order statuses stay `allocated` until a picker claims the list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Exists, exists, func, select
from sqlalchemy.orm import Session

from app.context import Actor
from app.documents.data import PickLine, PickListData
from app.documents.render import render_pick_list
from app.domain.order_workflow import OrderStatus
from app.domain.picking import OrderWork, PickStop, Stop, plan_pick_lists, tote_code
from app.errors import NotFound
from app.services.audit import audit_row
from app.services.numbering import pick_list_number, take_numbers
from db.bulk import insert_returning_ids, insert_rows
from db.engine import Database
from db.models import (
    Allocation,
    AuditEvent,
    Location,
    Order,
    OrderLine,
    PickList,
    PickTask,
    Product,
    ProductBarcode,
    StockLevel,
)
from db.types import utcnow
from db.uow import read, run_in_transaction

CHUNK = 2000
LIVE_ORDER_STATUSES = (OrderStatus.ALLOCATED.value, OrderStatus.PICKING.value)


@dataclass(frozen=True)
class PickListView:
    id: int
    number: str
    kind: str
    status: str
    station: str | None
    lease_expires_at: datetime | None
    orders: tuple[str, ...]
    tasks: tuple[PickStop, ...]

    @property
    def units(self) -> int:
        return sum(t.quantity for t in self.tasks if t.live)

    @property
    def picked(self) -> int:
        return sum(t.picked for t in self.tasks if t.live)

    @property
    def complete(self) -> bool:
        return not any(t.remaining for t in self.tasks)


def create_pick_lists(
    db: Database, actor: Actor, *, batch_size: int = 8, small_order_units: int = 3
) -> list[PickListView]:
    """Lists for every allocated order with reservations and no open pick task."""

    def work(session: Session) -> list[PickListView]:
        order_ids = list(
            session.scalars(
                select(Order.id)
                .where(Order.status == OrderStatus.ALLOCATED, ~_has_open_task())
                .order_by(Order.id)
                .with_for_update()
            )
        )
        plans = plan_pick_lists(
            _order_work(session, order_ids),
            batch_size=batch_size,
            small_order_units=small_order_units,
        )
        if not plans:
            return []
        values = take_numbers(session, "pick_list", len(plans))
        now = utcnow()
        list_ids = insert_returning_ids(
            session,
            PickList,
            [
                {"number": pick_list_number(v), "status": "open", "kind": p.kind, "created_at": now}
                for v, p in zip(values, plans, strict=True)
            ],
        )
        tasks = [
            {
                "pick_list_id": list_id,
                "order_line_id": t.stop.line_id,
                "allocation_id": t.stop.allocation_id,
                "location_id": t.stop.location_id,
                "product_id": t.stop.product_id,
                "sequence": seq,
                "quantity": t.stop.units,
                "qty_picked": 0,
                "tote": tote_code(value, t.tote_no) if t.tote_no else None,
                "status": "open",
            }
            for list_id, value, plan in zip(list_ids, values, plans, strict=True)
            for seq, t in enumerate(plan.tasks, 1)
        ]
        insert_rows(session, PickTask, tasks)
        audit = [
            audit_row(
                actor,
                "pick_list",
                list_id,
                "created",
                to_status="open",
                details={"kind": plan.kind, "orders": len(plan.order_ids)},
            )
            for list_id, plan in zip(list_ids, plans, strict=True)
        ]
        insert_rows(session, AuditEvent, audit)
        return load_views(session, list_ids)

    return run_in_transaction(db, work)


def _has_open_task() -> Exists:
    """Order-level EXISTS: a task still to pick whose reservation still stands."""
    return (
        exists()
        .where(
            OrderLine.order_id == Order.id,
            PickTask.order_line_id == OrderLine.id,
            PickTask.status == "open",
            Allocation.id == PickTask.allocation_id,
            Allocation.status == "active",
        )
        .correlate(Order)
    )


def _order_work(session: Session, locked_ids: list[int]) -> list[OrderWork]:
    """Untasked active reservations of the locked orders, most urgent order first.

    Read after the locks are held, so lists committed meanwhile are seen.
    """
    stops: dict[int, list[Stop]] = defaultdict(list)
    for start in range(0, len(locked_ids), CHUNK):
        chunk = locked_ids[start : start + CHUNK]
        busy = set(session.scalars(select(Order.id).where(Order.id.in_(chunk), _has_open_task())))
        rows = session.execute(
            select(
                OrderLine.order_id,
                Allocation.id,
                OrderLine.id,
                StockLevel.product_id,
                Location.id,
                Location.code,
                Location.pick_sequence,
                Allocation.quantity,
            )
            .join(OrderLine, OrderLine.id == Allocation.order_line_id)
            .join(StockLevel, StockLevel.id == Allocation.stock_level_id)
            .join(Location, Location.id == StockLevel.location_id)
            .where(
                OrderLine.order_id.in_(chunk),
                Allocation.status == "active",
                ~exists().where(PickTask.allocation_id == Allocation.id),
            )
            .order_by(Allocation.id)
        )
        for order_id, allocation_id, line_id, product_id, location_id, code, seq, qty in rows:
            if order_id not in busy:
                stops[order_id].append(
                    Stop(allocation_id, line_id, product_id, location_id, code, seq, qty)
                )
    if not stops:
        return []
    queue = session.scalars(
        select(Order.id)
        .where(Order.id.in_(list(stops)))
        .order_by(Order.priority, Order.ship_by.asc().nulls_last(), Order.placed_at, Order.id)
    )
    return [OrderWork(order_id, tuple(stops[order_id])) for order_id in queue]


def load_views(session: Session, list_ids: Sequence[int]) -> list[PickListView]:
    """Views of the given lists, in the given order."""
    tasks: dict[int, list[PickStop]] = defaultdict(list)
    orders: dict[int, list[str]] = defaultdict(list)
    heads: dict[int, PickList] = {}
    gtin = (
        select(func.min(ProductBarcode.code))
        .where(ProductBarcode.product_id == PickTask.product_id, ProductBarcode.kind == "gtin")
        .correlate(PickTask)
        .scalar_subquery()
    )
    for start in range(0, len(list_ids), CHUNK):
        chunk = list_ids[start : start + CHUNK]
        lists = session.scalars(select(PickList).where(PickList.id.in_(chunk)))
        heads.update({p.id: p for p in lists})
        rows = session.execute(
            select(
                PickTask,
                Location.code,
                Product.sku,
                Product.name,
                gtin,
                Order.id,
                Order.number,
                Order.status,
                Allocation.status,
            )
            .join(Location, Location.id == PickTask.location_id)
            .join(Product, Product.id == PickTask.product_id)
            .join(OrderLine, OrderLine.id == PickTask.order_line_id)
            .join(Order, Order.id == OrderLine.order_id)
            .outerjoin(Allocation, Allocation.id == PickTask.allocation_id)
            .where(PickTask.pick_list_id.in_(chunk))
            .order_by(PickTask.pick_list_id, PickTask.sequence)
        )
        for task, code, sku, name, code14, order_id, number, status, allocation in rows:
            live = status in LIVE_ORDER_STATUSES and allocation in (None, "active")
            tasks[task.pick_list_id].append(
                PickStop(
                    task.id,
                    task.sequence,
                    code,
                    task.product_id,
                    order_id,
                    sku,
                    name,
                    code14,
                    task.quantity,
                    task.qty_picked,
                    task.status,
                    number,
                    task.tote,
                    live,
                )
            )
            if number not in orders[task.pick_list_id]:
                orders[task.pick_list_id].append(number)
    missing = [i for i in list_ids if i not in heads]
    if missing:
        raise NotFound(f"no pick list with id {missing[0]}")
    return [
        PickListView(
            p.id,
            p.number,
            p.kind,
            p.status,
            p.claimed_by_station if p.status == "claimed" else None,
            p.lease_expires_at if p.status == "claimed" else None,
            tuple(orders[p.id]),
            tuple(tasks[p.id]),
        )
        for p in (heads[i] for i in list_ids)
    ]


def find_pick_list(session: Session, reference: str) -> PickList:
    """A list by its number, as printed (PL-000001) or scanned (P:PL-000001)."""
    number = reference.strip().upper().removeprefix("P:")
    pick_list = session.scalars(select(PickList).where(PickList.number == number)).first()
    if pick_list is None:
        raise NotFound(f"no pick list {number}")
    return pick_list


def pick_list_by_number(db: Database, reference: str) -> PickListView:
    return read(db, lambda s: load_views(s, [find_pick_list(s, reference).id])[0])


def pick_list_view(db: Database, pick_list_id: int) -> PickListView:
    return read(db, lambda s: load_views(s, [pick_list_id])[0])


def pick_list_document(db: Database, pick_list_id: int, paper: str = "A4") -> bytes:
    """The printed list: the stops still counting, in walking order."""
    view = pick_list_view(db, pick_list_id)
    lines = [
        PickLine(
            t.sequence,
            t.location,
            t.sku,
            t.name,
            t.gtin or "",
            t.quantity,
            t.order_number,
            t.tote or "",
        )
        for t in view.tasks
        if t.live and t.quantity
    ]
    if not lines:
        raise NotFound(f"{view.number} has nothing left to pick")
    return render_pick_list(PickListData(view.number, lines), paper)
