"""`verify` on the stock side: balances against the ledger and the allocations, and
the ledger against what orders shipped and took back."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, Subquery, func, literal, select, union_all
from sqlalchemy.orm import Session

from app.services.integrity.checks import Check, failures
from db.models import Allocation, Location, Order, OrderLine, Product, StockLevel, StockMove

STOCK_RULES = {
    "ledger": "on hand at every stock row is the sum of its ledger moves",
    "reserved": "reserved at every stock row is the sum of its active allocations",
    "ship-moves": "per order, product and bin, ship moves take out what consumed allocations "
    "shipped",
    "return-moves": "per order and product, return moves put back no more than was returned",
}


def stock_problems(session: Session) -> list[str]:
    return [
        *failures(session, _balances(), _stock_row, _BALANCE_CHECKS, order_by=("sku", "code")),
        *failures(
            session, _shipped_from(), _order, _SHIP_CHECKS, order_by=("number", "sku", "code")
        ),
        *failures(session, _returned(), _order, _RETURN_CHECKS, order_by=("number", "sku")),
    ]


def _named(totals: Subquery, *keys: str) -> Subquery:
    """`totals` with the product's SKU, the bin's code and the order's number, if keyed."""
    stmt = select(totals, Product.sku).join(Product, Product.id == totals.c.product_id)
    if "location" in keys:
        stmt = stmt.add_columns(Location.code).join(Location, Location.id == totals.c.location_id)
    if "order" in keys:
        stmt = stmt.add_columns(Order.number).outerjoin(Order, Order.id == totals.c.order_id)
    return stmt.subquery()


def _balances() -> Subquery:
    """Per product and bin: on hand and reserved as stored, the ledger's sum, the active
    allocations, and whether a stock row exists at all."""
    zero = literal(0)
    parts = union_all(
        select(
            StockLevel.product_id,
            StockLevel.location_id,
            StockLevel.on_hand.label("on_hand"),
            StockLevel.reserved.label("reserved"),
            zero.label("ledger"),
            zero.label("allocated"),
            literal(1).label("has_row"),
        ),
        select(
            StockMove.product_id, StockMove.location_id, zero, zero, StockMove.quantity, zero, zero
        ),
        select(
            StockLevel.product_id,
            StockLevel.location_id,
            zero,
            zero,
            zero,
            Allocation.quantity,
            zero,
        )
        .join(StockLevel, StockLevel.id == Allocation.stock_level_id)
        .where(Allocation.status == "active"),
    ).subquery()
    totals = (
        select(
            parts.c.product_id,
            parts.c.location_id,
            func.sum(parts.c.on_hand).label("on_hand"),
            func.sum(parts.c.reserved).label("reserved"),
            func.sum(parts.c.ledger).label("ledger"),
            func.sum(parts.c.allocated).label("allocated"),
            func.max(parts.c.has_row).label("has_row"),
        )
        .group_by(parts.c.product_id, parts.c.location_id)
        .subquery()
    )
    return _named(totals, "location")


def _stock_row(row: Row[Any]) -> str:
    return f"stock {row.sku} at {row.code}"


def _on_hand(row: Row[Any]) -> str:
    if not row.has_row:
        return f"ledger sums to {row.ledger} but there is no stock row"
    return f"on hand {row.on_hand} but ledger sums to {row.ledger}"


_BALANCE_CHECKS = (
    Check("ledger", lambda c: c.on_hand != c.ledger, _on_hand),
    Check(
        "reserved",
        lambda c: c.reserved != c.allocated,
        lambda r: f"reserved {r.reserved} but active allocations sum to {r.allocated}",
    ),
)


def _shipped_from() -> Subquery:
    """Per order, product and bin: units its consumed allocations shipped, and units its
    ship moves took out (a ship move without an order counts under none)."""
    zero = literal(0)
    parts = union_all(
        select(
            OrderLine.order_id,
            StockLevel.product_id,
            StockLevel.location_id,
            Allocation.quantity.label("consumed"),
            zero.label("moved"),
        )
        .join(OrderLine, OrderLine.id == Allocation.order_line_id)
        .join(StockLevel, StockLevel.id == Allocation.stock_level_id)
        .where(Allocation.status == "consumed"),
        select(
            StockMove.order_id,
            StockMove.product_id,
            StockMove.location_id,
            zero,
            -StockMove.quantity,
        ).where(StockMove.kind == "ship"),
    ).subquery()
    totals = (
        select(
            parts.c.order_id,
            parts.c.product_id,
            parts.c.location_id,
            func.sum(parts.c.consumed).label("consumed"),
            func.sum(parts.c.moved).label("moved"),
        )
        .group_by(parts.c.order_id, parts.c.product_id, parts.c.location_id)
        .subquery()
    )
    return _named(totals, "location", "order")


def _order(row: Row[Any]) -> str:
    return f"order {row.number}" if row.number else "no order"


_SHIP_CHECKS = (
    Check(
        "ship-moves",
        lambda c: c.consumed != c.moved,
        lambda r: (
            f"{r.sku} at {r.code}: allocations shipped {r.consumed} but ship moves "
            f"took out {r.moved}"
        ),
    ),
)


def _returned() -> Subquery:
    """Per order and product: units its lines count as returned, and units return moves
    put back into stock."""
    zero = literal(0)
    parts = union_all(
        select(
            OrderLine.order_id,
            OrderLine.product_id,
            OrderLine.qty_returned.label("returned"),
            zero.label("moved"),
        ).where(OrderLine.qty_returned > 0, OrderLine.product_id.is_not(None)),
        select(StockMove.order_id, StockMove.product_id, zero, StockMove.quantity).where(
            StockMove.kind == "return"
        ),
    ).subquery()
    totals = (
        select(
            parts.c.order_id,
            parts.c.product_id,
            func.sum(parts.c.returned).label("returned"),
            func.sum(parts.c.moved).label("moved"),
        )
        .group_by(parts.c.order_id, parts.c.product_id)
        .subquery()
    )
    return _named(totals, "order")


_RETURN_CHECKS = (
    Check(
        "return-moves",
        lambda c: c.moved > c.returned,
        lambda r: f"{r.sku}: return moves put back {r.moved} but {r.returned} came back",
    ),
)
