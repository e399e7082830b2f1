"""Reading returns: one RMA in full, the desk's list, and an order's return numbers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from app.domain.returns import OPEN, ReturnStatus, rma_of
from app.dto import jsonable
from app.errors import NotFound, ValidationFailed
from db.engine import Database
from db.models import Location, Order, OrderLine, Refund, Return, ReturnLine, ReturnReceipt
from db.uow import read


@dataclass(frozen=True)
class ReceiptView:
    quantity: int
    condition: str
    disposition: str
    location: str
    username: str
    station: str | None
    received_at: datetime


@dataclass(frozen=True)
class ReturnLineView:
    sku: str
    name: str
    unit_price: Decimal
    qty_authorised: int
    qty_received: int
    condition: str | None
    disposition: str | None
    receipts: tuple[ReceiptView, ...]


@dataclass(frozen=True)
class RefundView:
    amount: Decimal
    currency: str
    method: str
    status: str
    goods: Decimal
    fee: Decimal
    shipping: Decimal
    issued_by: str | None
    issued_at: datetime | None


@dataclass(frozen=True)
class ReturnView:
    number: str
    order: str
    order_ref: str
    customer: str
    status: str
    reason: str | None
    resolution: str
    unexpected: bool
    authorised_by: str | None
    created_at: datetime
    received_by: str | None
    received_station: str | None
    received_at: datetime | None
    closed_at: datetime | None
    currency: str
    lines: tuple[ReturnLineView, ...]
    refunds: tuple[RefundView, ...]
    exchange_order: str | None

    @property
    def refund_total(self) -> Decimal:
        return sum((r.amount for r in self.refunds), Decimal(0))

    @property
    def refund_status(self) -> str | None:
        if not self.refunds:
            return None
        return "pending" if any(r.status == "pending" for r in self.refunds) else "issued"

    def to_json(self) -> dict[str, Any]:
        """DESIGN.md's keys for show-return, and the details behind them."""
        refund = (
            {
                "amount": str(self.refund_total),
                "currency": self.currency,
                "status": self.refund_status,
            }
            if self.refunds
            else None
        )
        return {
            "number": self.number,
            "order": self.order,
            "status": self.status,
            "reason": self.reason,
            "resolution": self.resolution,
            "unexpected": self.unexpected,
            "lines": [
                {
                    "sku": line.sku,
                    "qty_authorised": line.qty_authorised,
                    "qty_received": line.qty_received,
                    "condition": line.condition,
                    "disposition": line.disposition,
                    "receipts": jsonable([asdict(r) for r in line.receipts]),
                }
                for line in self.lines
            ],
            "refund": refund,
            "refunds": jsonable([asdict(r) for r in self.refunds]),
            "exchange_order": self.exchange_order,
            "authorised_by": self.authorised_by,
            "created_at": self.created_at.isoformat(),
            "received_by": self.received_by,
            "received_station": self.received_station,
            "received_at": self.received_at.isoformat() if self.received_at else None,
            "closed_at": self.closed_at.isoformat() if self.closed_at else None,
        }


@dataclass(frozen=True)
class ReturnRow:
    """One return in the desk's list."""

    number: str
    order: str
    customer: str
    status: str
    reason: str | None
    resolution: str
    unexpected: bool
    created_at: datetime
    units_authorised: int
    units_received: int
    refund_amount: Decimal | None  # pending and issued together
    refund_pending: bool

    def to_json(self) -> dict[str, Any]:
        return dict(jsonable(asdict(self)))


def return_detail(db: Database, reference: str) -> ReturnView:
    return read(db, lambda s: load_return(s, find_return(s, reference)))


def find_return(session: Session, reference: str, *, for_update: bool = False) -> Return:
    number = rma_of(reference)
    if number is None:
        raise NotFound(f"{reference.strip()!r} is not a return number (RMA-100001)")
    stmt = select(Return).where(Return.number == number)
    found = session.scalars(stmt.with_for_update() if for_update else stmt).first()
    if found is None:
        raise NotFound(f"no return {number}")
    return found


def load_return(session: Session, ret: Return) -> ReturnView:
    order = session.get_one(Order, ret.order_id)
    rows = session.execute(
        select(ReturnLine, OrderLine)
        .join(OrderLine, OrderLine.id == ReturnLine.order_line_id)
        .where(ReturnLine.return_id == ret.id)
        .order_by(OrderLine.line_no)
    ).all()
    receipts: dict[int, list[ReceiptView]] = {}
    for receipt, code in session.execute(
        select(ReturnReceipt, Location.code)
        .join(Location, Location.id == ReturnReceipt.location_id)
        .where(ReturnReceipt.return_line_id.in_([rl.id for rl, _ in rows]))
        .order_by(ReturnReceipt.id)
    ):
        receipts.setdefault(receipt.return_line_id, []).append(
            ReceiptView(
                receipt.quantity,
                receipt.condition,
                receipt.disposition,
                code,
                receipt.username,
                receipt.station,
                receipt.created_at,
            )
        )
    refunds = session.scalars(
        select(Refund).where(Refund.return_id == ret.id).order_by(Refund.id)
    ).all()
    exchange = (
        session.scalar(select(Order.number).where(Order.id == ret.exchange_order_id))
        if ret.exchange_order_id
        else None
    )
    return ReturnView(
        number=ret.number,
        order=order.number,
        order_ref=order.external_ref,
        customer=order.ship_name,
        status=ret.status,
        reason=ret.reason,
        resolution=ret.resolution,
        unexpected=ret.unexpected,
        authorised_by=ret.authorised_by,
        created_at=ret.created_at,
        received_by=ret.received_by,
        received_station=ret.received_station,
        received_at=ret.received_at,
        closed_at=ret.closed_at,
        currency=order.currency,
        lines=tuple(
            ReturnLineView(
                line.sku,
                line.name,
                line.unit_price,
                rl.qty_authorised,
                rl.qty_received,
                _summary({r.condition for r in receipts.get(rl.id, ())}),
                _summary({r.disposition for r in receipts.get(rl.id, ())}),
                tuple(receipts.get(rl.id, ())),
            )
            for rl, line in rows
        ),
        refunds=tuple(
            RefundView(
                r.amount,
                r.currency,
                r.method,
                r.status,
                r.goods_amount,
                r.fee_amount,
                r.shipping_amount,
                r.issued_by,
                r.issued_at,
            )
            for r in refunds
        ),
        exchange_order=exchange,
    )


def _summary(values: set[str]) -> str | None:
    """One value when every receipt of a line agrees, `mixed` when they differ."""
    if not values:
        return None
    return values.pop() if len(values) == 1 else "mixed"


def list_returns(db: Database, *, status: str | None = None, limit: int = 200) -> list[ReturnRow]:
    """Newest first; `status` one of the return statuses."""
    if status is not None and status not in {s.value for s in ReturnStatus}:
        raise ValidationFailed(
            f"unknown return status {status!r} (one of {', '.join(s.value for s in ReturnStatus)})"
        )

    def work(session: Session) -> list[ReturnRow]:
        units = (
            select(
                ReturnLine.return_id,
                func.sum(ReturnLine.qty_authorised).label("authorised"),
                func.sum(ReturnLine.qty_received).label("received"),
            )
            .group_by(ReturnLine.return_id)
            .subquery()
        )
        refunds = (
            select(
                Refund.return_id,
                func.sum(Refund.amount).label("amount"),
                func.sum(case((Refund.status == "pending", 1), else_=0)).label("pending"),
            )
            .group_by(Refund.return_id)
            .subquery()
        )
        stmt = (
            select(
                Return.number,
                Order.number,
                Order.ship_name,
                Return.status,
                Return.reason,
                Return.resolution,
                Return.unexpected,
                Return.created_at,
                func.coalesce(units.c.authorised, 0),
                func.coalesce(units.c.received, 0),
                refunds.c.amount,
                func.coalesce(refunds.c.pending, 0) > 0,
            )
            .join(Order, Order.id == Return.order_id)
            .outerjoin(units, units.c.return_id == Return.id)
            .outerjoin(refunds, refunds.c.return_id == Return.id)
            .order_by(Return.id.desc())
            .limit(limit)
        )
        if status is not None:
            stmt = stmt.where(Return.status == status)
        return [ReturnRow(*row) for row in session.execute(stmt)]

    return read(db, work)


def return_numbers(session: Session, order_id: int) -> tuple[str, ...]:
    """The returns of an order, oldest first (show-order's `returns`)."""
    return tuple(
        session.scalars(
            select(Return.number).where(Return.order_id == order_id).order_by(Return.id)
        )
    )


def open_returns(session: Session, order_id: int) -> Sequence[Return]:
    return session.scalars(
        select(Return)
        .where(
            Return.order_id == order_id,
            Return.status.in_([s.value for s in OPEN]),
        )
        .order_by(Return.id)
    ).all()
