"""Order intake: turn channel orders into numbered orders in one transaction.

Bulk by design (one statement per table, not per order): imports and the
benchmark push tens of thousands of orders through here. Idempotent per
(channel, external_ref), also when two intakes run at once (`lock_intake`). An
order naming an unknown SKU, or tripping a risk rule, comes in on hold with the
reason, never dropped. Amounts that the money columns cannot hold are refused.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.chunks import chunks
from app.context import Actor
from app.domain.channel_changes import nothing_to_ship
from app.domain.new_order import NewLine, NewOrder
from app.domain.order_workflow import OrderStatus
from app.domain.risk import CustomerHistory, risk_reasons
from app.domain.site_settings import format_order_number
from app.errors import ValidationFailed
from app.garbage import collection_paused
from app.services import search_index
from app.services.access import authorize
from app.services.audit import audit_row
from app.services.catalogue import ensure_channel
from app.services.channel_news import ChannelNews, apply_channel_news, order_ids
from app.services.customer_updates import queue_orders_received
from app.services.numbering import take_numbers
from app.services.settings import load_risk_settings, risk_settings_with, setting_value
from db.bulk import insert_returning_ids, insert_rows
from db.engine import Database
from db.models import AuditEvent, Channel, Customer, Order, OrderLine, Product
from db.models import Sequence as NumberSequence
from db.types import CENT, MONEY_MAX, utcnow
from db.uow import run_in_transaction


@dataclass
class IntakeResult:
    created: list[str] = field(default_factory=list)  # new order numbers, in input order
    already_present: list[str] = field(default_factory=list)  # external refs known here
    held: dict[str, str] = field(default_factory=dict)  # order number -> hold reason
    # What the channel's export changed about the orders already here.
    news: ChannelNews = field(default_factory=ChannelNews)
    nothing_to_ship: list[str] = field(default_factory=list)  # new refs the shop handled


def create_orders(db: Database, actor: Actor, orders: Sequence[NewOrder]) -> IntakeResult:
    def work(session: Session) -> IntakeResult:
        authorize(session, actor, "order.import")
        return add_orders(session, actor, orders)

    return run_in_transaction(db, work)


MANUAL_CHANNELS = {"phone": "Phone orders", "b2b": "B2B orders"}


def create_manual_order(db: Database, actor: Actor, order: NewOrder) -> IntakeResult:
    """An order typed in at the desk (phone, B2B); its channel is created on first use."""
    if order.channel not in MANUAL_CHANNELS:
        raise ValidationFailed(
            f"manual orders go to {' or '.join(MANUAL_CHANNELS)}, not {order.channel!r}"
        )

    def work(session: Session) -> IntakeResult:
        authorize(session, actor, "order.create")
        lock_intake(session)
        ensure_channel(session, order.channel, "manual", MANUAL_CHANNELS[order.channel])
        # Typed at the desk: the same reference again is not a later version of it.
        return add_orders(session, actor, [order], news=False)

    return run_in_transaction(db, work)


def _address_key(order: NewOrder) -> str:
    return f"{order.ship_to.postcode}|{order.ship_to.address1}".casefold()


def lock_intake(session: Session) -> None:
    """Wait until no other intake is running; held until this transaction ends.

    The lock is the order-number counter's row, which intake takes anyway to number
    its orders; taken first, before anything is read, so that what another intake
    just committed (its orders, a channel it created) is seen. A file imported twice
    at once is then imported once: the second finds its orders already present.
    On SQLite, BEGIN IMMEDIATE already serialises every write transaction.
    """
    session.execute(
        select(NumberSequence.next_value).where(NumberSequence.name == "order").with_for_update()
    )


def _amount_refusal(amount: Decimal) -> str | None:
    if not amount.is_finite() or amount < 0:
        return "is not an amount"
    if amount > MONEY_MAX:
        return f"is more than {MONEY_MAX}"
    if amount != amount.quantize(CENT):
        return "has more than 2 decimal places"
    return None


def _amount_problems(order: NewOrder) -> list[str]:
    """Every amount intake would store, and each line's total, must fit Numeric(12, 2)."""
    lines = (x for line in order.lines for x in (line.unit_price, line.unit_price * line.quantity))
    plain = (*lines, order.shipping_total, order.tax_total, order.subtotal, order.total)
    if not any(map(_amount_refusal, plain)):  # as for most orders: nothing to describe
        return []
    amounts = [
        (f"line {i} {what}", amount)
        for i, line in enumerate(order.lines, 1)
        for what, amount in (
            ("unit price", line.unit_price),
            (f"total {line.quantity} x {line.unit_price} =", line.unit_price * line.quantity),
        )
    ]
    amounts += [
        ("shipping", order.shipping_total),
        ("tax", order.tax_total),
        ("subtotal", order.subtotal),
        ("total", order.total),
    ]
    where = order.source or f"order {order.external_ref}"
    return [
        f"{where}: {what} {amount} {refusal}"
        for what, amount in amounts
        if (refusal := _amount_refusal(amount))
    ]


@collection_paused()
def add_orders(
    session: Session,
    actor: Actor,
    orders: Sequence[NewOrder],
    *,
    notify: bool = True,
    news: bool = True,
) -> IntakeResult:
    """Create the orders not seen before; `notify` queues each customer's "order
    received" e-mail in the same transaction (demo data does not). With `news`, an
    order already here is compared with this version of it (`channel_news`)."""
    problems = [problem for order in orders for problem in _amount_problems(order)]
    if problems:
        raise ValidationFailed(f"{len(problems)} amount(s) out of range; nothing created", problems)
    lock_intake(session)
    result = IntakeResult()
    channels = dict(session.execute(select(Channel.code, Channel.id)).all())
    unknown = sorted({o.channel for o in orders} - channels.keys())
    if unknown:
        raise ValidationFailed(f"unknown channel {', '.join(unknown)}")

    present: list[tuple[int, NewOrder]] = []
    fresh = _drop_known(session, orders, channels, result, present)
    if news:
        result.news = apply_channel_news(session, actor, present)
    result.nothing_to_ship = [o.external_ref for o in fresh if nothing_to_ship(o)]
    fresh = [o for o in fresh if not nothing_to_ship(o)]
    if not fresh:
        return result
    products = _products_by_sku(session, {line.sku for o in fresh for line in o.lines})
    customers = _customer_ids(session, fresh)
    histories = _histories(session, fresh, customers)
    settings = load_risk_settings(session)
    by_channel = {
        code: risk_settings_with(settings, overrides)
        for code, overrides in session.execute(select(Channel.code, Channel.risk_overrides))
        if overrides
    }

    number_format = setting_value(session, "order.number_format")
    numbers = take_numbers(session, "order", len(fresh))
    now = utcnow()
    order_rows, holds = [], []
    for value, order in zip(numbers, fresh, strict=True):
        reasons = [
            f"unknown SKU {line.sku} on line {i}"
            for i, line in enumerate(order.lines, 1)
            if line.sku not in products
        ]
        reasons += order.hold_reasons
        reasons += risk_reasons(
            order,
            histories[order.external_ref, order.channel],
            by_channel.get(order.channel, settings),
        )
        hold = "; ".join(reasons) or None
        holds.append(hold)
        number = format_order_number(number_format, value)
        order_rows.append(_order_row(order, number, channels, customers, hold, now))

    ids = insert_returning_ids(session, Order, order_rows)
    line_rows: list[dict[str, Any]] = []
    audit_rows = []
    documents = []
    written = []
    for order_id, order, row, hold in zip(ids, fresh, order_rows, holds, strict=True):
        documents.append((order_id, search_index.order_document(row, (x.sku for x in order.lines))))
        lines = [
            _line_row(order_id, line_no, line, products.get(line.sku))
            for line_no, line in enumerate(order.lines, 1)
        ]
        line_rows += lines
        written.append((order_id, row, lines))
        audit_rows.append(
            audit_row(
                actor,
                "order",
                order_id,
                "created",
                to_status=row["status"],
                reason=hold,
                details={"channel": order.channel, "external_ref": order.external_ref},
            )
        )
        result.created.append(row["number"])
        if hold:
            result.held[row["number"]] = hold
    insert_rows(session, OrderLine, line_rows)
    insert_rows(session, AuditEvent, audit_rows)
    search_index.add_new(session, documents)
    if notify:
        queue_orders_received(session, written, actor)
    return result


def _drop_known(
    session: Session,
    orders: Sequence[NewOrder],
    channels: dict[str, int],
    result: IntakeResult,
    present: list[tuple[int, NewOrder]],
) -> list[NewOrder]:
    """The orders not seen before; those already here go to `present` with their id."""
    existing = order_ids(session, (o.external_ref for o in orders))
    fresh, seen = [], set()
    for order in orders:
        key = (channels[order.channel], order.external_ref)
        if key in existing or key in seen:
            result.already_present.append(order.external_ref)
            if key in existing and key not in seen:
                present.append((existing[key], order))
                seen.add(key)
            continue
        seen.add(key)
        fresh.append(order)
    return fresh


def _products_by_sku(session: Session, skus: set[str]) -> dict[str, tuple[int, str]]:
    found: dict[str, tuple[int, str]] = {}
    for chunk in chunks(sorted(skus)):
        rows = session.execute(
            select(Product.sku, Product.id, Product.name).where(Product.sku.in_(chunk))
        )
        found.update({sku: (pid, name) for sku, pid, name in rows})
    return found


def _customer_ids(session: Session, orders: Sequence[NewOrder]) -> dict[str, int]:
    """Customer id per lower-cased e-mail, creating the customers not seen before."""
    emails: dict[str, NewOrder] = {}
    for order in orders:
        if order.email:
            emails.setdefault(order.email.casefold(), order)
    known: dict[str, int] = {}
    for chunk in chunks(sorted(emails)):
        found = session.execute(
            select(func.lower(Customer.email), func.min(Customer.id))
            .where(func.lower(Customer.email).in_(chunk))
            .group_by(func.lower(Customer.email))
        )
        known.update(dict(found.all()))
    new = [e for e in emails if e not in known]
    if new:
        rows = [
            {
                "email": emails[e].email,
                "name": emails[e].customer_name or emails[e].ship_to.name,
                "phone": emails[e].ship_to.phone,
            }
            for e in new
        ]
        known.update(zip(new, insert_returning_ids(session, Customer, rows), strict=True))
    return known


def _histories(
    session: Session, orders: Sequence[NewOrder], customers: dict[str, int]
) -> dict[tuple[str, str], CustomerHistory]:
    """Per incoming order, what came before it: in the database and earlier in this batch."""
    since = utcnow() - timedelta(days=1)
    customer_ids = sorted(set(customers.values()))
    previous: Counter[int] = Counter()
    recent_by_customer: Counter[int] = Counter()
    for chunk in chunks(customer_ids):
        for cid, total, recent in session.execute(
            select(
                Order.customer_id,
                func.count(),
                func.count().filter(Order.placed_at >= since),
            )
            .where(Order.customer_id.in_(chunk))
            .group_by(Order.customer_id)
        ):
            if cid is not None:
                previous[cid], recent_by_customer[cid] = total, recent
    postcodes = sorted({o.ship_to.postcode for o in orders})
    recent_by_address: Counter[str] = Counter()
    for codes in chunks(postcodes):
        for postcode, address1, count in session.execute(
            select(Order.ship_postcode, Order.ship_address1, func.count())
            .where(Order.ship_postcode.in_(codes), Order.placed_at >= since)
            .group_by(Order.ship_postcode, Order.ship_address1)
        ):
            recent_by_address[f"{postcode}|{address1}".casefold()] += count

    histories = {}
    for order in orders:
        cid = customers.get(order.email.casefold()) if order.email else None
        address = _address_key(order)
        histories[order.external_ref, order.channel] = CustomerHistory(
            previous_orders=previous[cid] if cid else 0,
            orders_to_address_last_day=recent_by_address[address],
            orders_from_email_last_day=recent_by_customer[cid] if cid else 0,
        )
        if cid:
            previous[cid] += 1
        if order.placed_at >= since:
            recent_by_address[address] += 1
            if cid:
                recent_by_customer[cid] += 1
    return histories


def _line_row(
    order_id: int, line_no: int, line: NewLine, product: tuple[int, str] | None
) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "line_no": line_no,
        "product_id": product[0] if product else None,
        "sku": line.sku,
        "name": line.name or (product[1] if product else line.sku),
        "unit_price": line.unit_price,
        "qty_ordered": line.quantity,
        "qty_handled_elsewhere": line.handled_elsewhere,
    }


def _order_row(
    order: NewOrder,
    number: str,
    channels: dict[str, int],
    customers: dict[str, int],
    hold: str | None,
    now: datetime,
) -> dict[str, Any]:
    to = order.ship_to
    return {
        "number": number,
        "channel_id": channels[order.channel],
        "external_ref": order.external_ref,
        "customer_id": customers.get(order.email.casefold()) if order.email else None,
        "status": OrderStatus.ON_HOLD.value if hold else OrderStatus.NEW.value,
        "held_from": OrderStatus.NEW.value if hold else None,
        "hold_reason": hold,
        "priority": order.priority,
        "service_level": order.service_level,
        "allow_partial": order.allow_partial,
        "placed_at": order.placed_at,
        "ship_by": order.ship_by,
        "currency": order.currency,
        "payment_status": order.payment_status,
        "subtotal": order.subtotal,
        "shipping_total": order.shipping_total,
        "tax_total": order.tax_total,
        "grand_total": order.total,
        "email": order.email,
        "ship_name": to.name,
        "ship_company": to.company,
        "ship_address1": to.address1,
        "ship_address2": to.address2,
        "ship_city": to.city,
        "ship_postcode": to.postcode,
        "ship_region": to.region,
        "ship_country": to.country.upper(),
        "ship_phone": to.phone,
        "bill_country": order.bill_country,
        "created_at": now,
        "updated_at": now,
        "version": 1,
    }
