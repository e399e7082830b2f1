"""What the service desk reads about one order besides the order itself: the customer's
other orders, the money taken and given back, and one timeline of everything that
happened to it (audit trail, notes, scans, print jobs, e-mails, returns), oldest first.

Each source keeps its own table; this module reads them all for one order in one
transaction and words each row as a sentence a person reads.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.dto import OrderDetail, jsonable
from app.services.orders import find_order, load_detail
from app.services.settings import site_zone
from db.engine import Database
from db.models import AuditEvent, EmailOutbox, Note, Order, PrintJob, Refund, ScanEvent, User
from db.models import Return as ReturnRow
from db.uow import read

CUSTOMER_ORDERS_SHOWN = 50  # the most recent; an agent searches the e-mail for more
_DOCUMENTS = {"label": "Label", "packing_slip": "Packing slip", "pick_list": "Pick list"}
_RETURN_ACTIONS = ("return", "refund", "exchange")


class EntryKind(StrEnum):
    AUDIT = "audit"
    NOTE = "note"
    SCAN = "scan"
    PRINT = "print"
    EMAIL = "email"
    RETURN = "return"


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime  # UTC
    kind: EntryKind
    who: str  # the user, or "" when a machine did it (a printer, the mail sender)
    station: str | None
    text: str  # "Label printed on folder"


@dataclass(frozen=True)
class CustomerOrder:
    number: str
    placed_at: datetime
    status: str
    total: Decimal
    currency: str


@dataclass(frozen=True)
class PaymentView:
    kind: str  # payment | refund | credit
    amount: Decimal
    currency: str
    status: str  # the order's payment status, or the refund's pending | issued
    at: datetime
    text: str  # "Paid 42.00 EUR (goods 30.00, shipping 7.00, tax 5.00)"


@dataclass(frozen=True)
class OrderHistory:
    zone: str  # the site's time zone (company.timezone), for showing the times
    timeline: tuple[TimelineEntry, ...]  # oldest first
    customer_orders: tuple[CustomerOrder, ...]  # newest first, this order left out
    payments: tuple[PaymentView, ...]  # the payment, then refunds oldest first

    def to_json(self) -> dict[str, Any]:
        return dict(jsonable(asdict(self)))


@dataclass(frozen=True)
class DeskOrder:
    """An order as the desk shows it: the detail and its history, read together."""

    detail: OrderDetail
    history: OrderHistory


def desk_order(db: Database, reference: str) -> DeskOrder:
    def work(session: Session) -> DeskOrder:
        order = find_order(session, reference)
        return DeskOrder(load_detail(session, order), load_history(session, order))

    return read(db, work)


def load_history(session: Session, order: Order) -> OrderHistory:
    entries = [
        *_audit_entries(session, order.id),
        *_note_entries(session, order.id),
        *_scan_entries(session, order.id),
        *_print_entries(session, order.id),
        *_email_entries(session, order.id),
    ]
    entries.sort(key=lambda entry: entry.at)  # stable: ties keep their source's order
    return OrderHistory(
        zone=site_zone(session).key,
        timeline=tuple(entries),
        customer_orders=_customer_orders(session, order),
        payments=_payments(session, order),
    )


def _words(action: str) -> str:
    return action.replace("_", " ")


def _attempts(n: int) -> str:
    return "1 attempt" if n == 1 else f"{n} attempts"


def _status(status: str) -> str:
    return _words(status).capitalize()


def _audit_entries(session: Session, order_id: int) -> list[TimelineEntry]:
    rows = session.scalars(
        select(AuditEvent)
        .where(
            AuditEvent.entity == "order",
            AuditEvent.entity_id == order_id,
            AuditEvent.action != "note",  # the note itself is on the timeline
        )
        .order_by(AuditEvent.id)
    )
    entries = []
    for event in rows:
        text = _words(event.action).capitalize()
        if event.from_status and event.to_status:
            text += f": {_status(event.from_status)} → {_status(event.to_status)}"
        elif event.to_status and event.to_status != event.action:
            text += f": {_status(event.to_status)}"
        if event.reason:
            text += f" - {event.reason}"
        kind = EntryKind.RETURN if event.action.startswith(_RETURN_ACTIONS) else EntryKind.AUDIT
        entries.append(TimelineEntry(event.occurred_at, kind, event.username, event.station, text))
    return entries


def _note_entries(session: Session, order_id: int) -> list[TimelineEntry]:
    notes = session.scalars(select(Note).where(Note.order_id == order_id).order_by(Note.id))
    return [
        TimelineEntry(n.created_at, EntryKind.NOTE, n.author, None, f"Note: {n.body}")
        for n in notes
    ]


def _scan_entries(session: Session, order_id: int) -> list[TimelineEntry]:
    rows = session.execute(
        select(ScanEvent, User.username)
        .outerjoin(User, User.id == ScanEvent.user_id)
        .where(ScanEvent.order_id == order_id)
        .order_by(ScanEvent.id)
    )
    entries = []
    for scan, username in rows:
        how = "Typed" if scan.manual else "Scanned"
        verdict = "accepted" if scan.outcome == "accepted" else "refused"
        text = f"{how} {scan.raw!r}: {verdict}"
        if scan.message:
            text += f" - {scan.message}"
        entries.append(
            TimelineEntry(scan.occurred_at, EntryKind.SCAN, username or "", scan.station, text)
        )
    return entries


def _print_entries(session: Session, order_id: int) -> list[TimelineEntry]:
    jobs = session.scalars(
        select(PrintJob).where(PrintJob.order_id == order_id).order_by(PrintJob.id)
    )
    entries = []
    for job in jobs:
        document = _DOCUMENTS.get(job.document, _words(job.document).capitalize())
        queued = f"{document} ({job.format.upper()}) queued for {job.printer}"
        entries.append(TimelineEntry(job.created_at, EntryKind.PRINT, "", job.station, queued))
        if job.status == "printed" and job.printed_at is not None:
            tries = f" after {job.attempts} attempts" if job.attempts > 1 else ""
            text = f"{document} printed on {job.printer}{tries}"
            entries.append(TimelineEntry(job.printed_at, EntryKind.PRINT, "", job.station, text))
        elif job.last_error:
            text = (
                f"{document} NOT printed on {job.printer} ({_attempts(job.attempts)}): "
                f"{job.last_error}"
            )
            entries.append(TimelineEntry(job.created_at, EntryKind.PRINT, "", job.station, text))
        elif job.status == "cancelled":
            text = f"{document} print cancelled"
            entries.append(TimelineEntry(job.created_at, EntryKind.PRINT, "", job.station, text))
    return entries


def _email_entries(session: Session, order_id: int) -> list[TimelineEntry]:
    mails = session.scalars(
        select(EmailOutbox).where(EmailOutbox.order_id == order_id).order_by(EmailOutbox.id)
    )
    entries = []
    for mail in mails:
        subject = (
            f"E-mail “{mail.subject}”" if mail.subject else f"E-mail ({_words(mail.template)})"
        )
        what = f"{subject} to {mail.to_addr}"
        again = " (a resend)" if mail.resend_of is not None else ""
        entries.append(
            TimelineEntry(
                mail.created_at,
                EntryKind.EMAIL,
                mail.created_by or "",
                None,
                f"{what} queued{again}",
            )
        )
        if mail.status == "sent" and mail.sent_at is not None:
            entries.append(TimelineEntry(mail.sent_at, EntryKind.EMAIL, "", None, f"{what} sent"))
        elif mail.status == "failed":
            why = f": {mail.last_error}" if mail.last_error else ""
            entries.append(
                TimelineEntry(
                    mail.next_attempt_at,
                    EntryKind.EMAIL,
                    "",
                    None,
                    f"{what} failed after {_attempts(mail.attempts)}{why}",
                )
            )
    return entries


def _customer_orders(session: Session, order: Order) -> tuple[CustomerOrder, ...]:
    if order.customer_id is None:
        return ()
    rows = session.execute(
        select(Order.number, Order.placed_at, Order.status, Order.grand_total, Order.currency)
        .where(Order.customer_id == order.customer_id, Order.id != order.id)
        .order_by(Order.placed_at.desc(), Order.id.desc())
        .limit(CUSTOMER_ORDERS_SHOWN)
    )
    return tuple(
        CustomerOrder(number, placed, status, total, currency)
        for number, placed, status, total, currency in rows
    )


def _money(amount: Decimal, currency: str) -> str:
    return f"{amount:,.2f} {currency}"


def _payments(session: Session, order: Order) -> tuple[PaymentView, ...]:
    amounts = [
        f"{name} {amount:,.2f}"
        for name, amount in (
            ("goods", order.subtotal),
            ("shipping", order.shipping_total),
            ("tax", order.tax_total),
        )
        if amount
    ]
    parts = ", ".join(amounts) if len(amounts) > 1 else ""  # goods alone: the total says it
    status = _words(order.payment_status)
    paid = PaymentView(
        "payment",
        order.grand_total,
        order.currency,
        order.payment_status,
        order.placed_at,
        f"{status.capitalize()}: {_money(order.grand_total, order.currency)}"
        + (f" ({parts})" if parts else ""),
    )
    refunds = session.execute(
        select(Refund, ReturnRow.number)
        .outerjoin(ReturnRow, ReturnRow.id == Refund.return_id)
        .where(Refund.order_id == order.id)
        .order_by(Refund.id)
    )
    views = [paid]
    for refund, rma in refunds:
        word = "Store credit" if refund.method == "credit" else "Refund"
        state = (
            f"issued by {refund.issued_by or 'unknown'}" if refund.status == "issued" else "pending"
        )
        fee = f", less a {refund.fee_amount:,.2f} fee" if refund.fee_amount else ""
        views.append(
            PaymentView(
                refund.method,
                refund.amount,
                refund.currency,
                refund.status,
                refund.issued_at or refund.created_at,
                f"{word} {_money(refund.amount, refund.currency)}{fee}"
                + (f" for {rma}" if rma else "")
                + f", {state}",
            )
        )
    return tuple(views)
