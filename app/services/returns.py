"""Returns: authorise (RMA) at the desk, receive parcels at the returns station.

Locks are taken in the order the rest of the system uses: the order row first, then
its return, then stock rows in id order. Two stations receiving the same parcel queue
on the order row; the second finds the units received and is told by whom.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.returns import (
    Disposition,
    ExpectedLine,
    ReceiptItem,
    Resolution,
    ReturnStatus,
    parse_enum,
    plan_authorisation,
    plan_receipt,
    reason_codes,
    return_number,
)
from app.errors import ValidationFailed
from app.services import search_index
from app.services.access import authorize
from app.services.audit import record
from app.services.inventory import lock_levels, move
from app.services.notifications import Attachment, queue_message
from app.services.numbering import take_numbers
from app.services.order_copies import add_line, new_order_like
from app.services.receipt_allocation import serve_waiting
from app.services.refunds import update_pending_refund
from app.services.return_documents import return_label_attachment
from app.services.return_parcels import (
    destinations,
    expected_lines,
    last_received,
    lock_returnable_order,
    parcel_of,
    returnable_lines,
    who_received,
)
from app.services.return_views import ReturnView, load_return
from app.services.settings import setting_value
from db.engine import Database
from db.models import (
    Order,
    OrderLine,
    Return,
    ReturnLine,
    ReturnReceipt,
)
from db.types import utcnow
from db.uow import run_in_transaction


@dataclass
class ReceiveResult:
    ret: ReturnView
    units: int
    restocked: int
    allocated: list[str] = field(default_factory=list)  # backorders served by the restock


def authorise_return(
    db: Database,
    actor: Actor,
    reference: str,
    items: Mapping[str, int],
    reason: str,
    resolution: str = Resolution.REFUND.value,
) -> ReturnView:
    """Create an RMA for `items` (SKU -> units) of a shipped order."""
    wanted_resolution = parse_enum(Resolution, resolution, "resolution", "--resolution")

    def work(session: Session) -> ReturnView:
        authorize(session, actor, "return.create")
        reasons = reason_codes(setting_value(session, "returns.reasons"))
        code = reason.strip().lower()
        if code not in reasons:
            raise ValidationFailed(
                f"unknown return reason {reason.strip()!r} (one of {', '.join(reasons)})"
            )
        order = lock_returnable_order(session, reference)
        plan = plan_authorisation(order.number, returnable_lines(session, order.id), items)
        ret = Return(
            number=return_number(take_numbers(session, "return")[0]),
            order_id=order.id,
            status=ReturnStatus.AUTHORISED.value,
            reason=code,
            resolution=wanted_resolution.value,
            authorised_by=actor.username,
        )
        session.add(ret)
        session.flush()
        for line, qty in plan:
            session.add(
                ReturnLine(return_id=ret.id, order_line_id=line.line_id, qty_authorised=qty)
            )
        session.flush()
        what = ", ".join(f"{qty} x {line.sku}" for line, qty in plan)
        record(
            session,
            actor,
            "order",
            order.id,
            "return authorised",
            reason=f"{ret.number}: {what} ({code}, {wanted_resolution.value})",
            details={"return": ret.number, "items": {line.sku: qty for line, qty in plan}},
        )
        view = load_return(session, ret)
        _mail(
            session,
            actor,
            order.id,
            "return_authorised",
            view,
            return_label_attachment(session, view),
        )
        return view

    return run_in_transaction(db, work)


def receive_return(
    db: Database, actor: Actor, reference: str, items: Sequence[ReceiptItem]
) -> ReceiveResult:
    """Receive a parcel named by RMA, order number or reference, or tracking number.

    Every unit gets its condition and disposition and one stock move; restocked units
    are offered at once to the backorders waiting for them.
    """
    if not items:
        raise ValidationFailed(f"{reference.strip()}: name what came back (--item ...)")

    def work(session: Session) -> tuple[ReceiveResult, set[int]]:
        authorize(session, actor, "return.receive")
        order, ret = parcel_of(session, reference)
        expected, returnable = expected_lines(session, order.id, ret)
        label = ret.number if ret is not None else f"order {order.number}"
        plan = plan_receipt(
            label,
            expected,
            items,
            unexpected=ret is None,
            returnable=returnable,
            received_by=who_received(ret or last_received(session, order.id)),
        )
        if ret is None:
            ret = _unexpected_return(session, actor, order.id)
        targets = destinations(session, order.id, plan)
        products = _products(session, [line.order_line_id for line, _ in plan])
        levels = lock_levels(
            session,
            {(products[line.order_line_id], targets[id(item)].id) for line, item in plan},
        )
        lines = _return_lines(session, ret, plan)
        now = utcnow()
        restocked: set[int] = set()
        for line, item in plan:
            product_id = products[line.order_line_id]
            location = targets[id(item)]
            ledger = move(
                session,
                actor,
                levels[product_id, location.id],
                item.quantity,
                "return",
                reason=f"{ret.number}: {item.condition.value}, {item.disposition.value}",
                order_id=order.id,
            )
            session.flush()
            return_line = lines[line.order_line_id]
            session.add(
                ReturnReceipt(
                    return_line_id=return_line.id,
                    quantity=item.quantity,
                    condition=item.condition.value,
                    disposition=item.disposition.value,
                    location_id=location.id,
                    stock_move_id=ledger.id,
                    username=actor.username,
                    station=actor.station,
                    created_at=now,
                )
            )
            return_line.qty_received += item.quantity
            first = return_line.qty_received == item.quantity
            return_line.condition = _summary(first, return_line.condition, item.condition.value)
            return_line.disposition = _summary(
                first, return_line.disposition, item.disposition.value
            )
            session.execute(
                update(OrderLine)
                .where(OrderLine.id == line.order_line_id)
                .values(qty_returned=OrderLine.qty_returned + item.quantity)
            )
            if item.disposition is Disposition.RESTOCK:
                restocked.add(product_id)
        session.flush()
        complete = all(rl.qty_received == rl.qty_authorised for rl in lines.values())
        ret.status = (ReturnStatus.CLOSED if complete else ReturnStatus.RECEIVED).value
        ret.received_at = ret.received_at or now
        ret.received_by = actor.username
        ret.received_station = actor.station
        if complete:
            ret.closed_at = now
        update_pending_refund(session, actor, ret)
        exchange_products: set[int] = set()
        if complete and ret.resolution == Resolution.EXCHANGE and ret.exchange_order_id is None:
            exchange_products = _exchange(session, actor, ret)
        units = sum(item.quantity for _, item in plan)
        what = ", ".join(
            f"{item.quantity} x {line.sku} {item.condition.value} -> {item.disposition.value}"
            f" {targets[id(item)].code}"
            for line, item in plan
        )
        record(
            session,
            actor,
            "order",
            order.id,
            "return received",
            reason=f"{ret.number}: {what}",
            details={"return": ret.number, "units": units, "closed": complete},
        )
        view = load_return(session, ret)
        _mail(session, actor, order.id, "return_received", view)
        restock_units = sum(
            item.quantity for _, item in plan if item.disposition is Disposition.RESTOCK
        )
        return ReceiveResult(view, units, restock_units), restocked | exchange_products

    result, products = run_in_transaction(db, work)
    if products:
        allocated = serve_waiting(db, actor, products)
        result.allocated = allocated.allocated + allocated.partially_allocated
    return result


def _unexpected_return(session: Session, actor: Actor, order_id: int) -> Return:
    ret = Return(
        number=return_number(take_numbers(session, "return")[0]),
        order_id=order_id,
        status=ReturnStatus.RECEIVED.value,
        reason=None,
        resolution=Resolution.REFUND.value,
        unexpected=True,
        authorised_by=None,
    )
    session.add(ret)
    session.flush()
    return ret


def _return_lines(
    session: Session, ret: Return, plan: Sequence[tuple[ExpectedLine, ReceiptItem]]
) -> dict[int, ReturnLine]:
    """The return's lines by order line; an unexpected return authorises what came."""
    lines = {
        rl.order_line_id: rl
        for rl in session.scalars(select(ReturnLine).where(ReturnLine.return_id == ret.id))
    }
    if ret.unexpected:
        for line, item in plan:
            rl = lines.get(line.order_line_id)
            if rl is None:
                rl = ReturnLine(
                    return_id=ret.id, order_line_id=line.order_line_id, qty_authorised=0
                )
                session.add(rl)
                lines[line.order_line_id] = rl
            rl.qty_authorised += item.quantity
    return lines


def _summary(first: bool, current: str | None, new: str) -> str | None:
    """A line's condition or disposition while all its receipts agree; NULL once they
    differ (its receipts hold each)."""
    return new if first or current == new else None


def _products(session: Session, order_line_ids: list[int]) -> dict[int, int]:
    rows = session.execute(
        select(OrderLine.id, OrderLine.product_id, OrderLine.sku).where(
            OrderLine.id.in_(order_line_ids)
        )
    ).all()
    products: dict[int, int] = {}
    for line_id, product, sku in rows:
        if product is None:
            raise ValidationFailed(
                f"{sku} is not in the catalogue; add the product before receiving it back"
            )
        products[line_id] = product
    return products


def _exchange(session: Session, actor: Actor, ret: Return) -> set[int]:
    """The replacement order of an exchange: what came back, sent again at no charge."""
    original = session.get_one(Order, ret.order_id)
    rows = session.execute(
        select(OrderLine, ReturnLine.qty_received)
        .join(ReturnLine, ReturnLine.order_line_id == OrderLine.id)
        .where(ReturnLine.return_id == ret.id)
        .order_by(OrderLine.line_no)
    ).all()
    copy = new_order_like(session, original, "exchange", "X")
    copy.ship_by = utcnow()
    for line, qty in rows:
        add_line(session, copy, line, qty, Decimal(0))
    search_index.refresh(session, [copy.id])
    ret.exchange_order_id = copy.id
    record(
        session,
        actor,
        "order",
        copy.id,
        "created",
        to_status=copy.status,
        reason=f"exchange for {ret.number} of {original.number} at no charge",
        details={"origin": original.number, "kind": "exchange", "return": ret.number},
    )
    record(
        session,
        actor,
        "order",
        original.id,
        "exchange created",
        reason=f"{copy.number} sends the items of {ret.number} again",
        details={"exchange": copy.number, "return": ret.number},
    )
    return {int(line.product_id) for line, _ in rows if line.product_id is not None}


def _mail(
    session: Session,
    actor: Actor,
    order_id: int,
    template: str,
    view: ReturnView,
    label: Attachment | None = None,
) -> None:
    queue_message(
        session,
        order_id,
        template,
        {
            "return_number": view.number,
            "return_lines": [
                {
                    "sku": line.sku,
                    "name": line.name,
                    "qty": line.qty_received
                    if template == "return_received"
                    else line.qty_authorised,
                }
                for line in view.lines
            ],
            "has_label": label is not None,
        },
        attachments=[label] if label is not None else [],
        actor=actor,
    )
