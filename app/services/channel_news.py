"""Apply what a channel's later export says about orders already here.

Intake hands over each incoming order whose (channel, reference) is known, and each
order the channel closed (cancelled, or shipped entirely by the shop). The rules are
in `app.domain.channel_changes`; here they are carried out in the import's
transaction, each order row locked first, then its stock rows (the lock order of
allocation and the desk's actions). Every change is audited with the file and line it
came from; an order the export does not change is not written at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.channel_changes import (
    ChannelClosure,
    Decision,
    LineHere,
    OrderHere,
    Verdict,
    decide,
    pair_lines,
)
from app.domain.new_order import Address, NewOrder
from app.domain.order_workflow import OrderStatus
from app.services import search_index
from app.services.allocation import WAITING, allocate_in
from app.services.audit import record, transition
from app.services.order_lines import reopen_for_allocation
from db.models import Allocation, AuditEvent, Channel, Order, OrderLine, PickTask, Product

S = OrderStatus
HELD_ACTION = "held by channel news"
CHANGED_ACTION = "changed at the channel"
CANCELLED_ACTION = "cancelled at the channel"
HOLD_REASON_LIMIT = 500  # orders.hold_reason
CHUNK = 2000  # orders read and locked per statement


@dataclass
class ChannelNews:
    """What became of the known orders of an import, by order number."""

    unchanged: list[str] = field(default_factory=list)
    updated: dict[str, str] = field(default_factory=dict)  # number -> what changed
    cancelled: dict[str, str] = field(default_factory=dict)  # number -> why
    held: dict[str, str] = field(default_factory=dict)  # number -> hold reason
    not_applied: dict[str, str] = field(default_factory=dict)  # number -> why not
    refs: dict[str, str] = field(default_factory=dict)  # number -> channel reference

    def add(self, other: ChannelNews) -> None:
        self.unchanged += other.unchanged
        for mine, theirs in (
            (self.updated, other.updated),
            (self.cancelled, other.cancelled),
            (self.held, other.held),
            (self.not_applied, other.not_applied),
            (self.refs, other.refs),
        ):
            mine.update(theirs)

    def summary(self) -> str:
        """How many of the orders already here the export changed, and how."""
        text = (
            f"{len(self.unchanged)} unchanged, {len(self.updated)} updated, "
            f"{len(self.cancelled)} cancelled, {len(self.held)} held"
        )
        return text + (f", {len(self.not_applied)} not applied" if self.not_applied else "")

    def changes(self) -> list[str]:
        """One line per order the export changed, e.g. "held: SO-100003 (#1003): ..."."""
        return [
            f"{what}: {number} ({self.refs[number]}): {why}"
            for what, orders in (
                ("updated", self.updated),
                ("cancelled", self.cancelled),
                ("held", self.held),
                ("not applied", self.not_applied),
            )
            for number, why in orders.items()
        ]

    @property
    def count(self) -> int:
        return len(self.unchanged) + sum(
            map(len, (self.updated, self.cancelled, self.held, self.not_applied))
        )


def apply_channel_news(
    session: Session, actor: Actor, news: Sequence[tuple[int, NewOrder | ChannelClosure]]
) -> ChannelNews:
    """`news`: (order id, what the channel now says) for orders already here."""
    result = ChannelNews()
    by_id = dict(news)
    ids = sorted(by_id)
    for start in range(0, len(ids), CHUNK):
        _apply(session, actor, {i: by_id[i] for i in ids[start : start + CHUNK]}, result)
    return result


def apply_closures(
    session: Session, actor: Actor, closures: Sequence[ChannelClosure]
) -> ChannelNews:
    """Cancel (or hold) the orders here that their channel cancelled or finished itself;
    a closure of an order never imported is nothing to do."""
    channels = dict(session.execute(select(Channel.code, Channel.id)).all())
    wanted = {(channels[c.channel], c.external_ref): c for c in closures if c.channel in channels}
    found: list[tuple[int, NewOrder | ChannelClosure]] = [
        (order_id, closure)
        for key, order_id in order_ids(session, {ref for _, ref in wanted}).items()
        if (closure := wanted.get(key)) is not None
    ]
    return apply_channel_news(session, actor, found)


def order_ids(session: Session, refs: Iterable[str]) -> dict[tuple[int, str], int]:
    """The id of each order here, by (channel id, reference), whose reference is one
    of `refs` (in any channel)."""
    found: dict[tuple[int, str], int] = {}
    ordered = sorted(set(refs))
    for start in range(0, len(ordered), CHUNK):
        for channel_id, ref, order_id in session.execute(
            select(Order.channel_id, Order.external_ref, Order.id).where(
                Order.external_ref.in_(ordered[start : start + CHUNK])
            )
        ):
            found[channel_id, ref] = order_id
    return found


# What `decide` reads of an order and its lines: a first look at them is taken without
# locks, and only the orders the export changes are then locked and loaded whole.
_ORDER_FACTS = (
    Order.id,
    Order.number,
    Order.external_ref,
    Order.status,
    Order.held_from,
    Order.packing_station,
    Order.ship_name,
    Order.ship_company,
    Order.ship_address1,
    Order.ship_address2,
    Order.ship_city,
    Order.ship_postcode,
    Order.ship_region,
    Order.ship_country,
    Order.ship_phone,
    Order.service_level,
)
_LINE_FACTS = (
    OrderLine.order_id,
    OrderLine.sku,
    OrderLine.qty_ordered,
    OrderLine.qty_handled_elsewhere,
    OrderLine.qty_picked,
)


def _apply(
    session: Session,
    actor: Actor,
    by_id: dict[int, NewOrder | ChannelClosure],
    result: ChannelNews,
) -> None:
    """Most orders of a re-export are unchanged: they are read, compared and left alone
    (not locked, not written). The others are locked, read again and dealt with."""
    ids = sorted(by_id)
    held_for = _held_for(session, ids)
    facts: dict[int, Any] = {
        order.id: order for order in session.execute(select(*_ORDER_FACTS).where(Order.id.in_(ids)))
    }
    line_facts: dict[int, list[Any]] = defaultdict(list)
    for line in session.execute(
        select(*_LINE_FACTS)
        .where(OrderLine.order_id.in_(ids))
        .order_by(OrderLine.order_id, OrderLine.line_no)
    ):
        line_facts[line.order_id].append(line)
    news = []
    for order_id in ids:
        order, lines, incoming = facts[order_id], line_facts[order_id], by_id[order_id]
        if (
            _as_here(order, lines, incoming)
            or decide(_here(order, lines, held_for[order_id]), incoming).verdict
            is Verdict.UNCHANGED
        ):
            result.refs[order.number] = order.external_ref
            result.unchanged.append(order.number)
        else:
            news.append(order_id)
    if news:
        _apply_locked(session, actor, {i: by_id[i] for i in news}, held_for, result)


def _held_for(session: Session, ids: list[int]) -> dict[int, set[str]]:
    """Per order, the reasons channel news held it for before."""
    held_for: dict[int, set[str]] = defaultdict(set)
    for order_id, reason in session.execute(
        select(AuditEvent.entity_id, AuditEvent.reason).where(
            AuditEvent.entity == "order",
            AuditEvent.entity_id.in_(ids),
            AuditEvent.action == HELD_ACTION,
        )
    ):
        held_for[order_id].add(reason or "")
    return held_for


def _apply_locked(
    session: Session,
    actor: Actor,
    by_id: dict[int, NewOrder | ChannelClosure],
    held_for: dict[int, set[str]],
    result: ChannelNews,
) -> None:
    ids = sorted(by_id)
    orders = {
        o.id: o
        for o in session.scalars(
            select(Order).where(Order.id.in_(ids)).order_by(Order.id).with_for_update()
        )
    }
    lines: dict[int, list[OrderLine]] = defaultdict(list)
    for line in session.scalars(
        select(OrderLine).where(OrderLine.order_id.in_(ids)).order_by(OrderLine.line_no)
    ):
        lines[line.order_id].append(line)
    reallocate, updated = [], []
    for order_id in ids:
        order, incoming = orders[order_id], by_id[order_id]
        decision = decide(_here(order, lines[order_id], held_for[order_id]), incoming)
        result.refs[order.number] = order.external_ref
        again, decision = _carry_out(session, actor, order, lines[order_id], incoming, decision)
        if again:
            reallocate.append(order_id)
        if decision.verdict in (Verdict.UPDATE, Verdict.CANCEL):
            updated.append(order_id)
        _tally(result, order.number, decision)
    if updated:
        session.flush()
        search_index.refresh(session, updated)  # the desk finds them by the new details
    if reallocate:
        allocate_in(session, actor, order_ids=reallocate)


def _as_here(order: Any, lines: Sequence[Any], incoming: NewOrder | ChannelClosure) -> bool:
    """The export says to the letter what is here of the order (as it does for most
    orders of a re-export), and leaves nothing open: `decide` would find it unchanged,
    whatever state the order is in, so it need not be described to it."""
    if not isinstance(incoming, NewOrder) or incoming.hold_reasons:
        return False
    to = incoming.ship_to
    return (
        order.ship_name == to.name
        and order.ship_company == to.company
        and order.ship_address1 == to.address1
        and order.ship_address2 == to.address2
        and order.ship_city == to.city
        and order.ship_postcode == to.postcode
        and order.ship_region == to.region
        and order.ship_country == to.country
        and order.ship_phone == to.phone
        and order.service_level == incoming.service_level
        and [(x.sku, x.qty_ordered, x.qty_handled_elsewhere) for x in lines]
        == [(x.sku, x.quantity, x.handled_elsewhere) for x in incoming.lines]
    )


def _here(order: Any, lines: Sequence[Any], held_for: set[str]) -> OrderHere:
    """From an `Order` and its `OrderLine`s, or rows of `_ORDER_FACTS` and `_LINE_FACTS`."""
    status = S(order.held_from if order.status == S.ON_HOLD and order.held_from else order.status)
    return OrderHere(
        status=status,
        picking_started=any(line.qty_picked for line in lines) or bool(order.packing_station),
        ship_to=Address(
            name=order.ship_name,
            company=order.ship_company,
            address1=order.ship_address1,
            address2=order.ship_address2,
            city=order.ship_city,
            postcode=order.ship_postcode,
            region=order.ship_region,
            country=order.ship_country,
            phone=order.ship_phone,
        ),
        service_level=order.service_level,
        lines=tuple(LineHere(x.sku, x.qty_ordered, x.qty_handled_elsewhere) for x in lines),
        held_for=frozenset(held_for),
    )


def _tally(result: ChannelNews, number: str, decision: Decision) -> None:
    if decision.verdict is Verdict.UNCHANGED:
        result.unchanged.append(number)
        return
    {
        Verdict.UPDATE: result.updated,
        Verdict.CANCEL: result.cancelled,
        Verdict.HOLD: result.held,
        Verdict.TOO_LATE: result.not_applied,
    }[decision.verdict][number] = (
        ", ".join(decision.changes) if decision.verdict is Verdict.UPDATE else decision.reason
    )


def _carry_out(
    session: Session,
    actor: Actor,
    order: Order,
    lines: list[OrderLine],
    incoming: NewOrder | ChannelClosure,
    decision: Decision,
) -> tuple[bool, Decision]:
    """Do what `decision` says: whether the order waits to be allocated again, and what
    was done (an update adding an unknown SKU also holds the order)."""
    details: dict[str, object] = {"source": incoming.source, "changes": list(decision.changes)}
    if decision.verdict is Verdict.HOLD:
        _hold(session, actor, order, decision.reason, details)
    elif decision.verdict is Verdict.CANCEL:
        reopen_for_allocation(session, actor, order, decision.reason)
        if isinstance(incoming, NewOrder):
            _set_lines(session, order, lines, incoming)
        elif incoming.handled:
            for line in lines:
                line.qty_handled_elsewhere = line.qty_ordered
        transition(
            session,
            order,
            S.CANCELLED,
            actor,
            reason=decision.reason,
            action=CANCELLED_ACTION,
            details=details,
        )
    elif decision.verdict is Verdict.UPDATE and isinstance(incoming, NewOrder):
        was = order.held_from if order.status == S.ON_HOLD else order.status
        lines_changed, unknown = decision.lines_changed, []
        if lines_changed:
            reopen_for_allocation(session, actor, order, decision.reason)
            unknown = _set_lines(session, order, lines, incoming)
        _set_order(order, incoming)
        record(
            session,
            actor,
            "order",
            order.id,
            CHANGED_ACTION,
            reason=decision.reason,
            details=details,
        )
        if unknown:  # as intake holds a new order naming a SKU not in the catalogue
            reason = "; ".join(unknown)
            _hold(session, actor, order, reason, details)
            return False, replace(decision, verdict=Verdict.HOLD, reason=reason)
        again = lines_changed and was in (S.ALLOCATED, S.BACKORDERED) and order.status in WAITING
        return again, decision
    return False, decision


def _hold(
    session: Session, actor: Actor, order: Order, reason: str, details: dict[str, object]
) -> None:
    if order.status != S.ON_HOLD:
        transition(
            session, order, S.ON_HOLD, actor, reason=reason, action=HELD_ACTION, details=details
        )
        order.hold_reason = reason[:HOLD_REASON_LIMIT]
        return
    joined = f"{order.hold_reason}; {reason}" if order.hold_reason else reason
    order.hold_reason = joined[:HOLD_REASON_LIMIT]
    record(session, actor, "order", order.id, HELD_ACTION, reason=reason, details=details)


def _set_lines(session: Session, order: Order, lines: list[OrderLine], new: NewOrder) -> list[str]:
    """The order's lines as the channel now has them: paired by SKU, quantities set,
    lines gone from the export removed, new ones added. Nothing of it is reserved.
    Returns a problem per added line whose SKU is not in the catalogue."""
    pairs, removed = pair_lines(lines, new.lines)
    added = []
    for line, incoming in pairs:
        if line is not None:
            line.qty_ordered = incoming.quantity
            line.qty_handled_elsewhere = min(incoming.handled_elsewhere, incoming.quantity)
            line.unit_price = incoming.unit_price
        else:
            added.append(incoming)
    for gone in removed:
        session.execute(delete(Allocation).where(Allocation.order_line_id == gone.id))
        session.execute(delete(PickTask).where(PickTask.order_line_id == gone.id))
        session.delete(gone)
    products = dict(
        session.execute(
            select(Product.sku, Product).where(Product.sku.in_({x.sku for x in added}))
        ).all()
    )
    next_no = max((line.line_no for line in lines), default=0) + 1
    unknown = []
    for offset, incoming in enumerate(added):
        product = products.get(incoming.sku)
        if product is None:
            unknown.append(f"unknown SKU {incoming.sku} on line {next_no + offset}")
        session.add(
            OrderLine(
                order_id=order.id,
                line_no=next_no + offset,
                product_id=product.id if product else None,
                sku=incoming.sku,
                name=incoming.name or (product.name if product else incoming.sku),
                unit_price=incoming.unit_price,
                qty_ordered=incoming.quantity,
                qty_handled_elsewhere=min(incoming.handled_elsewhere, incoming.quantity),
            )
        )
    return unknown


def _set_order(order: Order, new: NewOrder) -> None:
    """Address, service level and amounts as the channel now has them."""
    to = new.ship_to
    order.ship_name, order.ship_company = to.name, to.company
    order.ship_address1, order.ship_address2 = to.address1, to.address2
    order.ship_city, order.ship_postcode, order.ship_region = to.city, to.postcode, to.region
    order.ship_country, order.ship_phone = to.country.upper(), to.phone
    order.service_level, order.priority = new.service_level, new.priority
    order.subtotal, order.shipping_total = new.subtotal, new.shipping_total
    order.tax_total, order.grand_total = new.tax_total, new.total
