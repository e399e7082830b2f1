"""The outbox as customer service sees it: list, preview and resend messages.

The preview renders a message that waits through the sender's own function
(app.services.email_rendering): what the desk sees is what is sent. One already
rendered shows what was stored, which is what went out.

A resend is a new message (new Message-ID, `resend_of` the original), audited on the
order, to the customer's address of today. One that was rendered is sent again as it
was; one that never was (a template error, a sender address missing at the time) is
rendered anew from its context snapshot when it is sent.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.context import Actor
from app.emails.addresses import checked_address
from app.errors import NotFound, ValidationFailed
from app.services.access import authorize
from app.services.audit import record
from app.services.email_rendering import Refusal, render_messages
from app.services.notifications import Attachment, message_id_for, queue_message
from app.services.settings import effective_settings
from db.engine import Database
from db.models import EmailAttachment, EmailOutbox, Order
from db.types import utcnow
from db.uow import read, run_in_transaction

STATUSES = ("pending", "sending", "sent", "failed")
LIST_LIMIT = 500


@dataclass(frozen=True)
class OutboxEntry:
    id: int
    order: str | None  # order number
    template: str
    to_addr: str
    subject: str  # "" until the message is rendered (the preview renders it)
    status: str
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    next_attempt_at: datetime
    last_error: str | None
    resend_of: int | None

    def to_json(self) -> dict[str, Any]:
        row = asdict(self)
        for key in ("created_at", "sent_at", "next_attempt_at"):
            row[key] = row[key].isoformat() if row[key] else None
        return row


@dataclass(frozen=True)
class MessagePreview:
    entry: OutboxEntry
    message_id: str
    sender: str  # "Name <address>"
    recipient: str
    text: str
    html: str | None
    attachments: tuple[str, ...]  # file names


def _entry(row: EmailOutbox, number: str | None) -> OutboxEntry:
    return OutboxEntry(
        id=row.id,
        order=number,
        template=row.template,
        to_addr=row.to_addr,
        subject=row.subject,
        status=row.status,
        attempts=row.attempts,
        created_at=row.created_at,
        sent_at=row.sent_at,
        next_attempt_at=row.next_attempt_at,
        last_error=row.last_error,
        resend_of=row.resend_of,
    )


def list_outbox(
    db: Database, *, status: str | None = None, order: str | None = None, limit: int = LIST_LIMIT
) -> list[OutboxEntry]:
    """Newest first; `status` one of STATUSES, `order` an order number."""
    if status is not None and status not in STATUSES:
        raise ValidationFailed(f"unknown status {status!r}: use one of {', '.join(STATUSES)}")

    def work(session: Session) -> list[OutboxEntry]:
        query = (
            select(EmailOutbox, Order.number)
            .outerjoin(Order, Order.id == EmailOutbox.order_id)
            .order_by(EmailOutbox.id.desc())
            .limit(limit)
        )
        if status:
            query = query.where(EmailOutbox.status == status)
        if order:
            query = query.where(Order.number == order)
        return [_entry(row, number) for row, number in session.execute(query)]

    return read(db, work)


def outbox_counts(db: Database) -> dict[str, int]:
    """Messages per status (every status present, zero when none)."""
    rows = read(
        db,
        lambda s: s.execute(
            select(EmailOutbox.status, func.count()).group_by(EmailOutbox.status)
        ).all(),
    )
    counts = dict.fromkeys(STATUSES, 0)
    counts.update({status: count for status, count in rows})
    return counts


def _load(session: Session, outbox_id: int) -> tuple[EmailOutbox, str | None]:
    row = session.execute(
        select(EmailOutbox, Order.number)
        .outerjoin(Order, Order.id == EmailOutbox.order_id)
        .where(EmailOutbox.id == outbox_id)
    ).first()
    if row is None:
        raise NotFound(f"no e-mail #{outbox_id} in the outbox")
    return row[0], row[1]


def preview_message(db: Database, outbox_id: int) -> MessagePreview:
    def work(session: Session) -> MessagePreview:
        row, number = _load(session, outbox_id)
        names = session.scalars(
            select(EmailAttachment.filename)
            .where(EmailAttachment.outbox_id == row.id)
            .order_by(EmailAttachment.id)
        ).all()
        entry = _entry(row, number)
        message = render_messages(session, [row], effective_settings(session))[row.id]
        if isinstance(message, Refusal):  # what the sender will fail it with
            return MessagePreview(
                entry=replace(entry, last_error=entry.last_error or message.reason),
                message_id=row.message_id,
                sender=f"{row.from_name} <{row.from_addr}>",
                recipient=f"{row.to_name} <{row.to_addr}>",
                text="",
                html=None,
                attachments=tuple(names),
            )
        return MessagePreview(
            entry=replace(entry, subject=message.subject, to_addr=message.to_addr),
            message_id=message.message_id,
            sender=f"{message.from_name} <{message.from_addr}>",
            recipient=f"{row.to_name} <{message.to_addr}>",
            text=message.text,
            html=message.html,
            attachments=tuple(names),
        )

    return read(db, work)


def resend_message(db: Database, actor: Actor, outbox_id: int) -> int:
    """Queue a copy of message `outbox_id` as a new message; its id."""

    def work(session: Session) -> int:
        authorize(session, actor, "email.resend")
        original, number = _load(session, outbox_id)
        if original.order_id is None:
            raise ValidationFailed(f"e-mail #{outbox_id} belongs to no order; nothing to resend")
        if original.status in ("pending", "sending"):
            raise ValidationFailed(
                f"e-mail #{outbox_id} has not been sent yet ({original.status}); "
                "it goes out on its own"
            )
        attachments = [
            Attachment(a.filename, a.content_type, a.data)
            for a in session.scalars(
                select(EmailAttachment).where(EmailAttachment.outbox_id == original.id)
            )
        ]
        new_id = queue_message(
            session,
            original.order_id,
            original.template,
            original.context or {},
            attachments=attachments,
            actor=actor,
        )
        if new_id is None:
            raise ValidationFailed(
                f"{number} has no valid customer e-mail address now; nothing was resent"
            )
        copy = session.get(EmailOutbox, new_id)
        assert copy is not None
        copy.resend_of = original.id
        if original.rendered_at is not None:
            # What the customer was sent, again: not a re-rendering with today's data.
            address = checked_address(copy.to_addr)
            if address is None:
                raise ValidationFailed(
                    f"{number} has no valid customer e-mail address now ({copy.to_addr!r}); "
                    "nothing was resent"
                )
            copy.to_addr = address
            copy.subject, copy.body, copy.body_html = (
                original.subject,
                original.body,
                original.body_html,
            )
            copy.from_name, copy.from_addr = original.from_name, original.from_addr
            copy.message_id = message_id_for(copy.message_id, original.from_addr)
            copy.rendered_at = utcnow()
        record(
            session,
            actor,
            "order",
            original.order_id,
            "e-mail resent",
            reason=f"{original.template.replace('_', ' ')} e-mail #{original.id} sent again "
            f"as #{new_id} to {copy.to_addr}",
            details={"outbox_id": new_id, "resend_of": original.id},
        )
        copy.next_attempt_at = utcnow()
        return new_id

    return run_in_transaction(db, work)
