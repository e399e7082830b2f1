"""Render outbox messages: the one function the sender and the desk's preview both use,
so what the desk previews is what is sent.

A message is rendered from its row (template, recipient, the snapshot taken when it
was queued: see app.services.notifications for what it holds and why) and from what
is read now: the order's number, reference and time placed, the channel's brand and
sender, the company settings and time zone. The order's ship-by date is today's
unless the snapshot has it (the delay notice keeps the one it missed). What the
snapshot does not hold of a changeable fact (the lines of a template that is not in
SHOWS_ORDER) is not there: StrictUndefined fails the message, naming it.

The sender renders a message when it first claims it and keeps the result on the
row (`rendered_at`), so a retry, a crash recovery and a resend send the same bytes;
a rendered row is never rendered again. What cannot be rendered (a template error,
no valid sender address, a line break in a header, an address email_validator
refuses) comes back as a Refusal with the reason: the sender fails that message, the
preview shows the reason, and the order's change, committed long before, stands.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from app.emails.addresses import HeaderRefused, checked_address, header_value
from app.emails.templates import RenderFailed, render
from app.services.notifications import message_id_for
from db.models import Channel, EmailOutbox, Order

MAX_SUBJECT = 255


@dataclass(frozen=True)
class RenderedMessage:
    """What goes on the wire for one outbox row, as stored once it is rendered."""

    message_id: str
    from_name: str
    from_addr: str
    to_addr: str
    subject: str
    text: str
    html: str | None


@dataclass(frozen=True)
class Refusal:
    """Why a message cannot be sent; `bad_address` when the recipient is the reason (the
    order then gets a note, as when no address could be queued)."""

    reason: str
    bad_address: bool = False


# Today's facts of the orders and channels of a batch of unrendered rows: one statement.
_FACTS = (
    select(
        EmailOutbox.id,
        Order.number,
        Order.external_ref,
        Order.placed_at,
        Order.ship_by,
        Channel.name.label("channel_name"),
        Channel.sender_name,
        Channel.sender_email,
    )
    .join(Order, Order.id == EmailOutbox.order_id)
    .outerjoin(Channel, Channel.id == EmailOutbox.channel_id)
    .where(EmailOutbox.id.in_(bindparam("ids", expanding=True)))
)


def render_messages(
    session: Session, rows: Sequence[EmailOutbox], settings: Mapping[str, str]
) -> dict[int, RenderedMessage | Refusal]:
    """Each row's message by row id: the stored one once rendered, else rendered now."""
    results: dict[int, RenderedMessage | Refusal] = {
        row.id: _stored(row) for row in rows if row.rendered_at is not None
    }
    waiting = [row for row in rows if row.rendered_at is None]
    if not waiting:
        return results
    facts = {f.id: f for f in session.execute(_FACTS, {"ids": [row.id for row in waiting]})}
    zone = ZoneInfo(settings.get("company.timezone") or "UTC")
    company = {
        key.removeprefix("company."): value
        for key, value in settings.items()
        if key.startswith("company.")
    }
    for row in waiting:
        fact = facts.get(row.id)
        if fact is None:
            results[row.id] = Refusal("the e-mail belongs to no order")
            continue
        to_addr = checked_address(row.to_addr)
        if to_addr is None:
            results[row.id] = Refusal(f"{row.to_addr!r} is not a valid address", bad_address=True)
            continue
        try:
            results[row.id] = _render(row, to_addr, fact, zone, company)
        except (RenderFailed, HeaderRefused) as exc:
            results[row.id] = Refusal(str(exc))
        except (ValueError, ArithmeticError, TypeError) as exc:  # a snapshot that is not
            # what this version writes: it fails this message, never the whole outbox
            results[row.id] = Refusal(f"the message's context cannot be read: {exc}")
    return results


def _stored(row: EmailOutbox) -> RenderedMessage:
    return RenderedMessage(
        message_id=row.message_id,
        from_name=row.from_name,
        from_addr=row.from_addr,
        to_addr=row.to_addr,
        subject=row.subject,
        text=row.body,
        html=row.body_html,
    )


def _render(
    row: EmailOutbox, to_addr: str, fact: Any, zone: ZoneInfo, company: dict[str, str]
) -> RenderedMessage:
    sender_name = fact.sender_name or company.get("name") or ""
    sender_email = fact.sender_email or company.get("email") or ""
    if checked_address(sender_email) is None:
        raise RenderFailed(
            "no valid sender address: set the channel's sender e-mail or company.email"
        )
    header_value("sender name", sender_name)
    header_value("customer name", row.to_name)
    snapshot = dict(row.context or {})
    taken = snapshot.pop("order", {})
    order: dict[str, Any] = {
        "number": fact.number,
        "reference": fact.external_ref,
        "placed_at": _local(fact.placed_at, zone),
        "ship_by": _local(fact.ship_by, zone) if fact.ship_by else "",
        **taken,  # as snapshotted: raw facts, shown below as the templates show them
    }
    if "total" in taken:
        order["total"] = f"{Decimal(taken['total']):,.2f}"
    if "ship_by" in taken:
        order["ship_by"] = _local(datetime.fromisoformat(taken["ship_by"]), zone)
    values = {
        "order": order,
        "customer": {"name": row.to_name},
        "company": company,
        "brand": {"name": sender_name, "email": sender_email, "channel": fact.channel_name},
        **snapshot,
    }
    rendered = render(row.template, values)
    header_value("subject", rendered.subject)
    if len(rendered.subject) > MAX_SUBJECT:
        raise RenderFailed(f"subject longer than {MAX_SUBJECT} characters")
    return RenderedMessage(
        message_id=message_id_for(row.message_id, sender_email),
        from_name=sender_name[:200],
        from_addr=sender_email[:255],
        to_addr=to_addr,
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
    )


def _local(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%d %b %Y %H:%M")
