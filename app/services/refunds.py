"""Refunds of returns: what is owed follows what was received; an agent issues it.

The pending refund of a return is recomputed at every receipt from all its received
units (app.domain.returns.refund_due), less what was issued already; issuing freezes
it and names who did it.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.returns import (
    Condition,
    RefundedUnits,
    RefundTerms,
    Resolution,
    reason_codes,
    refund_due,
)
from app.errors import InvalidTransition
from app.services.access import authorize
from app.services.audit import record
from app.services.notifications import queue_message
from app.services.return_views import ReturnView, find_return, load_return
from app.services.settings import effective_settings
from db.engine import Database
from db.models import Order, OrderLine, Refund, Return, ReturnLine, ReturnReceipt
from db.types import utcnow
from db.uow import run_in_transaction


def refund_terms(session: Session) -> RefundTerms:
    site = effective_settings(session)
    return RefundTerms(
        restocking_fee_percent=Decimal(site["returns.restocking_fee_percent"] or 0),
        fee_reasons=frozenset(reason_codes(site["returns.fee_reasons"])),
        refund_shipping=site["returns.refund_shipping"] or "faulty",
        faulty_reasons=frozenset(reason_codes(site["returns.faulty_reasons"])),
    )


def update_pending_refund(session: Session, actor: Actor, ret: Return) -> Refund | None:
    """Bring the return's pending refund in line with what it received; None if owed nothing
    beyond what was issued (or the resolution is an exchange)."""
    if ret.resolution == Resolution.EXCHANGE:
        return None
    order = session.get_one(Order, ret.order_id)
    units = [
        RefundedUnits(price, qty, Condition(condition))
        for price, qty, condition in session.execute(
            select(OrderLine.unit_price, ReturnReceipt.quantity, ReturnReceipt.condition)
            .join(ReturnLine, ReturnLine.id == ReturnReceipt.return_line_id)
            .join(OrderLine, OrderLine.id == ReturnLine.order_line_id)
            .where(ReturnLine.return_id == ret.id)
        )
    ]
    shipping_elsewhere = session.scalar(
        select(Refund.id).where(
            Refund.order_id == order.id, Refund.return_id != ret.id, Refund.shipping_amount > 0
        )
    )
    due = refund_due(
        units,
        ret.reason or "",
        refund_terms(session),
        shipping_paid=order.shipping_total,
        shipping_refunded=shipping_elsewhere is not None,
    )
    refunds = session.scalars(select(Refund).where(Refund.return_id == ret.id)).all()
    issued = [r for r in refunds if r.status == "issued"]
    pending = next((r for r in refunds if r.status == "pending"), None)
    goods = due.goods - sum((r.goods_amount for r in issued), Decimal(0))
    fee = due.fee - sum((r.fee_amount for r in issued), Decimal(0))
    shipping = due.shipping - sum((r.shipping_amount for r in issued), Decimal(0))
    amount = goods - fee + shipping
    if amount <= 0:
        if pending is not None:
            session.delete(pending)
        return None
    if pending is None:
        pending = Refund(
            order_id=order.id,
            return_id=ret.id,
            currency=order.currency,
            method="credit" if ret.resolution == Resolution.CREDIT else "refund",
            status="pending",
            created_by=actor.username,
        )
        session.add(pending)
    pending.amount = amount
    pending.goods_amount = goods
    pending.fee_amount = fee
    pending.shipping_amount = shipping
    return pending


def issue_refund(db: Database, actor: Actor, reference: str) -> ReturnView:
    """Mark the return's pending refund as paid out (or credited) by `actor`."""

    def work(session: Session) -> ReturnView:
        authorize(session, actor, "refund.issue")
        ret = find_return(session, reference, for_update=True)
        pending = session.scalars(
            select(Refund)
            .where(Refund.return_id == ret.id, Refund.status == "pending")
            .with_for_update()
        ).first()
        if pending is None:
            issued = session.scalars(
                select(Refund).where(Refund.return_id == ret.id, Refund.status == "issued")
            ).first()
            if issued is not None:
                raise InvalidTransition(
                    f"{ret.number}: the refund of {issued.amount} {issued.currency} was issued "
                    f"already by {issued.issued_by}; nothing is pending"
                )
            raise InvalidTransition(
                f"{ret.number} has no refund waiting: nothing received yet that is refunded"
                if ret.resolution != Resolution.EXCHANGE
                else f"{ret.number} is an exchange; there is no refund to issue"
            )
        pending.status = "issued"
        pending.issued_by = actor.username
        pending.issued_at = utcnow()
        word = "store credit" if pending.method == "credit" else "refund"
        record(
            session,
            actor,
            "order",
            ret.order_id,
            "refund issued",
            reason=f"{ret.number}: {word} of {pending.amount} {pending.currency}",
            details={"return": ret.number, "amount": str(pending.amount)},
        )
        queue_message(
            session,
            ret.order_id,
            "refund_issued",
            {
                "return_number": ret.number,
                "refund_amount": f"{pending.amount:,.2f}",
                "refund_currency": pending.currency,
            },
            actor=actor,
        )
        return load_return(session, ret)

    return run_in_transaction(db, work)
