"""The sender: drains the e-mail outbox through a transport (SMTP or a folder).

A pass claims a batch of due rows (status `pending` and due, or `sending` with an
expired lease: a sender that died), marks them `sending` with a lease and commits,
then sends each and records the verdict in its own small transaction:
- accepted: `sent`;
- 4xx, a refused connection, a timeout: `pending` again, due after an exponential
  back-off; a message refused with 4xx `email.max_attempts` times fails;
- 5xx: `failed` with the server's reply, shown at the desk, never retried.
While the server cannot be reached, messages wait (pending) and are never failed.

Claims: on PostgreSQL `FOR UPDATE SKIP LOCKED`, so concurrent senders take disjoint
rows; on SQLite the write transaction (BEGIN IMMEDIATE) serialises claims and the
lease keeps a second process off a claimed row. A message is claimed only when no
earlier message of the same order is still waiting, so a customer reads "shipped"
before "delivered".

A message is rendered when it is first claimed, in the claim's transaction
(app.services.email_rendering, the function the desk's preview uses), and what was
rendered is kept on the row. One that cannot be rendered (a template error, no valid
sender, header injection, an address email_validator refuses) is failed there with
the reason; a refused address also leaves a note on the order.

A crash between the server's "accepted" and the row's "sent" leaves the row
`sending`; after the lease it is sent again with the same Message-ID and Date. The
folder transport recognises the Message-ID and does not write it twice; an SMTP
server cannot be asked, so there the customer may get a second copy with the same
Message-ID (mail clients that de-duplicate by Message-ID show one). The row records
that the attempt was interrupted.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, exists, or_, select, update
from sqlalchemy.orm import Session, aliased

from app.context import Actor
from app.emails.message import AttachmentData, OutgoingMessage, build_message
from app.emails.transport import (
    FolderConfig,
    PermanentRefusal,
    SmtpConfig,
    TemporaryRefusal,
    Transport,
    TransportDown,
    mail_config,
    open_transport,
)
from app.services.customer_updates import queue_delay_notices
from app.services.email_rendering import Refusal, RenderedMessage, render_messages
from app.services.notifications import no_address_note
from app.services.settings import effective_settings
from db.bulk import insert_rows
from db.engine import Database
from db.models import EmailAttachment, EmailOutbox, Note
from db.types import utcnow
from db.uow import read, run_in_transaction

INTERRUPTED = "an earlier attempt was interrupted before its result was recorded"


@dataclass(frozen=True)
class SenderPolicy:
    batch: int = 20
    lease: timedelta = timedelta(minutes=5)
    retry_base: timedelta = timedelta(seconds=30)
    retry_cap: timedelta = timedelta(hours=1)


@dataclass
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    server_down: str | None = None  # why nothing could be sent, if so
    failures: list[str] = field(default_factory=list)  # "#id to addr: reason"


def back_off(attempts: int, policy: SenderPolicy) -> timedelta:
    """Exponential: base, 2x base, 4x base ... up to the cap, with +-20 % jitter."""
    doublings = min(max(attempts - 1, 0), 30)
    step: timedelta = min(policy.retry_base * (1 << doublings), policy.retry_cap)
    return step * random.uniform(0.8, 1.2)


def send_pass(
    db: Database, actor: Actor, *, worker: str, settings: Mapping[str, str] | None = None
) -> SendReport:
    """One pass of the sender as the CLI and the desk run it: queue the delay notices
    that fell due, then send everything due (`settings` when the caller has read them)."""
    run_in_transaction(db, lambda s: queue_delay_notices(s, actor))
    return send_due(db, worker=worker, settings=settings)


def send_due(
    db: Database,
    *,
    worker: str,
    policy: SenderPolicy = SenderPolicy(),
    config: SmtpConfig | FolderConfig | None = None,
    settings: Mapping[str, str] | None = None,
    transport_factory: Callable[[SmtpConfig | FolderConfig], Transport] = open_transport,
) -> SendReport:
    """Send every message due now, batch by batch; the report says what happened.
    The site's settings (transport, retries, what the templates show) are read once."""
    site = settings if settings is not None else read(db, effective_settings)
    config = config or mail_config(site)
    max_attempts = int(site.get("email.max_attempts") or 10)
    report = SendReport()
    while True:
        claim = run_in_transaction(db, lambda s: claim_due(s, worker, policy, site))
        report.failed += len(claim.refused)
        report.failures.extend(claim.refused)
        if not claim.messages:
            if claim.refused:
                continue  # the batch failed to render; the next may not
            return report
        _send_batch(
            db, claim.messages, worker, policy, max_attempts, config, transport_factory, report
        )
        if report.server_down:
            return report


def _send_batch(
    db: Database,
    claimed: list[OutgoingMessage],
    worker: str,
    policy: SenderPolicy,
    max_attempts: int,
    config: SmtpConfig | FolderConfig,
    transport_factory: Callable[[SmtpConfig | FolderConfig], Transport],
    report: SendReport,
) -> None:
    pending = list(claimed)
    try:
        with transport_factory(config) as transport:
            while pending:
                message = pending[0]
                _send_one(db, transport, message, worker, policy, max_attempts, report)
                pending.pop(0)
    except TransportDown as exc:
        report.server_down = str(exc)
        for message in pending:  # not refused: they wait for the server, never fail
            _release(db, message, worker, str(exc), policy)
            report.retrying += 1


def _send_one(
    db: Database,
    transport: Transport,
    message: OutgoingMessage,
    worker: str,
    policy: SenderPolicy,
    max_attempts: int,
    report: SendReport,
) -> None:
    if message.interrupted and transport.already_delivered(message.message_id):
        _finish(db, message, worker, "sent", INTERRUPTED + "; it had been delivered")
        report.sent += 1
        return
    try:
        mail = build_message(message)
    except ValueError as exc:
        _finish(db, message, worker, "failed", f"cannot build the message: {exc}")
        report.failed += 1
        report.failures.append(f"#{message.id} to {message.to_addr}: {exc}")
        return
    try:
        transport.send(mail, sender=message.from_addr, recipient=message.to_addr)
    except PermanentRefusal as exc:
        _finish(db, message, worker, "failed", f"refused by the server: {exc}")
        report.failed += 1
        report.failures.append(f"#{message.id} to {message.to_addr}: {exc}")
        return
    except TemporaryRefusal as exc:
        if message.attempts >= max_attempts:
            reason = f"gave up after {message.attempts} attempts; last reply: {exc}"
            _finish(db, message, worker, "failed", reason)
            report.failed += 1
            report.failures.append(f"#{message.id} to {message.to_addr}: {reason}")
        else:
            _release(db, message, worker, f"temporarily refused: {exc}", policy)
            report.retrying += 1
        return
    note = INTERRUPTED + "; sent again with the same Message-ID" if message.interrupted else None
    _finish(db, message, worker, "sent", note)
    report.sent += 1


_EARLIER = aliased(EmailOutbox)


@dataclass(frozen=True)
class Claim:
    messages: list[OutgoingMessage]  # rendered, leased to the worker
    refused: list[str]  # "#id to addr: reason" of those failed at rendering


def claim_due(
    session: Session, worker: str, policy: SenderPolicy, settings: Mapping[str, str]
) -> Claim:
    """Take up to `policy.batch` due rows for `worker`, rendered (see the module
    docstring)."""
    now = utcnow()
    outbox = EmailOutbox
    due = or_(
        and_(outbox.status == "pending", outbox.next_attempt_at <= now),
        and_(outbox.status == "sending", outbox.lease_until < now),
    )
    earlier_waiting = exists().where(
        _EARLIER.order_id == outbox.order_id,
        _EARLIER.id < outbox.id,
        _EARLIER.status.in_(("pending", "sending")),
    )
    rows = (
        session.execute(
            select(outbox)
            .where(due, ~earlier_waiting)
            .order_by(outbox.id)
            .limit(policy.batch)
            .with_for_update(skip_locked=True, of=outbox)
        )
        .scalars()
        .all()
    )
    rendered = render_messages(session, rows, settings)
    claimed = []
    refused: list[str] = []
    notes: list[dict[str, object]] = []
    for row in rows:
        message = rendered[row.id]
        if isinstance(message, Refusal):
            row.status, row.last_error, row.claimed_by = "failed", message.reason, worker
            row.attempts += 1  # the desk and the timeline: "failed after 1 attempt"
            refused.append(f"#{row.id} to {row.to_addr}: {message.reason}")
            if message.bad_address and row.order_id is not None:
                notes.append(no_address_note(row.order_id, row.template, row.to_addr, None))
            continue
        if row.rendered_at is None:
            _keep(row, message, now)
        interrupted = row.status == "sending"
        row.status = "sending"
        row.lease_until = now + policy.lease
        row.claimed_by = worker
        row.attempts += 1
        if interrupted:
            row.last_error = INTERRUPTED
        claimed.append(_outgoing(row, interrupted))
    insert_rows(session, Note, notes)
    if claimed:
        attachments = session.execute(
            select(EmailAttachment)
            .where(EmailAttachment.outbox_id.in_([m.id for m in claimed]))
            .order_by(EmailAttachment.id)
        ).scalars()
        by_message: dict[int, list[AttachmentData]] = {}
        for a in attachments:
            by_message.setdefault(a.outbox_id, []).append(
                AttachmentData(a.filename, a.content_type, a.data)
            )
        claimed = [_with_attachments(m, by_message.get(m.id, [])) for m in claimed]
    return Claim(claimed, refused)


def _keep(row: EmailOutbox, message: RenderedMessage, now: datetime) -> None:
    """Store what was rendered: every later attempt sends exactly this."""
    row.message_id, row.from_name, row.from_addr = (
        message.message_id,
        message.from_name,
        message.from_addr,
    )
    row.to_addr, row.subject, row.body, row.body_html = (
        message.to_addr,
        message.subject,
        message.text,
        message.html,
    )
    row.rendered_at = now


def _outgoing(row: EmailOutbox, interrupted: bool) -> OutgoingMessage:
    return OutgoingMessage(
        id=row.id,
        message_id=row.message_id,
        from_name=row.from_name,
        from_addr=row.from_addr,
        to_name=row.to_name,
        to_addr=row.to_addr,
        subject=row.subject,
        text=row.body,
        html=row.body_html,
        created_at=row.created_at,
        attempts=row.attempts,
        interrupted=interrupted,
    )


def _with_attachments(
    message: OutgoingMessage, attachments: list[AttachmentData]
) -> OutgoingMessage:
    if not attachments:
        return message
    return replace(message, attachments=tuple(attachments))


def _mine(message: OutgoingMessage, worker: str) -> list[ColumnElement[bool]]:
    """The row is still ours: claimed by this worker and not taken over since."""
    return [
        EmailOutbox.id == message.id,
        EmailOutbox.status == "sending",
        EmailOutbox.claimed_by == worker,
    ]


def _finish(
    db: Database, message: OutgoingMessage, worker: str, status: str, note: str | None
) -> None:
    now = utcnow()
    values: dict[str, object] = {"status": status, "lease_until": None, "last_error": note}
    if status == "sent":
        values["sent_at"] = now
    run_in_transaction(
        db, lambda s: s.execute(update(EmailOutbox).where(*_mine(message, worker)).values(values))
    )


def _release(
    db: Database, message: OutgoingMessage, worker: str, reason: str, policy: SenderPolicy
) -> None:
    due: datetime = utcnow() + back_off(message.attempts, policy)
    run_in_transaction(
        db,
        lambda s: s.execute(
            update(EmailOutbox)
            .where(*_mine(message, worker))
            .values(status="pending", lease_until=None, next_attempt_at=due, last_error=reason)
        ),
    )
