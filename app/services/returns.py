"""Returns: authorise (RMA) at the desk, receive parcels at the returns station.

Locks are taken in the order the rest of the system uses: the order row first, then
its return, then stock rows in id order. Two stations receiving the same parcel queue
on the order row; the second finds the units received and is told by whom.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.order_workflow import OrderStatus
from app.domain.returns import (
    DEFAULT_LOCATIONS,
    DISPOSITION_LOCATION_KINDS,
    OPEN,
    Disposition,
    ExpectedLine,
    ReceiptItem,
    Resolution,
    ReturnableLine,
    ReturnStatus,
    parse_enum,
    plan_authorisation,
    plan_receipt,
    reason_codes,
    return_number,
    rma_of,
)
from app.errors import InvalidTransition, NotFound, ValidationFailed
from app.services.access import authorize
from app.services.allocation import allocate
from app.services.audit import lock_order, record
from app.services.inventory import default_warehouse, lock_levels, move
from app.services.notifications import Attachment, queue_message
from app.services.numbering import take_numbers
from app.services.order_copies import _add_line, _new_order_like
from app.services.orders import find_order_id
from app.services.refunds import update_pending_refund
from app.services.return_documents import return_label_attachment
from app.services.return_views import ReturnView, load_return, open_returns
from app.services.settings import setting_value
from db.engine import Database
from db.models import (
    Allocation,
    Location,
    Order,
    OrderLine,
    Package,
    ProductBarcode,
    Return,
    ReturnLine,
    ReturnReceipt,
    Shipment,
    StockLevel,
)
from db.types import utcnow
from db.uow import read, run_in_transaction

NEVER_RETURNED = (OrderStatus.CANCELLED.value,)


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
        order = _lock_returnable_order(session, reference)
        plan = plan_authorisation(order.number, _returnable_lines(session, order.id), items)
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
        order, ret = _parcel(session, reference)
        if ret is not None and ret.status not in OPEN:
            raise InvalidTransition(_not_open(ret))
        expected, returnable = _expected(session, order.id, ret)
        label = ret.number if ret is not None else f"order {order.number}"
        plan = plan_receipt(
            label,
            expected,
            items,
            unexpected=ret is None,
            returnable=returnable,
            received_by=_who_received(ret or _last_received(session, order.id)),
        )
        if ret is None:
            ret = _unexpected_return(session, actor, order.id)
        targets = _targets(session, order.id, plan)
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
        allocated = allocate(db, actor, product_ids=sorted(products))
        result.allocated = allocated.allocated + allocated.partially_allocated
    return result


@dataclass(frozen=True)
class ReturnOptions:
    """What the desk may authorise on an order: each line's room, the site's reasons."""

    order: str
    lines: tuple[tuple[ReturnableLine, str], ...]  # with the product name
    reasons: tuple[str, ...]


def return_options(db: Database, reference: str) -> ReturnOptions:
    def work(session: Session) -> ReturnOptions:
        order_id = find_order_id(session, reference)
        names = dict(
            session.execute(
                select(OrderLine.id, OrderLine.name).where(OrderLine.order_id == order_id)
            ).all()
        )
        return ReturnOptions(
            str(session.scalar(select(Order.number).where(Order.id == order_id))),
            tuple((line, names[line.line_id]) for line in _returnable_lines(session, order_id)),
            reason_codes(setting_value(session, "returns.reasons")),
        )

    return read(db, work)


def _lock_returnable_order(session: Session, reference: str | int) -> Order:
    """The order by reference (or id), row-locked; refused unless something shipped."""
    order_id = reference if isinstance(reference, int) else find_order_id(session, reference)
    lock_order(session, order_id)
    order = session.get_one(Order, order_id)
    if order.status in NEVER_RETURNED:
        raise InvalidTransition(f"{order.number} was cancelled; nothing was shipped to return")
    shipped = session.scalar(
        select(func.coalesce(func.sum(OrderLine.qty_shipped), 0)).where(
            OrderLine.order_id == order_id
        )
    )
    if not shipped:
        raise InvalidTransition(
            f"{order.number} was never shipped ({order.status.replace('_', ' ')}); "
            "only shipped goods can be returned"
        )
    return order


def _returnable_lines(session: Session, order_id: int) -> list[ReturnableLine]:
    outstanding = (
        select(
            ReturnLine.order_line_id,
            func.sum(ReturnLine.qty_authorised - ReturnLine.qty_received).label("left"),
        )
        .join(Return, Return.id == ReturnLine.return_id)
        .where(Return.status.in_([s.value for s in OPEN]))
        .group_by(ReturnLine.order_line_id)
        .subquery()
    )
    rows = session.execute(
        select(
            OrderLine.id,
            OrderLine.sku,
            OrderLine.qty_shipped,
            OrderLine.qty_returned,
            func.coalesce(outstanding.c.left, 0),
        )
        .outerjoin(outstanding, outstanding.c.order_line_id == OrderLine.id)
        .where(OrderLine.order_id == order_id)
        .order_by(OrderLine.line_no)
    )
    return [ReturnableLine(*row) for row in rows]


def _parcel(session: Session, reference: str) -> tuple[Order, Return | None]:
    """The order a parcel belongs to (locked), and the open or named return it matches."""
    number = rma_of(reference)
    if number is not None:
        order_id = session.scalar(select(Return.order_id).where(Return.number == number))
        if order_id is None:
            raise NotFound(f"no return {number}")
        order = _lock_returnable_order(session, order_id)
        ret = session.scalars(select(Return).where(Return.number == number).with_for_update()).one()
        return order, ret
    try:
        order = _lock_returnable_order(session, reference)
    except NotFound:
        order_id = _order_by_tracking(session, reference.strip())
        if order_id is None:
            raise NotFound(
                f"{reference.strip()!r} is no return, order, channel reference or tracking number"
            ) from None
        order = _lock_returnable_order(session, order_id)
    expected = open_returns(session, order.id)
    if len(expected) > 1:
        numbers = ", ".join(r.number for r in expected)
        raise ValidationFailed(
            f"{order.number} has {len(expected)} open returns ({numbers}); scan the return label"
        )
    if not expected:
        return order, None
    ret = session.scalars(select(Return).where(Return.id == expected[0].id).with_for_update()).one()
    return order, ret


def _order_by_tracking(session: Session, tracking: str) -> int | None:
    by_shipment = select(Shipment.order_id).where(Shipment.tracking_number == tracking)
    by_package = (
        select(Shipment.order_id)
        .join(Package, Package.shipment_id == Shipment.id)
        .where(Package.tracking_number == tracking)
    )
    found = session.scalar(by_shipment.limit(1)) or session.scalar(by_package.limit(1))
    return int(found) if found is not None else None


def _not_open(ret: Return) -> str:
    if ret.status == ReturnStatus.CANCELLED:
        return f"{ret.number} was cancelled; receive the parcel on its order instead"
    when = ret.closed_at.strftime("%Y-%m-%d %H:%M UTC") if ret.closed_at else "earlier"
    return f"{ret.number} was received already, {_who_received(ret)}, {when}; nothing changed"


def _last_received(session: Session, order_id: int) -> Return | None:
    return session.scalars(
        select(Return)
        .where(Return.order_id == order_id, Return.received_at.is_not(None))
        .order_by(Return.received_at.desc(), Return.id.desc())
        .limit(1)
    ).first()


def _who_received(ret: Return | None) -> str | None:
    if ret is None or ret.received_by is None:
        return None
    return f"by {ret.received_by} at station {ret.received_station or '?'}"


def _expected(
    session: Session, order_id: int, ret: Return | None
) -> tuple[list[ExpectedLine], dict[int, int]]:
    """The lines a parcel may hold: the return's, or (no RMA) every line of the order."""
    if ret is not None:
        rows = session.execute(
            select(
                ReturnLine.id,
                ReturnLine.order_line_id,
                OrderLine.sku,
                ReturnLine.qty_authorised,
                ReturnLine.qty_received,
            )
            .join(OrderLine, OrderLine.id == ReturnLine.order_line_id)
            .where(ReturnLine.return_id == ret.id)
            .order_by(OrderLine.line_no)
        )
        return [ExpectedLine(*row) for row in rows], {}
    lines = _returnable_lines(session, order_id)
    expected = [ExpectedLine(None, line.line_id, line.sku, 0, 0) for line in lines]
    return expected, {line.line_id: max(line.returnable, 0) for line in lines}


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


def _targets(
    session: Session, order_id: int, plan: Sequence[tuple[ExpectedLine, ReceiptItem]]
) -> dict[int, Location]:
    """Where each received item goes, by id(item): the bin given, the bin a restocked
    unit shipped from, or the disposition's default bin (made on first use)."""
    targets: dict[int, Location] = {}
    for line, item in plan:
        where = item.source or item.sku
        location: Location | None
        if item.location:
            location = location_for(session, item.location, item.disposition, where)
        elif item.disposition is Disposition.RESTOCK:
            location = _shipped_from(session, line.order_line_id)
            if location is None:
                raise ValidationFailed(
                    f"{where}: say where to restock {item.sku} "
                    "(add @LOCATION, or scan the bin with L:)"
                )
        else:
            location = _default_location(session, item.disposition)
        targets[id(item)] = location
    return targets


def location_for(session: Session, code: str, disposition: Disposition, where: str) -> Location:
    """The active bin `code` if `disposition` may put units there, else one sentence why not."""
    kinds = DISPOSITION_LOCATION_KINDS[disposition]
    text = code.strip().removeprefix("L:")
    location = session.scalars(
        select(Location).where(Location.code.in_({text, text.upper()})).order_by(Location.id)
    ).first()
    if location is None or not location.active:
        raise NotFound(f"{where}: there is no location {text!r}")
    if location.kind not in kinds:
        raise ValidationFailed(
            f"{where}: {location.code} is a {location.kind} location; "
            f"{disposition.value} goes to a {' or '.join(kinds)} location"
        )
    return location


def check_location(db: Database, code: str, disposition: Disposition) -> str:
    """The bin's code when `disposition` may use it (the returns station's L: scan)."""
    return read(db, lambda s: location_for(s, code, disposition, f"L:{code}").code)


@dataclass(frozen=True)
class ParcelLine:
    sku: str
    name: str
    expected: int  # units that may still come back on this line
    codes: frozenset[str]  # what a scan of the item reads as: SKU, GTIN-14s, barcodes


@dataclass(frozen=True)
class Parcel:
    """A parcel opened at the returns station: receive it with `reference`."""

    reference: str  # the RMA number, or the order number of an unexpected return
    order: str
    rma: str | None
    customer: str
    lines: tuple[ParcelLine, ...]


def open_parcel(db: Database, actor: Actor, reference: str) -> Parcel:
    """What a parcel named by RMA, slip, order reference or tracking number may hold."""

    def work(session: Session) -> Parcel:
        authorize(session, actor, "return.receive")
        order, ret = _parcel(session, reference)
        if ret is not None and ret.status not in OPEN:
            raise InvalidTransition(_not_open(ret))
        expected, returnable = _expected(session, order.id, ret)
        room = {
            line.order_line_id: (
                line.authorised - line.received
                if ret is not None
                else returnable.get(line.order_line_id, 0)
            )
            for line in expected
        }
        lines = session.execute(
            select(OrderLine.id, OrderLine.sku, OrderLine.name, OrderLine.product_id).where(
                OrderLine.id.in_([line for line, left in room.items() if left > 0])
            )
        ).all()
        codes: dict[int, set[str]] = {}
        for product_id, code in session.execute(
            select(ProductBarcode.product_id, ProductBarcode.code).where(
                ProductBarcode.product_id.in_([p for *_, p in lines if p is not None])
            )
        ):
            codes.setdefault(product_id, set()).add(code)
        parcel_lines = tuple(
            ParcelLine(sku, name, room[line_id], frozenset({sku, *codes.get(product_id or 0, ())}))
            for line_id, sku, name, product_id in sorted(lines, key=lambda row: row[0])
        )
        label = ret.number if ret is not None else order.number
        if not parcel_lines:
            raise InvalidTransition(f"nothing more can come back on {label}")
        return Parcel(
            label,
            order.number,
            ret.number if ret is not None else None,
            order.ship_name,
            parcel_lines,
        )

    return run_in_transaction(db, work)


def _shipped_from(session: Session, order_line_id: int) -> Location | None:
    return session.scalars(
        select(Location)
        .join(StockLevel, StockLevel.location_id == Location.id)
        .join(Allocation, Allocation.stock_level_id == StockLevel.id)
        .where(
            Allocation.order_line_id == order_line_id,
            Allocation.status == "consumed",
            Location.active.is_(True),
            Location.kind.in_(DISPOSITION_LOCATION_KINDS[Disposition.RESTOCK]),
        )
        .order_by(Allocation.id.desc())
        .limit(1)
    ).first()


def _default_location(session: Session, disposition: Disposition) -> Location:
    code = DEFAULT_LOCATIONS[disposition]
    kind = DISPOSITION_LOCATION_KINDS[disposition][0]
    location = session.scalars(
        select(Location)
        .where(Location.kind == kind, Location.active.is_(True))
        .order_by(Location.code != code, Location.id)
    ).first()
    if location is None:
        location = Location(warehouse_id=default_warehouse(session).id, code=code, kind=kind)
        session.add(location)
        session.flush()
    return location


def _exchange(session: Session, actor: Actor, ret: Return) -> set[int]:
    """The replacement order of an exchange: what came back, sent again at no charge."""
    original = session.get_one(Order, ret.order_id)
    rows = session.execute(
        select(OrderLine, ReturnLine.qty_received)
        .join(ReturnLine, ReturnLine.order_line_id == OrderLine.id)
        .where(ReturnLine.return_id == ret.id)
        .order_by(OrderLine.line_no)
    ).all()
    copy = _new_order_like(session, original, "exchange", "X")
    copy.ship_by = utcnow()
    for line, qty in rows:
        _add_line(session, copy, line, qty, Decimal(0))
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
