"""`verify`: recompute balances from their sources and name every row that disagrees."""

from __future__ import annotations

from itertools import pairwise

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import (
    Allocation,
    Location,
    Order,
    OrderLine,
    PackageItem,
    Product,
    StockLevel,
    StockMove,
)
from db.uow import read


def verify(db: Database) -> list[str]:
    """Problems found, one line each; an empty list means the database is consistent."""
    return read(db, _problems)


def _problems(session: Session) -> list[str]:
    return [
        *_ledger_vs_stock(session),
        *_reserved_vs_allocations(session),
        *_line_quantities(session),
        *_packed_vs_packages(session),
    ]


def _ledger_vs_stock(session: Session) -> list[str]:
    ledger = {
        (p, loc): qty
        for p, loc, qty in session.execute(
            select(
                StockMove.product_id, StockMove.location_id, func.sum(StockMove.quantity)
            ).group_by(StockMove.product_id, StockMove.location_id)
        )
    }
    problems = []
    levels = session.execute(
        select(
            StockLevel.id,
            StockLevel.product_id,
            StockLevel.location_id,
            StockLevel.on_hand,
            StockLevel.reserved,
            Product.sku,
            Location.code,
        )
        .join(Product, Product.id == StockLevel.product_id)
        .join(Location, Location.id == StockLevel.location_id)
    )
    for _id, product_id, location_id, on_hand, reserved, sku, code in levels:
        expected = ledger.pop((product_id, location_id), 0)
        if on_hand != expected:
            problems.append(
                f"stock {sku} at {code}: on hand {on_hand} but ledger sums to {expected}"
            )
        if not 0 <= reserved <= on_hand:
            problems.append(f"stock {sku} at {code}: reserved {reserved} outside 0..{on_hand}")
    for (product_id, location_id), qty in ledger.items():
        if qty:
            problems.append(
                f"ledger for product {product_id} at location {location_id} sums to {qty} "
                "but there is no stock row"
            )
    return problems


def _reserved_vs_allocations(session: Session) -> list[str]:
    active = dict(
        session.execute(
            select(Allocation.stock_level_id, func.sum(Allocation.quantity))
            .where(Allocation.status == "active")
            .group_by(Allocation.stock_level_id)
        ).all()
    )
    problems = []
    for level_id, reserved, sku, code in session.execute(
        select(StockLevel.id, StockLevel.reserved, Product.sku, Location.code)
        .join(Product, Product.id == StockLevel.product_id)
        .join(Location, Location.id == StockLevel.location_id)
    ):
        expected = active.get(level_id, 0)
        if reserved != expected:
            problems.append(
                f"stock {sku} at {code}: reserved {reserved} but active allocations sum to "
                f"{expected}"
            )
    return problems


def _line_quantities(session: Session) -> list[str]:
    allocated = dict(
        session.execute(
            select(Allocation.order_line_id, func.sum(Allocation.quantity))
            .where(Allocation.status.in_(("active", "consumed")))
            .group_by(Allocation.order_line_id)
        ).all()
    )
    problems = []
    for number, line_no, line in session.execute(
        select(Order.number, OrderLine.line_no, OrderLine).join(
            Order, Order.id == OrderLine.order_id
        )
    ):
        where = f"order {number} line {line_no} ({line.sku})"
        if line.qty_allocated != allocated.get(line.id, 0):
            problems.append(
                f"{where}: allocated {line.qty_allocated} but allocations sum to "
                f"{allocated.get(line.id, 0)}"
            )
        chain = [
            ("ordered", line.qty_ordered),
            ("allocated", line.qty_allocated),
            ("picked", line.qty_picked),
            ("packed", line.qty_packed),
            ("shipped", line.qty_shipped),
            ("returned", line.qty_returned),
        ]
        for (upper_name, upper), (name, qty) in pairwise(chain):
            if not 0 <= qty <= upper:
                problems.append(f"{where}: {name} {qty} exceeds {upper_name} {upper}")
    return problems


def _packed_vs_packages(session: Session) -> list[str]:
    in_boxes = dict(
        session.execute(
            select(PackageItem.order_line_id, func.sum(PackageItem.quantity)).group_by(
                PackageItem.order_line_id
            )
        ).all()
    )
    problems = []
    for number, line_no, sku, line_id, packed in session.execute(
        select(Order.number, OrderLine.line_no, OrderLine.sku, OrderLine.id, OrderLine.qty_packed)
        .join(Order, Order.id == OrderLine.order_id)
        .where(OrderLine.qty_packed > 0)
    ):
        if packed != in_boxes.get(line_id, 0):
            problems.append(
                f"order {number} line {line_no} ({sku}): packed {packed} but packages hold "
                f"{in_boxes.get(line_id, 0)}"
            )
    return problems
