"""Intercepting an order after picking: its units are in a tote or a sealed box, not in
their bins, so cancelling must not hand them back to stock there.

At the cancel, the picked units leave the bin ledger (a `transfer` out) and become
unpack tasks; pending labels and slips are cancelled. Each put-away scan brings units
back into stock at the location scanned, and waiting orders are served from them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.context import Actor
from app.errors import NotFound, ValidationFailed
from app.services.access import authorize
from app.services.audit import record
from app.services.catalogue import normalise_barcode
from app.services.inventory import lock_levels, move
from app.services.orders import find_order
from app.services.receipt_allocation import Arrival, reach, serve
from db.engine import Database
from db.models import (
    Allocation,
    Location,
    Order,
    OrderLine,
    PrintJob,
    Product,
    ProductBarcode,
    StockLevel,
    UnpackTask,
)
from db.types import utcnow
from db.uow import read, run_in_transaction


@dataclass(frozen=True)
class Intercepted:
    units_to_put_away: int
    print_jobs_cancelled: int


@dataclass(frozen=True)
class UnpackTaskView:
    id: int
    order: str
    sku: str
    name: str
    quantity: int
    put_away: int
    from_location: str | None

    @property
    def remaining(self) -> int:
        return self.quantity - self.put_away


@dataclass(frozen=True)
class PutAway:
    order: str
    sku: str
    location: str
    quantity: int
    remaining: int  # units of this SKU still to put away for the order
    allocated: list[str]  # waiting orders the units went to at once


def intercept_picked_units(session: Session, actor: Actor, order: Order) -> Intercepted:
    """Take the order's picked, unshipped units out of their bins into unpack tasks.

    Run inside the cancel, with the order row locked, before its reservations are
    released: the reservations behind picked units are given up here.
    """
    lines = {
        line.id: line
        for line in session.scalars(
            select(OrderLine).where(
                OrderLine.order_id == order.id, OrderLine.qty_picked > OrderLine.qty_shipped
            )
        )
    }
    taken = 0
    if lines:
        allocations = session.scalars(
            select(Allocation)
            .where(Allocation.order_line_id.in_(lines), Allocation.status == "active")
            .order_by(Allocation.stock_level_id, Allocation.id)
        ).all()
        levels = {
            level.id: level
            for level in session.scalars(
                select(StockLevel)
                .where(StockLevel.id.in_({a.stock_level_id for a in allocations}))
                .order_by(StockLevel.id)
                .with_for_update()
            )
        }
        out = {line_id: line.qty_picked - line.qty_shipped for line_id, line in lines.items()}
        per_task: dict[tuple[int, int], int] = defaultdict(int)
        for allocation in allocations:
            take = min(out[allocation.order_line_id], allocation.quantity)
            if take == 0:
                continue
            out[allocation.order_line_id] -= take
            if take == allocation.quantity:
                allocation.status = "released"
            else:
                allocation.quantity -= take
            level = levels[allocation.stock_level_id]
            level.reserved -= take
            move(session, actor, level, -take, "transfer", order_id=order.id,
                 reason=f"intercepted {order.number}: picked, to unpack and put away")  # fmt: skip
            line = lines[allocation.order_line_id]
            line.qty_packed = min(line.qty_packed, line.qty_picked - take)
            line.qty_picked -= take
            line.qty_allocated -= take
            per_task[line.id, level.location_id] += take
            taken += take
        for (line_id, location_id), quantity in sorted(per_task.items()):
            session.add(
                UnpackTask(
                    order_id=order.id,
                    order_line_id=line_id,
                    product_id=lines[line_id].product_id,
                    from_location_id=location_id,
                    quantity=quantity,
                    created_by=actor.username,
                )
            )
    jobs = (
        session.connection()
        .execute(
            update(PrintJob)
            .where(PrintJob.order_id == order.id, PrintJob.status.in_(("pending", "failed")))
            .values(status="cancelled", last_error=f"{order.number} intercepted")
        )
        .rowcount
    )
    return Intercepted(taken, jobs)


def _product(session: Session, code: str) -> Product:
    """The product a scanned or typed code names: its SKU or one of its barcodes."""
    product = (
        session.scalars(
            select(Product).where(func.upper(Product.sku) == code.strip().upper())
        ).first()
        or session.scalars(
            select(Product)
            .join(ProductBarcode, ProductBarcode.product_id == Product.id)
            .where(ProductBarcode.code == normalise_barcode(code)[0])
        ).first()
    )
    if product is None:
        raise NotFound(f"no product with SKU or barcode {code.strip()!r}")
    return product


def unpack_tasks(db: Database, reference: str | None = None) -> list[UnpackTaskView]:
    """Open unpack tasks, oldest first (of one order when `reference` is given)."""

    def work(session: Session) -> list[UnpackTaskView]:
        stmt = (
            select(UnpackTask, Order.number, OrderLine.sku, OrderLine.name, Location.code)
            .join(Order, Order.id == UnpackTask.order_id)
            .join(OrderLine, OrderLine.id == UnpackTask.order_line_id)
            .outerjoin(Location, Location.id == UnpackTask.from_location_id)
            .where(UnpackTask.status == "open")
            .order_by(UnpackTask.id)
        )
        if reference is not None:
            stmt = stmt.where(UnpackTask.order_id == find_order(session, reference).id)
        return [
            UnpackTaskView(t.id, number, sku, name, t.quantity, t.qty_put_away, code)
            for t, number, sku, name, code in session.execute(stmt)
        ]

    return read(db, work)


def put_away(
    db: Database, actor: Actor, reference: str, code: str, quantity: int, location: str
) -> PutAway:
    """Put `quantity` units of the product `code` (SKU or barcode) from the intercepted
    order back into stock at `location`."""
    if not 1 <= quantity <= 9999:
        raise ValidationFailed(f"quantity must be 1 to 9999, not {quantity}")

    def work(session: Session) -> PutAway:
        authorize(session, actor, "stock.put_away")
        order = find_order(session, reference, for_update=True)
        product = _product(session, code)
        tasks = session.scalars(
            select(UnpackTask)
            .where(
                UnpackTask.order_id == order.id,
                UnpackTask.product_id == product.id,
                UnpackTask.status == "open",
            )
            .order_by(UnpackTask.id)
            .with_for_update()
        ).all()
        remaining = sum(t.quantity - t.qty_put_away for t in tasks)
        if remaining == 0:
            raise NotFound(
                f"nothing of {product.sku} from {order.number} is waiting to be put away"
            )
        if quantity > remaining:
            raise ValidationFailed(
                f"only {remaining} × {product.sku} from {order.number} wait to be put away, "
                f"not {quantity}"
            )
        place = session.scalars(
            select(Location).where(Location.code == location.strip(), Location.active.is_(True))
        ).first()
        if place is None:
            raise NotFound(f"no active location {location.strip()!r}")
        # The waiting orders these units can serve, locked before the stock as a
        # receipt locks them: the same lock order as allocation.
        reached = reach(session, [Arrival(product.id, place.id, quantity)])
        level = lock_levels(session, {(product.id, place.id)}, reservable_of=reached.products)[
            product.id, place.id
        ]
        move(session, actor, level, quantity, "transfer", order_id=order.id,
             reason=f"put away from intercepted {order.number}")  # fmt: skip
        left = quantity
        for task in tasks:
            step = min(left, task.quantity - task.qty_put_away)
            task.qty_put_away += step
            left -= step
            if task.qty_put_away == task.quantity:
                task.status, task.done_at = "done", utcnow()
        record(session, actor, "order", order.id, "put away",
               reason=f"{quantity} × {product.sku} back in stock at {place.code}")  # fmt: skip
        session.flush()
        served = serve(session, actor, reached)
        return PutAway(
            order.number,
            product.sku,
            place.code,
            quantity,
            remaining - quantity,
            served.allocated + served.partially_allocated,
        )

    return run_in_transaction(db, work)
