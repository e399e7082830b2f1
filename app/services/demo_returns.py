"""Returns in the demo warehouse, in every state the desk and the station meet: a few
delivered orders of the history (shipped ones, or allocated ones packed and shipped
here, when the history has too few) are returned - expected, partly received,
closed with a refund pending or issued, an exchange, store credit, and a parcel that
came back without an RMA. Made once: a database that has returns gets no more.
No exchange is received here, so the demo has exactly the orders it was asked for."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from app.context import Actor
from app.domain.returns import Condition, Disposition, ReceiptItem
from app.services.pack_completion import pack_unverified
from app.services.refunds import issue_refund
from app.services.returns import authorise_return, receive_return
from app.services.shipping import ship_order
from db.engine import Database
from db.models import Order, OrderLine, Return
from db.uow import read


@dataclass(frozen=True)
class _Story:
    reason: str
    resolution: str
    received: tuple[tuple[Condition, Disposition], ...]  # one entry per unit received
    refund_issued: bool = False
    whole_line: bool = False  # authorise every shipped unit of the line (partly received)


S, OPENED, D = Condition.SELLABLE, Condition.OPENED, Condition.DAMAGED
STORIES = (
    _Story("damaged", "refund", ()),  # expected: the customer has the label
    _Story("damaged", "refund", ((D, Disposition.SCRAP),), whole_line=True),
    _Story("doesnt_fit", "refund", ((S, Disposition.RESTOCK),)),
    _Story("changed_mind", "refund", ((OPENED, Disposition.RESTOCK),), refund_issued=True),
    _Story("wrong_item", "exchange", ()),  # its replacement order comes when it arrives
    _Story("not_as_described", "credit", ((D, Disposition.VENDOR),)),
)
PARTLY_RECEIVED = 1  # the story that authorises a whole line and receives one unit
UNEXPECTED = ((D, Disposition.QUARANTINE),)  # a parcel with no RMA, opened by its slip


def add_demo_returns(db: Database, actor: Actor) -> int:
    """Return a few delivered orders; how many returns were made."""
    if read(db, lambda s: s.scalar(select(func.count()).select_from(Return))):
        return 0
    wanted = len(STORIES) + 1
    candidates = _returnable(db, ("delivered", "shipped"), wanted * 3)
    numbers = candidates[:wanted]
    if numbers:
        # The partly received return needs a line of several units: the largest one.
        biggest = max(candidates, key=lambda number: _first_line(db, number)[1])
        if biggest in numbers:
            numbers.remove(biggest)
        numbers.insert(PARTLY_RECEIVED, biggest)
        numbers = numbers[:wanted]
    for number in _returnable(db, ("allocated",), wanted - len(numbers)):
        pack_unverified(db, actor, number)
        ship_order(db, actor, number)
        numbers.append(number)
    made = 0
    for number, story in zip(numbers, STORIES, strict=False):
        sku, qty = _first_line(db, number)
        take = qty if story.whole_line else min(qty, max(len(story.received), 1))
        ret = authorise_return(db, actor, number, {sku: take}, story.reason, story.resolution)
        if story.received:
            receive_return(db, actor, ret.number, _units(sku, story.received))
        if story.refund_issued:
            issue_refund(db, actor, ret.number)
        made += 1
    if len(numbers) == wanted:
        sku, _ = _first_line(db, numbers[-1])
        receive_return(db, actor, numbers[-1], _units(sku, UNEXPECTED))
        made += 1
    return made


def _returnable(db: Database, statuses: tuple[str, ...], count: int) -> list[str]:
    """Up to `count` orders in `statuses` with every line wholly allocated, the most
    recent first."""
    if count <= 0:
        return []
    short = select(OrderLine.order_id).where(OrderLine.qty_allocated < OrderLine.qty_ordered)
    return read(
        db,
        lambda s: list(
            s.scalars(
                select(Order.number)
                .where(Order.status.in_(statuses), ~Order.id.in_(short))
                .order_by(Order.status, Order.id.desc())
                .limit(count)
            )
        ),
    )


def _first_line(db: Database, number: str) -> tuple[str, int]:
    row = read(
        db,
        lambda s: s.execute(
            select(OrderLine.sku, OrderLine.qty_shipped)
            .join(Order, Order.id == OrderLine.order_id)
            .where(Order.number == number, OrderLine.qty_shipped > 0)
            .order_by(OrderLine.qty_shipped.desc(), OrderLine.line_no)
            .limit(1)
        ).one(),
    )
    return str(row[0]), int(row[1])


def _units(sku: str, units: tuple[tuple[Condition, Disposition], ...]) -> list[ReceiptItem]:
    return [ReceiptItem(sku, 1, condition, disposition) for condition, disposition in units]
