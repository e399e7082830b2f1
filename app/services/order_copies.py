"""New orders made from an existing one at the desk: a replacement for a lost or damaged
parcel (at no charge), and a split-off part of an order that waits for stock.

Both are linked to the original (`origin_order_id`, `origin_kind`), audited on both
orders with the reason, and allocated as soon as they exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.order_workflow import OrderStatus
from app.domain.site_settings import format_order_number
from app.errors import InvalidTransition, NotFound, ValidationFailed
from app.services import search_index
from app.services.access import authorize
from app.services.audit import record
from app.services.numbering import take_numbers
from app.services.order_contact import require_version
from app.services.order_lines import (
    allocate_again,
    drop_line,
    lines_by_sku,
    refresh_totals,
    reopen_for_allocation,
    require_before_picking,
)
from app.services.orders import find_order
from app.services.settings import setting_value
from db.engine import Database
from db.models import Order, OrderLine
from db.types import utcnow
from db.uow import run_in_transaction

S = OrderStatus
REPLACEABLE = frozenset({S.SHIPPED, S.PARTIALLY_SHIPPED, S.DELIVERED})
REPLACEMENT_SHIP_WITHIN = timedelta(days=1)
_COPIED = (
    "channel_id", "customer_id", "priority", "service_level", "allow_partial", "currency",
    "payment_status", "email", "ship_name", "ship_company", "ship_address1", "ship_address2",
    "ship_city", "ship_postcode", "ship_region", "ship_country", "ship_phone", "bill_country",
    "warehouse_id",
)  # fmt: skip


@dataclass(frozen=True)
class OrderCopy:
    original: str
    number: str  # the new order
    status: str  # the new order's, after allocation
    original_status: str
    original_version: int


def _quantities(items: Mapping[str, int]) -> dict[str, int]:
    if not items:
        raise ValidationFailed("name at least one SKU and quantity")
    for sku, qty in items.items():
        if not 1 <= qty <= 9999:
            raise ValidationFailed(f"{sku}: quantity must be 1 to 9999, not {qty}")
    return {sku.upper(): qty for sku, qty in items.items()}


def new_order_like(session: Session, original: Order, kind: str, suffix: str) -> Order:
    """An empty order to the same customer and address, linked to `original`."""
    count = session.scalar(
        select(func.count())
        .select_from(Order)
        .where(Order.origin_order_id == original.id, Order.origin_kind == kind)
    )
    ref_suffix = f"-{suffix}{(count or 0) + 1}"
    value = take_numbers(session, "order")[0]
    copy = Order(
        number=format_order_number(setting_value(session, "order.number_format"), value),
        external_ref=original.external_ref[: 64 - len(ref_suffix)] + ref_suffix,
        status=S.NEW.value,
        placed_at=utcnow(),
        origin_order_id=original.id,
        origin_kind=kind,
        **{column: getattr(original, column) for column in _COPIED},
    )
    session.add(copy)
    session.flush()
    return copy


def add_line(session: Session, order: Order, like: OrderLine, qty: int, price: Decimal) -> None:
    line_no = len(order.lines) + 1 if order.lines else 1
    session.add(
        OrderLine(
            order_id=order.id,
            line_no=line_no,
            product_id=like.product_id,
            sku=like.sku,
            name=like.name,
            unit_price=price,
            qty_ordered=qty,
        )
    )
    session.flush()
    session.refresh(order, ["lines"])


def create_replacement(
    db: Database,
    actor: Actor,
    reference: str,
    reason: str,
    items: Mapping[str, int] | None = None,
) -> OrderCopy:
    """A free order sending again what was shipped (or `items` of it): lost, damaged."""
    if not reason.strip():
        raise ValidationFailed("a reason is needed for a replacement (lost parcel, damaged ...)")
    wanted = _quantities(items) if items is not None else None

    def work(session: Session) -> OrderCopy:
        authorize(session, actor, "order.create")
        original = find_order(session, reference, for_update=True)
        if original.status not in REPLACEABLE:
            raise InvalidTransition(
                f"{original.number} is {original.status.replace('_', ' ')}; only a shipped "
                "order can be replaced"
            )
        lines = lines_by_sku(session, original)
        shipped = {sku: line.qty_shipped for sku, line in lines.items() if line.qty_shipped}
        chosen = wanted if wanted is not None else shipped
        for sku, qty in chosen.items():
            if qty > shipped.get(sku, 0):
                raise ValidationFailed(
                    f"{original.number} shipped {shipped.get(sku, 0)} × {sku}; cannot replace {qty}"
                )
        copy = new_order_like(session, original, "replacement", "R")
        copy.ship_by = utcnow() + REPLACEMENT_SHIP_WITHIN
        for sku, qty in chosen.items():
            add_line(session, copy, lines[sku], qty, Decimal("0"))
        what = ", ".join(f"{qty} × {lines[sku].sku}" for sku, qty in chosen.items())
        record(
            session,
            actor,
            "order",
            copy.id,
            "created",
            to_status=copy.status,
            reason=f"replacement for {original.number} at no charge: {reason.strip()}",
            details={"origin": original.number, "kind": "replacement", "items": what},
        )
        record(
            session,
            actor,
            "order",
            original.id,
            "replacement created",
            reason=f"{copy.number} sends {what} again: {reason.strip()}",
            details={"replacement": copy.number},
        )
        search_index.refresh(session, [copy.id])
        status, _ = allocate_again(session, actor, copy.id)
        row = session.execute(
            select(Order.status, Order.version).where(Order.id == original.id)
        ).one()
        return OrderCopy(original.number, copy.number, status, row[0], row[1])

    return run_in_transaction(db, work)


def split_order(
    db: Database, actor: Actor, reference: str, seen_version: int, items: Mapping[str, int]
) -> OrderCopy:
    """Move `items` (SKU -> units) to a new order, e.g. what waits for stock, so the rest
    can ship now. Both are allocated again at once."""
    wanted = _quantities(items)

    def work(session: Session) -> OrderCopy:
        authorize(session, actor, "order.edit")
        original = find_order(session, reference, for_update=True)
        require_version(original, seen_version)
        require_before_picking(session, original, "the lines")
        lines = lines_by_sku(session, original)
        for sku, qty in wanted.items():
            if sku not in lines:
                raise NotFound(f"{original.number} has no line {sku}")
            if qty > lines[sku].qty_ordered:
                raise ValidationFailed(
                    f"{original.number} has {lines[sku].qty_ordered} × {lines[sku].sku}; "
                    f"cannot move {qty}"
                )
        if sum(wanted.values()) >= sum(line.qty_ordered for line in lines.values()):
            raise ValidationFailed(f"that moves all of {original.number}: leave something on it")
        reopen_for_allocation(session, actor, original, "order split")
        copy = new_order_like(session, original, "split", "S")
        copy.ship_by = original.ship_by
        copy.placed_at = original.placed_at
        for sku, qty in wanted.items():
            line = lines[sku]
            add_line(session, copy, line, qty, line.unit_price)
            if qty == line.qty_ordered:
                drop_line(session, line)
            else:
                line.qty_ordered -= qty
        refresh_totals(session, original)
        refresh_totals(session, copy)
        what = ", ".join(f"{qty} × {lines[sku].sku}" for sku, qty in wanted.items())
        record(
            session,
            actor,
            "order",
            copy.id,
            "created",
            to_status=copy.status,
            reason=f"split from {original.number}: {what}",
            details={"origin": original.number, "kind": "split"},
        )
        record(
            session,
            actor,
            "order",
            original.id,
            "split",
            reason=f"{what} moved to {copy.number}",
            details={"split_to": copy.number},
        )
        search_index.refresh(session, [original.id, copy.id])  # SKUs moved between them
        original_status, original_version = allocate_again(session, actor, original.id)
        status, _ = allocate_again(session, actor, copy.id)
        return OrderCopy(original.number, copy.number, status, original_status, original_version)

    return run_in_transaction(db, work)
