"""Pick lists as stations and paper show them, and building lists for every waiting
order (`pick_list_builder` builds them, filtered, and says how it guards concurrency).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.context import Actor
from app.documents.data import PickLine, PickListData
from app.documents.render import render_pick_list
from app.domain.order_workflow import OrderStatus
from app.domain.picking import PickStop
from app.errors import NotFound
from app.services.access import authorize
from app.services.pick_list_builder import PickListRequest, build_in
from db.engine import Database
from db.models import (
    Allocation,
    Location,
    Order,
    OrderLine,
    PickList,
    PickTask,
    Product,
    ProductBarcode,
)
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
    """Lists for every waiting allocated order: orders of more than `small_order_units`
    units alone, smaller ones in batches of `batch_size` totes."""
    request = PickListRequest(totes=batch_size, small_order_units=small_order_units).checked()

    def work(session: Session) -> list[PickListView]:
        authorize(session, actor, "pick_list.build")
        return load_views(session, [built.id for built in build_in(session, actor, request).lists])

    return run_in_transaction(db, work)


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
    return read(db, lambda s: pick_list_pdf(s, pick_list_id, paper))


def pick_list_pdf(session: Session, pick_list_id: int, paper: str = "A4") -> bytes:
    """The printed list: the stops still counting, in walking order."""
    view = load_views(session, [pick_list_id])[0]
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
