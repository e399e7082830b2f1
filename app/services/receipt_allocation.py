"""Allocation for stock that has just come in: only the waiting orders it can serve.

A receipt re-allocates in its own transaction: it walks the waiting orders that need
the products received, in allocation's priority order, a page at a time down
`ix_orders_waiting`, and stops once those products' free units are used up, so that
its cost follows the orders it serves, not the backlog. Each order reached is planned
as `allocate` plans it (partial shipment, ship-complete backorders); the orders
beyond the stop are left as they are. A ship-complete order needing more of a
received product than is free could take none of it: the walk passes it by.

Locks come in the order `allocate` takes them, so that the two cannot deadlock: the
received products' rows first (two receipts of one product take turns, the second
seeing what the first allocated), then the orders, by id, then the stock rows, by id
(`inventory.lock_levels`). Which orders to lock is found by a dry run on unlocked
rows; the plan written is made again under the locks.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import (
    BindParameter,
    Row,
    Select,
    TextualSelect,
    bindparam,
    exists,
    func,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session

from app.chunks import chunks
from app.context import Actor
from app.domain.allocation import RESERVABLE_KINDS, Need, Slot, plan_allocation
from app.services import allocation
from app.services.allocation import (
    WAITING,
    AllocationResult,
    OrderRow,
    allocate_locked,
    lock_orders,
    needed_products,
    outstanding_needs,
    stock_slots,
)
from db.engine import Database
from db.models import Channel, Location, Order, OrderLine, Product
from db.uow import run_in_transaction

FIRST_PAGE = 16  # waiting orders read by the walk's first page
PAGE_GROWTH = 4

Key = tuple[int, bool, datetime | None, datetime, int]
# id, priority, ship_by, placed_at, the order's and its channel's allow_partial
Candidate = Row[int, int, datetime | None, datetime, bool | None, bool]
CandidateQuery = Select[int, int, datetime | None, datetime, bool | None, bool]


@dataclass(frozen=True)
class Arrival:
    """Units of a product coming in at a location."""

    product_id: int
    location_id: int
    quantity: int


@dataclass
class Reached:
    """The waiting orders a receipt may serve, locked: what `serve` plans."""

    orders: dict[int, OrderRow]
    queue: list[int]  # their ids, in priority order
    products: set[int]  # the received products and every product the orders need


def reach(session: Session, arrivals: Sequence[Arrival]) -> Reached:
    """Lock the received products and the waiting orders their units can serve.

    The caller then locks the stock rows of `Reached.products` (with its own) in one
    id-ordered pass, takes the units in, and calls `serve`."""
    received = sorted({a.product_id for a in arrivals if a.quantity > 0})
    return _reach(session, received, arrivals)


def serve_waiting(db: Database, actor: Actor, product_ids: Iterable[int]) -> AllocationResult:
    """In a transaction of its own, allocate the waiting orders that the free stock of
    `product_ids` can serve (units already taken in, such as a restocked return)."""

    def work(session: Session) -> AllocationResult:
        return serve(session, actor, _reach(session, sorted(set(product_ids)), ()))

    return run_in_transaction(db, work)


def _reach(session: Session, received: list[int], arrivals: Sequence[Arrival]) -> Reached:
    if not received:
        return Reached({}, [], set())
    _lock_products(session, received)
    slots = stock_slots(session, received, lock=False)
    _add_arrivals(session, slots, arrivals)
    walked, needed = _walk(session, received, slots)
    orders: dict[int, OrderRow] = {}
    for chunk in chunks(sorted(walked)):
        orders.update(lock_orders(session, [Order.status.in_(WAITING), Order.id.in_(chunk)]))
    return Reached(orders, [i for i in walked if i in orders], needed | set(received))


def serve(session: Session, actor: Actor, reached: Reached) -> AllocationResult:
    """Allocate the reached orders, in priority order, from the stock of the products
    they need, locked here in id order: rows the caller of `reach` locked are held
    already, so this waits for none of them."""
    if not reached.queue:
        return AllocationResult()
    needs = outstanding_needs(session, reached.queue)
    slots = stock_slots(session, needed_products(needs), lock=allocation.LOCKING)
    return allocate_locked(session, actor, reached.orders, reached.queue, needs, slots)


def _lock_products(session: Session, product_ids: list[int]) -> None:
    """FOR NO KEY UPDATE: receipts of one product queue here, while order lines may
    still be inserted (their foreign key takes only a KEY SHARE lock)."""
    if allocation.LOCKING:
        session.execute(
            select(Product.id)
            .where(Product.id.in_(product_ids))
            .order_by(Product.id)
            .with_for_update(key_share=True)
        ).all()


def _add_arrivals(
    session: Session, slots: dict[int, list[Slot]], arrivals: Sequence[Arrival]
) -> None:
    """Count the arriving units into the (unlocked, dry-run) slots where they will lie."""
    places = {
        location_id: (warehouse_id, sequence)
        for location_id, warehouse_id, sequence in session.execute(
            select(Location.id, Location.warehouse_id, Location.pick_sequence).where(
                Location.id.in_({a.location_id for a in arrivals}),
                Location.kind.in_(RESERVABLE_KINDS),
                Location.active.is_(True),
            )
        )
    }
    for n, arrival in enumerate(arrivals, start=1):
        if arrival.quantity > 0 and arrival.location_id in places:
            warehouse_id, sequence = places[arrival.location_id]
            # Placed apart from a slot already at that location: the dry run only
            # needs the units and the warehouse, not which row holds them.
            slots[arrival.product_id].append(
                Slot(-n, arrival.product_id, warehouse_id, sequence, arrival.quantity)
            )


def _walk(
    session: Session, received: list[int], slots: dict[int, list[Slot]]
) -> tuple[list[int], set[int]]:
    """Dry run: the waiting orders, in priority order, up to the one that takes the
    received products' last free unit, and every product they need."""
    walked: list[int] = []
    needed: set[int] = set()
    if _most_free(slots, received) == 0:
        return walked, needed
    loaded = set(received)
    ranges = [_waiting(session, received, slots, loaded, dated=dated) for dated in (True, False)]
    for row, needs in heapq.merge(*ranges, key=lambda item: _key(item[0])):
        own, channel = row.allow_partial, row.channel_partial
        if needs:
            plan_allocation(needs, slots, allow_partial=bool(own if own is not None else channel))
            needed |= {n.product_id for n in needs}
        walked.append(row.id)
        if _most_free(slots, received) == 0:
            break
    return walked, needed - {allocation.NO_PRODUCT}


def _waiting(
    session: Session,
    received: list[int],
    slots: dict[int, list[Slot]],
    loaded: set[int],
    *,
    dated: bool,
) -> Iterator[tuple[Candidate, list[Need]]]:
    """The waiting orders with a ship-by date (or those without) that a received unit
    can go to, in priority order, with their needs, read a page at a time, each page
    PAGE_GROWTH times longer than the last; the stock of the products they need is
    read into `slots` (unlocked) as they come."""
    last: Key | None = None
    limit = FIRST_PAGE
    while True:
        query = _candidates(received, _most_free(slots, received), limit, dated=dated)
        page: Sequence[Candidate] = session.execute(_indexed(session, query)).all()
        fresh = [row for row in page if last is None or _key(row) > last]
        needs = outstanding_needs(session, [row.id for row in fresh])
        more = needed_products(needs) - loaded
        slots.update(stock_slots(session, more, lock=False))
        loaded |= more
        for row in fresh:
            yield row, needs.get(row.id, [])
            last = _key(row)
        if len(page) < limit:
            return
        limit *= PAGE_GROWTH


def _most_free(slots: dict[int, list[Slot]], products: Iterable[int]) -> int:
    """The most free units of any one of `products`."""
    return max((sum(s.available for s in slots.get(p, ())) for p in products), default=0)


def _candidates(received: list[int], most_free: int, limit: int, *, dated: bool) -> CandidateQuery:
    """The first `limit` waiting orders, by priority, with a ship-by date (or without),
    that have a line a received unit can go to: one needing at most `most_free` units,
    or any line of an order that may ship in part. The waiting statuses are written
    out, not bound, so that SQLite sees the query within ix_orders_waiting."""
    outstanding = OrderLine.qty_to_fulfil - OrderLine.qty_allocated
    may_split = func.coalesce(Order.allow_partial, Channel.allow_partial)
    line = exists().where(
        OrderLine.order_id == Order.id,
        OrderLine.product_id.in_(received),
        outstanding > 0,
        or_(outstanding <= most_free, may_split.is_(True)),
    )
    waiting: BindParameter[list[str]] = bindparam(
        "waiting", list(WAITING), expanding=True, literal_execute=True
    )
    return (
        select(
            Order.id,
            Order.priority,
            Order.ship_by,
            Order.placed_at,
            Order.allow_partial,
            Channel.allow_partial.label("channel_partial"),
        )
        .join(Channel, Channel.id == Order.channel_id)
        .where(
            Order.status.in_(waiting),
            Order.ship_by.is_not(None) if dated else Order.ship_by.is_(None),
            line,
        )
        .order_by(Order.priority, Order.ship_by, Order.placed_at, Order.id)
        .limit(limit)
    )


def _indexed(session: Session, query: CandidateQuery) -> CandidateQuery | TextualSelect:
    """On SQLite, `query` reading the orders by `INDEXED BY ix_orders_waiting`: a
    database never ANALYZEd has no statistics, and its planner would rather sort every
    waiting order found by ix_orders_status_ship_by. SQLAlchemy writes no table hints
    for SQLite, hence the text. PostgreSQL's planner has autovacuum's statistics."""
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return query
    sql = str(query.compile(bind, compile_kwargs={"literal_binds": True}))
    hinted = sql.replace("FROM orders JOIN", "FROM orders INDEXED BY ix_orders_waiting JOIN", 1)
    assert hinted != sql, "the walk's query no longer reads FROM orders JOIN"
    return text(hinted).columns(*query.selected_columns)


def _key(row: Candidate) -> Key:
    """Allocation's priority order: most urgent, the earliest ship-by (none last), the
    oldest."""
    order_id, priority, ship_by, placed_at = row[0], row[1], row[2], row[3]
    return (priority, ship_by is None, ship_by, placed_at, order_id)
