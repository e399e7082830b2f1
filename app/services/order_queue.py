"""The supervisor's order queue: filtered, sorted, searched and paged on any history size.

Pages are keyset pages: each starts after the (sort value, id) of the last row shown,
so page 1,000 costs what page 1 costs. Line and unit counts are per-row subqueries,
evaluated for the rows of the page only (never an aggregate over every order line).
Searching goes through the search index (services.search_index).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    exists,
    func,
    literal,
    or_,
    select,
    tuple_,
)
from sqlalchemy.orm import Session

from app.domain.new_order import SERVICE_PRIORITY
from app.domain.order_query import NOT_DONE, OrderQuery, Queue, SortKey, window_range
from app.domain.search_terms import DEFAULT_NUMBER_FORMAT, read_search
from app.dto import OrderRow
from app.services import search_index
from db.engine import Database
from db.models import Carrier, Channel, Order, OrderLine, Setting, Shipment, Warehouse
from db.uow import read

_LINES = (
    select(func.count()).where(OrderLine.order_id == Order.id).correlate(Order).scalar_subquery()
)
_UNITS = (
    select(func.coalesce(func.sum(OrderLine.qty_ordered), 0))
    .where(OrderLine.order_id == Order.id)
    .correlate(Order)
    .scalar_subquery()
)
_CHANNEL_CODE = (
    select(Channel.code).where(Channel.id == Order.channel_id).correlate(Order).scalar_subquery()
)
SORT_COLUMNS: dict[SortKey, Any] = {
    SortKey.NUMBER: Order.id,  # numbers are handed out in id order
    SortKey.REFERENCE: Order.external_ref,
    SortKey.STATUS: Order.status,
    SortKey.CHANNEL: _CHANNEL_CODE,
    SortKey.SERVICE: Order.priority,
    SortKey.PLACED: Order.placed_at,
    SortKey.SHIP_BY: Order.ship_by,
    SortKey.CUSTOMER: Order.ship_name,
    SortKey.COUNTRY: Order.ship_country,
    SortKey.ITEMS: _UNITS,
    SortKey.TOTAL: Order.grand_total,
    SortKey.HOLD_REASON: Order.hold_reason,
}
NULLABLE = {SortKey.SHIP_BY, SortKey.HOLD_REASON}
PageKey = tuple[Any, int]  # (the sort column's value, id) of the last row of a page


def sort_value(row: OrderRow, key: SortKey) -> Any:
    """The value of `row` the queue is sorted by: the first half of a page key."""
    return {
        SortKey.NUMBER: row.id,
        SortKey.REFERENCE: row.external_ref,
        SortKey.STATUS: row.status,
        SortKey.CHANNEL: row.channel,
        SortKey.SERVICE: row.priority,
        SortKey.PLACED: row.placed_at,
        SortKey.SHIP_BY: row.ship_by,
        SortKey.CUSTOMER: row.customer,
        SortKey.COUNTRY: row.country,
        SortKey.ITEMS: row.units,
        SortKey.TOTAL: row.total,
        SortKey.HOLD_REASON: row.hold_reason,
    }[key]


def page(
    db: Database, query: OrderQuery, *, limit: int = 100, after: PageKey | None = None
) -> list[OrderRow]:
    """Up to `limit` rows of the queue, starting after `after` (None: the first page)."""
    return read(db, lambda session: page_in(session, query, limit=limit, after=after))


def page_in(
    session: Session, query: OrderQuery, *, limit: int = 100, after: PageKey | None = None
) -> list[OrderRow]:
    conditions = filters(session, query)
    if conditions is None:
        return []
    column = SORT_COLUMNS[query.sort]
    order = (column.desc(), Order.id.desc()) if query.descending else (column, Order.id)
    stmt = (
        select(Order, _CHANNEL_CODE, _LINES, _UNITS)
        .where(*conditions)
        .order_by(*order)
        .limit(limit)
    )
    if after is not None:
        nulls_high = session.get_bind().dialect.name == "postgresql"
        stmt = stmt.where(
            _after(column, after, query.descending, query.sort in NULLABLE, nulls_high)
        )
    return [_row(o, channel, lines, units) for o, channel, lines, units in session.execute(stmt)]


def ids_in(session: Session, query: OrderQuery, *, limit: int) -> list[int]:
    """The ids of every order in the queue (sorted as shown), at most `limit`."""
    conditions = filters(session, query)
    if conditions is None:
        return []
    return list(session.scalars(select(Order.id).where(*conditions).limit(limit)))


def filters(session: Session, query: OrderQuery) -> list[ColumnElement[bool]] | None:
    """The query's conditions; None when the search text can match nothing."""
    conditions: list[ColumnElement[bool]] = []
    if query.queue is not None:
        conditions.append(queue_condition(query.queue, datetime.now(UTC)))
    if query.hold_reason:
        conditions.append(Order.hold_reason.contains(query.hold_reason, autoescape=True))
    if query.channel:
        conditions.append(Order.channel_id == _id_of(Channel, Channel.code, query.channel))
    if query.priority is not None:
        conditions.append(Order.priority == query.priority)
    if query.service_level:
        conditions.append(Order.service_level == query.service_level)
    if query.warehouse:
        conditions.append(Order.warehouse_id == _id_of(Warehouse, Warehouse.code, query.warehouse))
    if query.carrier:
        conditions.append(
            exists().where(Shipment.order_id == Order.id, Shipment.carrier == query.carrier)
        )
    if query.country:
        conditions.append(Order.ship_country == query.country.upper())
    local_now = datetime.now(UTC).astimezone()
    for col, low, high, window in (
        (Order.ship_by, query.ship_by_from, query.ship_by_to, query.ship_by_window),
        (Order.placed_at, query.placed_from, query.placed_to, query.placed_window),
    ):
        bounds = [(low, high)]
        if window is not None:
            bounds.append(window_range(window, local_now))
        for start, end in bounds:
            if start is not None:
                conditions.append(col >= start)
            if end is not None:
                conditions.append(col < end)
    if query.text.strip():
        terms = read_search(query.text, _number_format(session))
        found = search_index.matching(session, terms)
        if found is None:
            return None
        conditions.append(found)
    return conditions


def queue_condition(queue: Queue, now: datetime) -> ColumnElement[bool]:
    if queue is Queue.LATE:
        return and_(Order.status.in_(NOT_DONE), Order.ship_by < now)
    if queue is Queue.SHIPPED_TODAY:
        return Order.id.in_(
            select(Shipment.order_id).where(Shipment.shipped_at >= start_of_local_day(now))
        )
    return Order.status == queue.value


def start_of_local_day(now: datetime) -> datetime:
    """Midnight today in this machine's time zone, as UTC."""
    local = now.astimezone()
    return datetime.combine(local.date(), time(), local.tzinfo).astimezone(UTC)


def _number_format(session: Session) -> str:
    # Read here, not through services.settings: that module imports this one's callers.
    stored = session.get(Setting, "order.number_format")
    return stored.value if stored is not None else DEFAULT_NUMBER_FORMAT


def _id_of(model: Any, code_column: Any, code: str) -> Any:
    return select(model.id).where(code_column == code).scalar_subquery()


def _after(
    column: Any, key: PageKey, descending: bool, nullable: bool, nulls_high: bool
) -> ColumnElement[bool]:
    """Rows after `key` in (column, id) order. NULLs sort highest on PostgreSQL and
    lowest on SQLite; either way both halves go in the same direction, so the
    (column, id) index is read in one sweep."""
    value, last_id = key
    forward = not descending
    nulls_ahead = nulls_high == forward

    def beyond(left: Any, right: Any) -> ColumnElement[bool]:
        condition: ColumnElement[bool] = left > right if forward else left < right
        return condition

    if value is None:
        same = and_(column.is_(None), beyond(Order.id, last_id))
        return same if nulls_ahead else or_(same, column.is_not(None))
    # Bound with the column's type: money is whole cents on SQLite, times are UTC.
    past = beyond(tuple_(column, Order.id), tuple_(literal(value, column.type), last_id))
    return or_(past, column.is_(None)) if nullable and nulls_ahead else past


def _row(o: Order, channel: str, lines: int, units: int) -> OrderRow:
    return OrderRow(
        id=o.id,
        number=o.number,
        external_ref=o.external_ref,
        channel=channel,
        status=o.status,
        priority=o.priority,
        service_level=o.service_level,
        ship_by=o.ship_by,
        placed_at=o.placed_at,
        customer=o.ship_name,
        country=o.ship_country,
        lines=lines or 0,
        units=units or 0,
        total=o.grand_total,
        currency=o.currency,
        hold_reason=o.hold_reason,
        packing_station=o.packing_station,
    )


@dataclass(frozen=True)
class FilterChoices:
    """What the queue's filter lists offer."""

    channels: list[str]
    carriers: list[str]
    warehouses: list[str]
    service_levels: list[str]


def filter_choices(db: Database) -> FilterChoices:
    def work(session: Session) -> FilterChoices:
        return FilterChoices(
            channels=list(session.scalars(select(Channel.code).order_by(Channel.code))),
            carriers=list(session.scalars(select(Carrier.code).order_by(Carrier.code))),
            warehouses=list(session.scalars(select(Warehouse.code).order_by(Warehouse.code))),
            service_levels=sorted(SERVICE_PRIORITY, key=SERVICE_PRIORITY.__getitem__),
        )

    return read(db, work)
