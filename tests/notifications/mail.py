"""Helpers for the e-mail tests: read the outbox, place orders whose mail is queued."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from db.engine import Database
from db.models import EmailOutbox, Note, Order
from db.types import utcnow
from db.uow import read, run_in_transaction


@dataclass(frozen=True)
class Row:
    id: int
    order_id: int | None
    template: str
    status: str
    attempts: int
    to_addr: str
    subject: str
    body: str
    body_html: str | None
    message_id: str
    last_error: str | None


def outbox(db: Database) -> list[Row]:
    def work(session: Session) -> list[Row]:
        return [
            Row(
                r.id,
                r.order_id,
                r.template,
                r.status,
                r.attempts,
                r.to_addr,
                r.subject,
                r.body,
                r.body_html,
                r.message_id,
                r.last_error,
            )
            for r in session.scalars(select(EmailOutbox).order_by(EmailOutbox.id))
        ]

    return read(db, work)


def notes_of(db: Database, number: str) -> list[str]:
    return read(
        db,
        lambda s: list(
            s.scalars(
                select(Note.body)
                .join(Order, Order.id == Note.order_id)
                .where(Order.number == number)
            )
        ),
    )


def make_due(db: Database) -> None:
    """Time passes: every message waiting for its back-off is due now."""
    run_in_transaction(
        db,
        lambda s: s.execute(
            update(EmailOutbox)
            .where(EmailOutbox.status == "pending")
            .values(next_attempt_at=utcnow())
        ),
    )
