"""Queue customer e-mails in the caller's transaction (the transactional outbox).

A service that changes an order calls `queue_message` (or `queue_messages` for many)
with the session of that change: the outbox row commits with the change or not at
all. Queueing renders nothing. It writes the template's name, the order, the
recipient and a JSON snapshot of the facts that may change before the message is
rendered, for a whole batch in one multi-row INSERT. The sender renders the message
when it sends it, through the one function the desk's preview uses too
(app.services.email_rendering).

What is snapshotted, because it may change after the change being told about:
- the recipient: the order's address (or its customer's) and the name on the order;
- for a template that lists the order (SHOWS_ORDER): its lines, total and currency,
  and the delivery address. Lines are edited, split and cancelled and an address is
  corrected after the order is received; the e-mail says what was ordered and where
  it was going when it came in;
- what the caller passes: what left in a parcel and its tracking number, a return's
  lines, a refund's amount, the ship-by date a late order missed. These are facts of
  the moment of the change.
What is read when the message is rendered, because it never changes or because the
sender's current word is the right one: the order's number, reference and when it
was placed (and its ship-by date, unless the caller snapshotted it); the channel's
brand and sender address; the company settings and time zone (a sender address
fixed while messages wait is used for them).

Addresses: a missing address, or one that cannot be an address at all (no "@" and
dotted domain, blanks), is refused here: no message, and a note on the order says
why. The full check (email_validator, some 36 us an address, a tenth of what
queueing cost) is made when the message is rendered; an address it refuses fails the
message with the reason and leaves the same note on the order.

Attachments (the return label) are stored as bytes with the message: the label is
the one the desk authorised, and a resend sends the same file.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from app.context import Actor
from app.emails.addresses import plausible_address
from db.bulk import insert_returning_ids, insert_rows
from db.models import Customer, EmailAttachment, EmailOutbox, Note, Order, OrderLine
from db.types import stored_amount, utcnow

SYSTEM_AUTHOR = "shipshape"
SHOWS_ORDER = frozenset({"order_received"})  # templates that list the order's lines


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # e.g. application/pdf
    data: bytes


@dataclass(frozen=True)
class MessageRequest:
    """One e-mail to the customer of `order_id`; `context` holds the caller's facts,
    JSON-ready (text, numbers, lists, dicts); an `order` dict adds to the order's."""

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

    Returns the outbox id (pending), or None when the customer has no address that
    could be one (a note on the order says so).
    """
    order_id = order if isinstance(order, int) else order.id
    request = MessageRequest(order_id, template, context or {}, attachments)
    return queue_messages(session, [request], actor=actor)[0]


_RECIPIENTS = (
    select(
        Order.id,
        Order.channel_id,
        Order.email,
        Customer.email.label("customer_email"),
        Order.ship_name,
        Order.ship_company,
        Order.ship_address1,
        Order.ship_address2,
        Order.ship_postcode,
        Order.ship_city,
        Order.ship_region,
        Order.ship_country,
        Order.currency,
        Order.grand_total,
    )
    .outerjoin(Customer, Customer.id == Order.customer_id)
    .where(Order.id.in_(bindparam("order_ids", expanding=True)))
)
_LINES = (
    select(OrderLine.order_id, OrderLine.sku, OrderLine.name, OrderLine.qty_ordered)
    .where(OrderLine.order_id.in_(bindparam("order_ids", expanding=True)))
    .order_by(OrderLine.order_id, OrderLine.line_no)
)


class Recipient(NamedTuple):
    """Who an order's e-mails go to, from values in hand (the `RECIPIENT` columns)."""

    channel_id: int
    email: str | None
    customer_email: str | None
    ship_name: str


# What a unit of work that has locked the order reads with the lock (as columns of its
# statement over orders) so that `queue_messages` need not read the order again.
RECIPIENT = (
    Order.channel_id,
    Order.email,
    select(Customer.email)
    .where(Customer.id == Order.customer_id)
    .scalar_subquery()
    .label("customer_email"),
    Order.ship_name,
)


def queue_messages(
    session: Session,
    requests: Sequence[MessageRequest],
    *,
    actor: Actor | None = None,
    recipients: Mapping[int, Any] | None = None,
    snapshots: Mapping[int, dict[str, Any]] | None = None,
    returning_ids: bool = True,
) -> list[int | None]:
    """`queue_message` for many at once (intake queues one per new order).

    `recipients`, by order id, are rows already read with the `RECIPIENT` columns (or
    `Recipient`s). Templates that list the order (SHOWS_ORDER) also need its
    `snapshots`, by order id (`order_snapshot` of what the caller has just written);
    without `recipients` both are read here. Without `returning_ids` the messages are
    written without reading their ids back (none is returned; they cannot carry
    attachments): cheaper, and the only way inside `db.pipeline.pipelined`, where no
    result comes back before the block ends."""
    if not requests:
        return []
    orders = recipients or {
        row.id: row
        for row in session.connection().execute(
            _RECIPIENTS, {"order_ids": list({r.order_id for r in requests})}
        )
    }
    listed = {r.order_id for r in requests if r.template in SHOWS_ORDER}
    if snapshots is None:
        if listed and recipients:
            raise ValueError(f"{', '.join(SHOWS_ORDER)} e-mails need the order's snapshot")
        snapshots = _order_snapshots(session, listed, orders) if listed else {}
    now = utcnow()
    author = actor.username if actor else SYSTEM_AUTHOR
    rows: list[dict[str, Any]] = []
    queued: list[MessageRequest] = []
    notes: list[dict[str, Any]] = []
    for request in requests:
        order = orders[request.order_id]
        address = (order.email or order.customer_email or "").strip()
        if not plausible_address(address):
            notes.append(no_address_note(request.order_id, request.template, address, actor))
            continue
        context: dict[str, Any] = snapshots.get(request.order_id, {})
        if request.context:  # the caller's facts win over the snapshot's
            context = _merged(context, json.loads(json.dumps(request.context, default=str)))
        rows.append(
            {
                "order_id": request.order_id,
                "channel_id": order.channel_id,
                "template": request.template,
                "message_id": queued_message_id(),
                "to_name": order.ship_name[:200],
                "to_addr": address,
                "subject": "",
                "body": "",
                "status": "pending",
                "attempts": 0,
                "next_attempt_at": now,
                "context": context,
                "created_by": author,
                "created_at": now,
            }
        )
        queued.append(request)
    if not returning_ids:
        if any(request.attachments for request in queued):
            raise ValueError("a message with attachments needs its id: their rows hold it")
        insert_rows(session, EmailOutbox, rows)
        insert_rows(session, Note, notes)
        return []
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


def order_snapshot(order: Mapping[Any, Any], lines: Iterable[Mapping[Any, Any]]) -> dict[str, Any]:
    """What was ordered and where it goes (see the module docstring): `order` holds the
    order's columns by name and `lines` its lines' (sku, name, qty_ordered), in order,
    as read or as just written."""
    city = f"{order['ship_postcode'] or ''} {order['ship_city'] or ''}".strip()
    parts = (order["ship_name"], order["ship_company"], order["ship_address1"],
             order["ship_address2"], city, order["ship_region"], order["ship_country"])  # fmt: skip
    listed = [{"sku": x["sku"], "name": x["name"], "qty": x["qty_ordered"]} for x in lines]
    return {
        "order": {
            "lines": listed,
            "total": str(stored_amount(order["grand_total"])),
            "currency": order["currency"],
        },
        "ship_to": [part for part in parts if part],
    }


def _order_snapshots(
    session: Session, order_ids: set[int], orders: Mapping[int, Any]
) -> dict[int, dict[str, Any]]:
    lines: dict[int, list[Mapping[Any, Any]]] = {oid: [] for oid in order_ids}
    for line in session.connection().execute(_LINES, {"order_ids": list(order_ids)}):
        lines[line.order_id].append(line._mapping)
    return {oid: order_snapshot(orders[oid]._mapping, lines[oid]) for oid in order_ids}


def _merged(snapshot: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
    merged = {**snapshot, **given}
    if "order" in snapshot and "order" in given:
        merged["order"] = {**snapshot["order"], **given["order"]}
    return merged


def queued_message_id() -> str:
    """A unique Message-ID without its domain: the sender's, added when it is rendered."""
    return f"<shipshape.{secrets.token_hex(16)}>"


def message_id_for(queued: str, sender_email: str) -> str:
    """The Message-ID on the wire: the queued one with the sender's own domain."""
    if "@" in queued:  # rendered already
        return queued
    domain = sender_email.rpartition("@")[2] or "shipshape.invalid"
    return f"{queued[:-1]}@{domain}>"


def no_address_note(
    order_id: int, template: str, email: str | None, actor: Actor | None
) -> dict[str, Any]:
    """The note on an order whose customer cannot be e-mailed, as a row for insert_rows."""
    what = template.replace("_", " ")
    why = "the customer has no e-mail address" if not email else f"{email!r} is not a valid address"
    return {
        "order_id": order_id,
        "user_id": actor.user_id if actor else None,
        "author": SYSTEM_AUTHOR,
        "body": f"No {what} e-mail sent: {why}.",
        "created_at": utcnow(),
    }
