"""Which order and return a parcel belongs to, what it may hold, and where its units go.

Shared by the desk (what may be authorised), the returns station (opening a parcel,
checking a scanned bin) and receiving. Lookups that decide a change lock the order row
first, as every service does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
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
    ReturnableLine,
    ReturnStatus,
    reason_codes,
    rma_of,
)
from app.errors import InvalidTransition, NotFound, ValidationFailed
from app.services.access import authorize
from app.services.audit import lock_order
from app.services.inventory import default_warehouse
from app.services.orders import find_order_id
from app.services.return_views import open_returns
from app.services.settings import setting_value
from db.bulk import insert_unless_present
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
    Shipment,
    StockLevel,
)
from db.uow import read, run_in_transaction

NEVER_RETURNED = (OrderStatus.CANCELLED.value,)


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
            tuple((line, names[line.line_id]) for line in returnable_lines(session, order_id)),
            reason_codes(setting_value(session, "returns.reasons")),
        )

    return read(db, work)


def lock_returnable_order(session: Session, reference: str | int) -> Order:
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


def returnable_lines(session: Session, order_id: int) -> list[ReturnableLine]:
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


def parcel_of(session: Session, reference: str) -> tuple[Order, Return | None]:
    """The order a parcel belongs to (locked), and the open or named return it matches;
    refused, saying when and by whom, when that return is no longer open."""
    order, ret = _parcel(session, reference)
    if ret is not None and ret.status not in OPEN:
        raise InvalidTransition(not_open_message(ret))
    return order, ret


def _parcel(session: Session, reference: str) -> tuple[Order, Return | None]:
    number = rma_of(reference)
    if number is not None:
        order_id = session.scalar(select(Return.order_id).where(Return.number == number))
        if order_id is None:
            raise NotFound(f"no return {number}")
        order = lock_returnable_order(session, order_id)
        ret = session.scalars(select(Return).where(Return.number == number).with_for_update()).one()
        return order, ret
    try:
        order = lock_returnable_order(session, reference)
    except NotFound:
        order_id = order_by_tracking(session, reference.strip())
        if order_id is None:
            raise NotFound(
                f"{reference.strip()!r} is no return, order, channel reference or tracking number"
            ) from None
        order = lock_returnable_order(session, order_id)
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


def order_by_tracking(session: Session, tracking: str) -> int | None:
    by_shipment = select(Shipment.order_id).where(Shipment.tracking_number == tracking)
    by_package = (
        select(Shipment.order_id)
        .join(Package, Package.shipment_id == Shipment.id)
        .where(Package.tracking_number == tracking)
    )
    found = session.scalar(by_shipment.limit(1)) or session.scalar(by_package.limit(1))
    return int(found) if found is not None else None


def not_open_message(ret: Return) -> str:
    if ret.status == ReturnStatus.CANCELLED:
        return f"{ret.number} was cancelled; receive the parcel on its order instead"
    when = ret.closed_at.strftime("%Y-%m-%d %H:%M UTC") if ret.closed_at else "earlier"
    return f"{ret.number} was received already, {who_received(ret)}, {when}; nothing changed"


def last_received(session: Session, order_id: int) -> Return | None:
    return session.scalars(
        select(Return)
        .where(Return.order_id == order_id, Return.received_at.is_not(None))
        .order_by(Return.received_at.desc(), Return.id.desc())
        .limit(1)
    ).first()


def who_received(ret: Return | None) -> str | None:
    if ret is None or ret.received_by is None:
        return None
    return f"by {ret.received_by} at station {ret.received_station or '?'}"


def expected_lines(
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
    lines = returnable_lines(session, order_id)
    expected = [ExpectedLine(None, line.line_id, line.sku, 0, 0) for line in lines]
    return expected, {line.line_id: max(line.returnable, 0) for line in lines}


def destinations(
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
            location = shipped_from(session, line.order_line_id)
            if location is None:
                raise ValidationFailed(
                    f"{where}: say where to restock {item.sku} "
                    "(add @LOCATION, or scan the bin with L:)"
                )
        else:
            location = default_location(session, item.disposition)
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
        order, ret = parcel_of(session, reference)
        expected, returnable = expected_lines(session, order.id, ret)
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


def shipped_from(session: Session, order_line_id: int) -> Location | None:
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


def default_location(session: Session, disposition: Disposition) -> Location:
    """The site's bin for `disposition`, made on first use. Two stations may make it at
    once: the insert yields to the other's row instead of failing on the unique code."""
    code = DEFAULT_LOCATIONS[disposition]
    kind = DISPOSITION_LOCATION_KINDS[disposition][0]
    query = (
        select(Location)
        .where(Location.kind == kind, Location.active.is_(True))
        .order_by(Location.code != code, Location.id)
    )
    location = session.scalars(query).first()
    if location is None:
        session.execute(
            insert_unless_present(session, Location, ["warehouse_id", "code"]).values(
                warehouse_id=default_warehouse(session).id, code=code, kind=kind
            )
        )
        location = session.scalars(query).first()
    if location is None:
        raise ValidationFailed(
            f"location {code} exists but is not a {kind} location: make it one, or add "
            f"another {kind} location for {disposition.value} units"
        )
    return location
