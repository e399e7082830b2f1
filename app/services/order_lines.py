"""Changing what an order holds before picking starts: quantities, new and removed lines,
a substituted SKU. The order's reservations are given back first and the order is
allocated again at once, so stock is never promised twice or left promised to a line
that is gone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.order_workflow import OrderStatus
from app.errors import InvalidTransition, NotFound, ValidationFailed
from app.services import search_index
from app.services.access import authorize
from app.services.allocation import WAITING, allocate_in
from app.services.audit import record, transition
from app.services.order_actions import cancel_open_pick_tasks, release_allocations
from app.services.order_contact import require_version
from app.services.orders import find_order
from db.engine import Database
from db.models import Allocation, Order, OrderLine, PickTask, Product
from db.uow import run_in_transaction

S = OrderStatus
BEFORE_PICKING = frozenset({S.NEW, S.BACKORDERED, S.ALLOCATED})
MAX_QUANTITY = 9999


@dataclass(frozen=True)
class LineEdit:
    """Set the line for `sku` to `quantity` (0 removes it; a SKU not on the order is
    added); with `substitute`, that SKU takes the line's place."""

    sku: str
    quantity: int
    substitute: str | None = None


@dataclass(frozen=True)
class LinesEdited:
    number: str
    status: str  # after re-allocation
    version: int
    summary: str  # what changed, as the timeline says it


def require_before_picking(session: Session, order: Order, what: str) -> None:
    """Refuse `what` once picking has started (or the order is beyond it)."""
    status = order.held_from if order.status == S.ON_HOLD else order.status
    picked = session.scalar(
        select(func.count())
        .select_from(OrderLine)
        .where(OrderLine.order_id == order.id, OrderLine.qty_picked > 0)
    )
    if status not in BEFORE_PICKING or picked or order.packing_station:
        raise InvalidTransition(
            f"{order.number} is {order.status.replace('_', ' ')}"
            f"{' and picking has started' if picked else ''}; {what} can only be changed "
            "before picking starts"
        )


def lines_by_sku(session: Session, order: Order) -> dict[str, OrderLine]:
    """The order's lines in line order, keyed by upper-case SKU."""
    stmt = select(OrderLine).where(OrderLine.order_id == order.id).order_by(OrderLine.line_no)
    return {line.sku.upper(): line for line in session.scalars(stmt)}


def products_by_sku(session: Session, skus: set[str]) -> dict[str, Product]:
    """Products for these SKUs, keyed by the SKU as given (case-insensitive)."""
    if not skus:
        return {}
    found = {
        p.sku.upper(): p
        for p in session.scalars(
            select(Product).where(func.upper(Product.sku).in_({s.upper() for s in skus}))
        )
    }
    missing = sorted(s for s in skus if s.upper() not in found)
    if missing:
        raise NotFound(f"no product with SKU {', '.join(missing)}")
    return {sku: found[sku.upper()] for sku in skus}


def _check(edits: Sequence[LineEdit]) -> None:
    if not edits:
        raise ValidationFailed("no line changes given")
    for edit in edits:
        if not edit.sku.strip():
            raise ValidationFailed("a line change has no SKU")
        if not 0 <= edit.quantity <= MAX_QUANTITY:
            raise ValidationFailed(
                f"{edit.sku}: quantity must be 0 (remove) to {MAX_QUANTITY}, not {edit.quantity}"
            )


def forget_reservations(session: Session, line: OrderLine) -> None:
    """Delete the released allocations and unpicked pick tasks of a line whose product
    changes or which goes: they would name a product the line no longer has."""
    session.execute(delete(Allocation).where(Allocation.order_line_id == line.id))
    session.execute(
        delete(PickTask).where(PickTask.order_line_id == line.id, PickTask.qty_picked == 0)
    )


def drop_line(session: Session, line: OrderLine) -> None:
    """Delete a line whose reservations were released and which nobody picked."""
    forget_reservations(session, line)
    session.delete(line)


def set_line_product(line: OrderLine, product: Product) -> None:
    line.product_id, line.sku, line.name = product.id, product.sku, product.name
    line.unit_price = product.price or Decimal("0")


def refresh_totals(session: Session, order: Order) -> None:
    session.flush()
    order.subtotal = session.scalar(
        select(func.coalesce(func.sum(OrderLine.unit_price * OrderLine.qty_ordered), 0)).where(
            OrderLine.order_id == order.id
        )
    ) or Decimal("0")
    order.grand_total = order.subtotal + order.shipping_total + order.tax_total


def reopen_for_allocation(session: Session, actor: Actor, order: Order, why: str) -> list[str]:
    """Give back the order's reservations and open pick tasks so it can be allocated anew.

    Returns what was undone, for the audit trail.
    """
    undone = []
    units = release_allocations(session, order)
    if units:
        undone.append(f"{units} reserved units released")
    cancelled = cancel_open_pick_tasks(session, order.id)
    if cancelled:
        undone.append(f"{cancelled} pick task(s) taken off their pick list")
    if order.status == S.ALLOCATED:
        transition(session, order, S.NEW, actor, reason=why, action="reservation released")
    elif order.status == S.ON_HOLD and order.held_from == S.ALLOCATED:
        order.held_from = S.NEW.value  # released later, it waits for allocation
    return undone


def allocate_again(session: Session, actor: Actor, order_id: int) -> tuple[str, int]:
    """Allocate a waiting order now; its status and version afterwards."""
    session.flush()
    status = session.scalar(select(Order.status).where(Order.id == order_id))
    if status in WAITING:
        allocate_in(session, actor, order_ids=[order_id])
    row = session.execute(select(Order.status, Order.version).where(Order.id == order_id)).one()
    return str(row[0]), int(row[1])


def edit_lines(
    db: Database, actor: Actor, reference: str, seen_version: int, edits: Sequence[LineEdit]
) -> LinesEdited:
    """Change quantities, add, remove or substitute lines, then allocate the order again."""
    _check(edits)

    def work(session: Session) -> LinesEdited:
        authorize(session, actor, "order.edit")
        order = find_order(session, reference, for_update=True)
        require_version(order, seen_version)
        require_before_picking(session, order, "the lines")
        lines = lines_by_sku(session, order)
        wanted = {e.sku for e in edits if e.sku.upper() not in lines and e.quantity}
        wanted |= {e.substitute for e in edits if e.substitute}
        products = products_by_sku(session, wanted)
        changes = []
        undone = reopen_for_allocation(session, actor, order, "lines changed")
        next_no = max((line.line_no for line in lines.values()), default=0) + 1
        for edit in edits:
            line = lines.get(edit.sku.upper())
            if line is None and edit.quantity == 0:
                raise NotFound(f"{order.number} has no line {edit.sku} to remove")
            if line is None:
                if edit.substitute:
                    raise NotFound(f"{order.number} has no line {edit.sku} to substitute")
                line = OrderLine(order_id=order.id, line_no=next_no, qty_ordered=edit.quantity)
                set_line_product(line, products[edit.sku])
                session.add(line)
                lines[edit.sku.upper()] = line
                next_no += 1
                changes.append(f"added {edit.quantity} × {line.sku}")
            elif edit.quantity == 0:
                drop_line(session, line)
                del lines[edit.sku.upper()]
                changes.append(f"removed {line.sku}")
            else:
                if edit.substitute:
                    old = line.sku
                    forget_reservations(session, line)
                    set_line_product(line, products[edit.substitute])
                    changes.append(f"{old} substituted by {line.sku}")
                if edit.quantity < line.qty_handled_elsewhere:
                    raise ValidationFailed(
                        f"{line.sku}: the shop already handled {line.qty_handled_elsewhere} "
                        f"of its units; the quantity cannot go below that"
                    )
                if edit.quantity != line.qty_ordered:
                    changes.append(f"{line.sku} {line.qty_ordered} → {edit.quantity}")
                    line.qty_ordered = edit.quantity
        if not lines:
            raise ValidationFailed(
                f"{order.number} would have no lines left: cancel the order instead"
            )
        refresh_totals(session, order)
        summary = "; ".join(changes) or "no change"
        record(
            session,
            actor,
            "order",
            order.id,
            "lines changed",
            reason=summary,
            details={"changes": changes, "undone": undone},
        )
        search_index.refresh(session, [order.id])  # found by its new SKUs
        status, version = allocate_again(session, actor, order.id)
        return LinesEdited(order.number, status, version, summary)

    return run_in_transaction(db, work)
