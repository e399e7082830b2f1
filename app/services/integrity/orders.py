"""`verify` on the order side: each order's status against its lines, reservations and
parcels; each line against its allocations, parcels and returns; rows that point at
another order's lines."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, Subquery, case, func, literal, select, union_all
from sqlalchemy.orm import Session, aliased

from app.domain.order_workflow import HOLDABLE, OrderStatus
from app.services.integrity.checks import Check, Columns, failures
from db.models import (
    Allocation,
    Order,
    OrderLine,
    Package,
    PackageItem,
    Product,
    Return,
    ReturnLine,
    Shipment,
    StockLevel,
)

S = OrderStatus
RESERVING = (S.ALLOCATED, S.PICKING, S.PICKED, S.PACKED)
LEFT = ("shipped", "delivered")  # shipment statuses of parcels out of the building

ORDER_RULES = {
    "status-lines": "an order's status agrees with its lines' quantities",
    "status-reservations": "an order holds reserved stock exactly while allocated, picking, "
    "picked or packed",
    "status-parcels": "an order has a parcel waiting to leave exactly while packed",
    "hold": "an order on hold knows the status it goes back to, and no other order has one",
    "line-allocations": "a line's allocated units are its active and consumed allocations",
    "line-consumed": "a line's shipped units are its consumed allocations",
    "line-packages": "a line's packed units are in parcels that were not voided",
    "line-parcels-left": "a line's shipped units are in parcels that left",
    "line-returns": "a line's returned units are the units received on its returns",
    "returns-shipped": "open returns authorise no more of a line than was shipped",
    "allocation-product": "an allocation reserves its line's own product",
    "parcel-order": "a parcel holds lines of its own order only",
    "return-order": "a return holds lines of its own order only",
}


def order_problems(session: Session) -> list[str]:
    return [
        *failures(session, _order_facts(), _order, _ORDER_CHECKS, order_by=("id",)),
        *failures(session, _line_facts(), _line, _LINE_CHECKS, order_by=("order_id", "line_no")),
        *failures(session, _crossed(), _line, _CROSSED_CHECKS, order_by=("order_id", "line_no")),
    ]


def _count(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """How many rows of the group meet `condition`."""
    return func.sum(case((condition, 1), else_=0))


def _order_facts() -> Subquery:
    """Per order: its status (the held one while on hold), unit totals per stage, lines
    short of a stage, units reserved and parcels waiting to leave. "ordered" counts the
    units to ship from here: those the channel handled itself are left out."""
    line = OrderLine
    lines = (
        select(
            line.order_id,
            func.sum(line.qty_to_fulfil).label("ordered"),
            func.sum(line.qty_allocated).label("allocated"),
            func.sum(line.qty_picked).label("picked"),
            func.sum(line.qty_packed).label("packed"),
            func.sum(line.qty_shipped).label("shipped"),
            _count(line.qty_picked < line.qty_allocated).label("unpicked"),
            _count(line.qty_packed < line.qty_allocated).label("unpacked"),
            _count(line.qty_shipped < line.qty_to_fulfil).label("unshipped"),
            _count(line.qty_picked > line.qty_shipped).label("kept"),
        )
        .group_by(line.order_id)
        .subquery()
    )
    reserved = (
        select(line.order_id, func.sum(Allocation.quantity).label("reserved"))
        .join(Allocation, Allocation.order_line_id == line.id)
        .where(Allocation.status == "active")
        .group_by(line.order_id)
        .subquery()
    )
    waiting = (
        select(Shipment.order_id, func.count().label("waiting"))
        .where(Shipment.status == "packed")
        .group_by(Shipment.order_id)
        .subquery()
    )
    held = Order.status == S.ON_HOLD.value
    return (
        select(
            Order.id,
            Order.number,
            Order.status,
            Order.held_from,
            case((held, func.coalesce(Order.held_from, Order.status)), else_=Order.status).label(
                "state"
            ),
            *(
                func.coalesce(lines.c[name], 0).label(name)
                for name in (
                    "ordered",
                    "allocated",
                    "picked",
                    "packed",
                    "shipped",
                    "unpicked",
                    "unpacked",
                    "unshipped",
                    "kept",
                )
            ),
            func.coalesce(reserved.c.reserved, 0).label("reserved"),
            func.coalesce(waiting.c.waiting, 0).label("waiting"),
        )
        .outerjoin(lines, lines.c.order_id == Order.id)
        .outerjoin(reserved, reserved.c.order_id == Order.id)
        .outerjoin(waiting, waiting.c.order_id == Order.id)
        .subquery()
    )


def _order(row: Row[Any]) -> str:
    return f"order {row.number}"


def _state(row: Row[Any]) -> str:
    if row.status == S.ON_HOLD and row.held_from:
        return f"on hold (from {row.held_from.replace('_', ' ')})"
    return str(row.status).replace("_", " ")


def _in(c: Columns, *states: OrderStatus) -> ColumnElement[bool]:
    return c.state.in_([s.value for s in states])


def _status_lines(
    states: tuple[OrderStatus, ...],
    broken: Callable[[Columns], ColumnElement[bool]],
    says: Callable[[Row[Any]], str],
) -> Check:
    """A `status-lines` check for orders in (or held from) one of `states`."""
    return Check(
        "status-lines", lambda c: _in(c, *states) & broken(c), lambda r: f"{_state(r)}, {says(r)}"
    )


_ORDER_CHECKS = (
    _status_lines(
        (S.NEW,), lambda c: c.allocated > 0, lambda r: f"but {r.allocated} units are allocated"
    ),
    _status_lines(
        (S.BACKORDERED,),
        lambda c: c.allocated >= c.ordered,
        lambda r: f"but all {r.ordered} units are allocated",
    ),
    _status_lines(
        (S.ALLOCATED, S.PICKING, S.PICKED),
        lambda c: c.packed > c.shipped,
        lambda r: f"but {r.packed - r.shipped} units are packed and not shipped",
    ),
    _status_lines(
        (S.PICKED,),
        lambda c: c.unpicked > 0,
        lambda r: f"but {r.allocated - r.picked} allocated units are not picked",
    ),
    _status_lines(
        (S.PACKED,),
        lambda c: c.unpacked > 0,
        lambda r: f"but {r.allocated - r.packed} allocated units are not packed",
    ),
    _status_lines(
        (S.PACKED,),
        lambda c: c.packed <= c.shipped,
        lambda r: "but no packed unit waits to ship",
    ),
    _status_lines(
        (S.PARTIALLY_SHIPPED,),
        (lambda c: (c.shipped == 0) | (c.unshipped == 0)),
        lambda r: f"but {r.shipped} of {r.ordered} units are shipped",
    ),
    _status_lines(
        (S.SHIPPED, S.DELIVERED),
        lambda c: c.unshipped > 0,
        lambda r: f"but {r.shipped} of {r.ordered} units are shipped",
    ),
    _status_lines(
        (S.CANCELLED,),
        lambda c: (c.unshipped == 0) & (c.ordered > 0),
        lambda r: f"but all {r.ordered} units were shipped",
    ),
    _status_lines(
        (S.CANCELLED,),
        lambda c: c.kept > 0,
        lambda r: f"but {r.picked - r.shipped} units are still picked or packed",
    ),
    Check(
        "status-reservations",
        lambda c: _in(c, *RESERVING) & (c.reserved == 0),
        lambda r: f"{_state(r)}, but no unit is reserved for it",
    ),
    Check(
        "status-reservations",
        lambda c: ~_in(c, *RESERVING) & (c.reserved > 0),
        lambda r: f"{_state(r)}, but {r.reserved} units are still reserved for it",
    ),
    Check(
        "status-parcels",
        lambda c: _in(c, S.PACKED) & (c.waiting == 0),
        lambda r: f"{_state(r)}, but no parcel waits to leave",
    ),
    Check(
        "status-parcels",
        lambda c: ~_in(c, S.PACKED) & (c.waiting > 0),
        lambda r: f"{_state(r)}, but {r.waiting} parcel(s) still wait to leave",
    ),
    Check(
        "hold",
        lambda c: (
            (c.status == S.ON_HOLD.value)
            & (c.held_from.is_(None) | c.held_from.not_in([s.value for s in HOLDABLE]))
        ),
        lambda r: f"on hold, but it would go back to {r.held_from or 'nothing'}",
    ),
    Check(
        "hold",
        lambda c: (c.status != S.ON_HOLD.value) & c.held_from.is_not(None),
        lambda r: f"{_state(r)}, but it remembers a hold from {r.held_from}",
    ),
)


def _line_facts() -> Subquery:
    """Per line: its stage quantities beside its allocations (active, consumed), the units
    in its parcels (not voided, left) and on its returns (received, open authorised)."""
    allocations = (
        select(
            Allocation.order_line_id,
            func.sum(case((Allocation.status == "active", Allocation.quantity), else_=0)).label(
                "active"
            ),
            func.sum(case((Allocation.status == "consumed", Allocation.quantity), else_=0)).label(
                "consumed"
            ),
        )
        .group_by(Allocation.order_line_id)
        .subquery()
    )
    parcels = (
        select(
            PackageItem.order_line_id,
            func.sum(case((Shipment.status != "voided", PackageItem.quantity), else_=0)).label(
                "boxed"
            ),
            func.sum(case((Shipment.status.in_(LEFT), PackageItem.quantity), else_=0)).label(
                "gone"
            ),
        )
        .join(Package, Package.id == PackageItem.package_id)
        .join(Shipment, Shipment.id == Package.shipment_id)
        .group_by(PackageItem.order_line_id)
        .subquery()
    )
    returns = (
        select(
            ReturnLine.order_line_id,
            func.sum(ReturnLine.qty_received).label("received"),
            func.sum(
                case((Return.status != "cancelled", ReturnLine.qty_authorised), else_=0)
            ).label("authorised"),
        )
        .join(Return, Return.id == ReturnLine.return_id)
        .group_by(ReturnLine.order_line_id)
        .subquery()
    )
    totals = (
        (allocations, ("active", "consumed")),
        (parcels, ("boxed", "gone")),
        (returns, ("received", "authorised")),
    )
    return (
        select(
            OrderLine.order_id,
            OrderLine.line_no,
            OrderLine.sku,
            Order.number,
            OrderLine.qty_allocated,
            OrderLine.qty_packed,
            OrderLine.qty_shipped,
            OrderLine.qty_returned,
            *(
                func.coalesce(table.c[name], 0).label(name)
                for table, names in totals
                for name in names
            ),
        )
        .join(Order, Order.id == OrderLine.order_id)
        .outerjoin(allocations, allocations.c.order_line_id == OrderLine.id)
        .outerjoin(parcels, parcels.c.order_line_id == OrderLine.id)
        .outerjoin(returns, returns.c.order_line_id == OrderLine.id)
        .subquery()
    )


def _line(row: Row[Any]) -> str:
    return f"order {row.number} line {row.line_no} ({row.sku})"


_LINE_CHECKS = (
    Check(
        "line-allocations",
        lambda c: c.qty_allocated != c.active + c.consumed,
        lambda r: f"allocated {r.qty_allocated} but allocations sum to {r.active + r.consumed}",
    ),
    Check(
        "line-consumed",
        lambda c: c.qty_shipped != c.consumed,
        lambda r: f"shipped {r.qty_shipped} but consumed allocations sum to {r.consumed}",
    ),
    Check(
        "line-packages",
        lambda c: c.qty_packed != c.boxed,
        lambda r: f"packed {r.qty_packed} but parcels not voided hold {r.boxed}",
    ),
    Check(
        "line-parcels-left",
        lambda c: c.qty_shipped != c.gone,
        lambda r: f"shipped {r.qty_shipped} but parcels that left hold {r.gone}",
    ),
    Check(
        "line-returns",
        lambda c: c.qty_returned != c.received,
        lambda r: f"returned {r.qty_returned} but its returns received {r.received}",
    ),
    Check(
        "returns-shipped",
        lambda c: c.authorised > c.qty_shipped,
        lambda r: f"open returns authorise {r.authorised} but {r.qty_shipped} were shipped",
    ),
)


def _crossed() -> Subquery:
    """Allocations of another product, parcel items and return lines of another order:
    the line each points at, and what it points at instead (`other`)."""
    owner, other_order, other_product = aliased(Order), aliased(Order), aliased(Product)
    line = (OrderLine.order_id, OrderLine.line_no, OrderLine.sku, owner.number)

    def pointing(kind: str, other: Any) -> Select[Any]:
        return select(*line, literal(kind).label("kind"), other.label("other")).join(
            owner, owner.id == OrderLine.order_id
        )

    return union_all(
        pointing("allocation", other_product.sku)
        .join(Allocation, Allocation.order_line_id == OrderLine.id)
        .join(StockLevel, StockLevel.id == Allocation.stock_level_id)
        .join(other_product, other_product.id == StockLevel.product_id)
        .where(OrderLine.product_id.is_(None) | (OrderLine.product_id != StockLevel.product_id)),
        pointing("parcel", other_order.number)
        .join(PackageItem, PackageItem.order_line_id == OrderLine.id)
        .join(Package, Package.id == PackageItem.package_id)
        .join(Shipment, Shipment.id == Package.shipment_id)
        .join(other_order, other_order.id == Shipment.order_id)
        .where(Shipment.order_id != OrderLine.order_id),
        pointing("return", Return.number)
        .join(ReturnLine, ReturnLine.order_line_id == OrderLine.id)
        .join(Return, Return.id == ReturnLine.return_id)
        .where(Return.order_id != OrderLine.order_id),
    ).subquery()


_CROSSED_CHECKS = (
    Check(
        "allocation-product",
        lambda c: c.kind == "allocation",
        lambda r: f"an allocation reserves {r.other} for it",
    ),
    Check(
        "parcel-order",
        lambda c: c.kind == "parcel",
        lambda r: f"packed in a parcel of order {r.other}",
    ),
    Check(
        "return-order",
        lambda c: c.kind == "return",
        lambda r: f"on return {r.other} of another order",
    ),
)
