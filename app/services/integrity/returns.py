"""`verify` on returns: every received unit has exactly one disposition move, and every
return move belongs to one receipt."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, Subquery, and_, case, func, literal, select, union_all
from sqlalchemy.orm import Session

from app.services.integrity.checks import Check, failures
from db.models import Order, OrderLine, Return, ReturnLine, ReturnReceipt, StockMove

RETURN_RULES = {
    "return-receipts": "a return line's received units are the units of its receipts",
    "receipt-move": "each receipt has one return move of its units, product, bin and order",
    "return-move-receipt": "each return move is a receipt's disposition",
}


def return_problems(session: Session) -> list[str]:
    return [
        *failures(session, _lines(), _line, _LINE_CHECKS, order_by=("number", "sku")),
        *failures(session, _receipts(), _receipt, _RECEIPT_CHECKS, order_by=("number", "id")),
    ]


def _lines() -> Subquery:
    receipts = (
        select(ReturnReceipt.return_line_id, func.sum(ReturnReceipt.quantity).label("units"))
        .group_by(ReturnReceipt.return_line_id)
        .subquery()
    )
    return (
        select(
            Return.number,
            OrderLine.sku,
            ReturnLine.qty_received,
            func.coalesce(receipts.c.units, 0).label("units"),
        )
        .join(Return, Return.id == ReturnLine.return_id)
        .join(OrderLine, OrderLine.id == ReturnLine.order_line_id)
        .outerjoin(receipts, receipts.c.return_line_id == ReturnLine.id)
        .subquery()
    )


def _line(row: Row[Any]) -> str:
    return f"return {row.number} {row.sku}"


_LINE_CHECKS = (
    Check(
        "return-receipts",
        lambda c: c.qty_received != c.units,
        lambda r: f"received {r.qty_received} but its receipts hold {r.units}",
    ),
)


def _receipts() -> Subquery:
    """Receipts beside their move (`matches`: the move is the receipt's), and return
    moves that no receipt points at (`orphan`)."""
    move_fits = and_(
        StockMove.kind == "return",
        StockMove.quantity == ReturnReceipt.quantity,
        StockMove.product_id == OrderLine.product_id,
        StockMove.location_id == ReturnReceipt.location_id,
        StockMove.order_id == Return.order_id,
    )
    with_moves = (
        select(
            ReturnReceipt.id.label("id"),
            Return.number.label("number"),
            OrderLine.sku.label("sku"),
            literal(1).label("receipt"),
            case((StockMove.id.is_(None), 0), else_=1).label("moves"),
        )
        .join(ReturnLine, ReturnLine.id == ReturnReceipt.return_line_id)
        .join(Return, Return.id == ReturnLine.return_id)
        .join(OrderLine, OrderLine.id == ReturnLine.order_line_id)
        .outerjoin(StockMove, and_(StockMove.id == ReturnReceipt.stock_move_id, move_fits))
    )
    orphans = (
        select(
            StockMove.id,
            func.coalesce(Order.number, "no order"),
            literal("").label("sku"),
            literal(0),
            literal(1),
        )
        .outerjoin(Order, Order.id == StockMove.order_id)
        .outerjoin(ReturnReceipt, ReturnReceipt.stock_move_id == StockMove.id)
        .where(StockMove.kind == "return", ReturnReceipt.id.is_(None))
    )
    return union_all(with_moves, orphans).subquery()


def _receipt(row: Row[Any]) -> str:
    if row.receipt:
        return f"return {row.number} {row.sku} receipt {row.id}"
    return f"stock move {row.id} (order {row.number})"


_RECEIPT_CHECKS = (
    Check(
        "receipt-move",
        lambda c: and_(c.receipt == 1, c.moves != 1),
        lambda r: "has no return move of its units, product, bin and order",
    ),
    Check(
        "return-move-receipt",
        lambda c: c.receipt == 0,
        lambda r: "is a return move that no return receipt explains",
    ),
)
