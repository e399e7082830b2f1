"""Queue customer e-mails in the caller's transaction (the transactional outbox).

A service that changes an order calls `queue_message` (or `queue_messages` for many)
with the session of that change: the outbox row commits with the change or not at
all, and the sender (app.services.email_sender) delivers it later. Rendering happens
here, so what the desk previews is exactly what is sent.

What cannot be sent never blocks the change:
- no or an invalid customer address: no message, a note on the order says why;
- a template error or a line break in a header (header injection): the message is
  written as failed with the reason, shown at the desk.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from app.context import Actor
from app.emails.addresses import HeaderRefused, checked_address, header_value
from app.emails.templates import RenderedEmail, RenderFailed, render
from app.services.settings import effective_settings
from db.bulk import insert_returning_ids, insert_rows
from db.models import Channel, Customer, EmailAttachment, EmailOutbox, Note, Order, OrderLine
from db.types import utcnow

SYSTEM_AUTHOR = "shipshape"
MAX_SUBJECT = 255


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # e.g. application/pdf
    data: bytes


@dataclass(frozen=True)
class MessageRequest:
    """One e-mail to the customer of `order_id`; `context` adds to the order's own."""

    order_id: int
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    attachments: Sequence[Attachment] = ()


def queue_message(
    session: Session,
    order: Order | int,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    attachments: Sequence[Attachment] = (),
    actor: Actor | None = None,
) -> int | None:
    """Write one outbox row for `order` in `session`'s transaction.

    Returns the outbox id (pending, or failed with the reason), or None when the
    customer has no valid address (a note on the order says so).
    """
    order_id = order if isinstance(order, int) else order.id
    request = MessageRequest(order_id, template, context or {}, attachments)
    return queue_messages(session, [request], actor=actor)[0]


def queue_messages(
    session: Session, requests: Sequence[MessageRequest], *, actor: Actor | None = None
) -> list[int | None]:
    """`queue_message` for many at once (intake queues one per new order)."""
    if not requests:
        return []
    site = effective_settings(session)
    orders = _order_contexts(session, {r.order_id for r in requests}, site)
    rows: list[dict[str, Any]] = []
    queued: list[MessageRequest] = []
    notes: list[dict[str, Any]] = []
    for request in requests:
        order = orders[request.order_id]
        address = checked_address(order.email)
        if address is None:
            notes.append(_no_address_note(request, order.email, actor))
            continue
        rows.append(_outbox_row(request, order, address, actor))
        queued.append(request)
    ids = insert_returning_ids(session, EmailOutbox, rows) if rows else []
    insert_rows(
        session,
        EmailAttachment,
        [
            {
                "outbox_id": outbox_id,
                "filename": a.filename,
                "content_type": a.content_type,
                "data": a.data,
            }
            for outbox_id, request in zip(ids, queued, strict=True)
            for a in request.attachments
        ],
    )
    insert_rows(session, Note, notes)
    by_request = dict(zip((id(r) for r in queued), ids, strict=True))
    return [by_request.get(id(r)) for r in requests]


_ORDER_COLUMNS = (
    Order.id,
    Order.number,
    Order.external_ref,
    Order.placed_at,
    Order.ship_by,
    Order.currency,
    Order.grand_total,
    Order.email,
    Order.ship_name,
    Order.ship_company,
    Order.ship_address1,
    Order.ship_address2,
    Order.ship_postcode,
    Order.ship_city,
    Order.ship_region,
    Order.ship_country,
    Order.channel_id,
)
_CHANNEL_COLUMNS = (
    Channel.name.label("channel_name"),
    Channel.sender_name,
    Channel.sender_email,
)


# Built once (intake and every dispatch run it); one row per order line, in line order.
_ORDERS_WITH_LINES = (
    select(
        *_ORDER_COLUMNS,
        *_CHANNEL_COLUMNS,
        Customer.email.label("customer_email"),
        OrderLine.sku,
        OrderLine.name.label("line_name"),
        OrderLine.qty_ordered,
    )
    .join(Channel, Channel.id == Order.channel_id)
    .outerjoin(Customer, Customer.id == Order.customer_id)
    .outerjoin(OrderLine, OrderLine.order_id == Order.id)
    .where(Order.id.in_(bindparam("order_ids", expanding=True)))
    .order_by(Order.id, OrderLine.line_no)
)


@dataclass(frozen=True)
class _OrderContext:
    email: str | None
    channel_id: int
    sender_name: str
    sender_email: str
    customer_name: str
    values: dict[str, Any]  # what the templates see


def _order_contexts(
    session: Session, order_ids: set[int], site: Mapping[str, str]
) -> dict[int, _OrderContext]:
    zone = ZoneInfo(site["company.timezone"] or "UTC")
    company = {
        key.removeprefix("company."): value
        for key, value in site.items()
        if key.startswith("company.")
    }
    contexts: dict[int, _OrderContext] = {}
    rows = session.execute(_ORDERS_WITH_LINES, {"order_ids": list(order_ids)})
    for order in rows:  # plain rows, not ORM objects: intake queues thousands at once
        if order.id in contexts:  # the order's next line
            contexts[order.id].values["order"]["lines"].append(_line(order))
            continue
        channel = order
        sender_name = channel.sender_name or company.get("name") or ""
        sender_email = channel.sender_email or company.get("email") or ""
        values = {
            "order": {
                "number": order.number,
                "reference": order.external_ref,
                "placed_at": _local(order.placed_at, zone),
                "ship_by": _local(order.ship_by, zone) if order.ship_by else "",
                "currency": order.currency,
                "total": f"{order.grand_total:,.2f}",
                "lines": [_line(order)] if order.sku is not None else [],
            },
            "customer": {"name": order.ship_name},
            "ship_to": [
                part
                for part in (
                    order.ship_name,
                    order.ship_company,
                    order.ship_address1,
                    order.ship_address2,
                    f"{order.ship_postcode} {order.ship_city}".strip(),
                    order.ship_region,
                    order.ship_country,
                )
                if part
            ],
            "company": company,
            "brand": {"name": sender_name, "email": sender_email, "channel": channel.channel_name},
        }
        contexts[order.id] = _OrderContext(
            email=order.email or order.customer_email,
            channel_id=order.channel_id,
            sender_name=sender_name,
            sender_email=sender_email,
            customer_name=order.ship_name,
            values=values,
        )
    return contexts


def _line(row: Any) -> dict[str, Any]:  # a row of _ORDERS_WITH_LINES
    return {"sku": row.sku, "name": row.line_name, "qty": row.qty_ordered}


def _local(moment: datetime, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).strftime("%d %b %Y %H:%M")


def message_id_for(sender_email: str) -> str:
    """A Message-ID unique to one outbox row; the domain is the sender's own."""
    domain = sender_email.rpartition("@")[2] or "shipshape.invalid"
    return f"<shipshape.{uuid.uuid4().hex}@{domain}>"


def _outbox_row(
    request: MessageRequest, order: _OrderContext, address: str, actor: Actor | None
) -> dict[str, Any]:
    row: dict[str, Any] = {
        "order_id": request.order_id,
        "channel_id": order.channel_id,
        "template": request.template,
        "message_id": message_id_for(order.sender_email),
        "from_name": order.sender_name[:200],
        "from_addr": order.sender_email[:255],
        "to_name": order.customer_name[:200],
        "to_addr": address,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": utcnow(),
        "context": json.loads(json.dumps(dict(request.context), default=str)),
        "created_by": actor.username if actor else SYSTEM_AUTHOR,
        "created_at": utcnow(),
    }
    try:
        rendered = _render_checked(request, order)
    except (RenderFailed, HeaderRefused) as exc:
        row.update(
            subject=f"({request.template.replace('_', ' ')}: not rendered)",
            body="",
            body_html=None,
            status="failed",
            last_error=str(exc),
        )
        return row
    row.update(subject=rendered.subject, body=rendered.text, body_html=rendered.html)
    return row


def _render_checked(request: MessageRequest, order: _OrderContext) -> RenderedEmail:
    if checked_address(order.sender_email) is None:
        raise RenderFailed(
            "no valid sender address: set the channel's sender e-mail or company.email"
        )
    header_value("sender name", order.sender_name)
    header_value("customer name", order.customer_name)
    rendered = render(request.template, {**order.values, **request.context})
    header_value("subject", rendered.subject)
    if len(rendered.subject) > MAX_SUBJECT:
        raise RenderFailed(f"subject longer than {MAX_SUBJECT} characters")
    return rendered


def _no_address_note(
    request: MessageRequest, email: str | None, actor: Actor | None
) -> dict[str, Any]:
    what = request.template.replace("_", " ")
    why = "the customer has no e-mail address" if not email else f"{email!r} is not a valid address"
    return {
        "order_id": request.order_id,
        "user_id": actor.user_id if actor else None,
        "author": SYSTEM_AUTHOR,
        "body": f"No {what} e-mail sent: {why}.",
        "created_at": utcnow(),
    }
