"""The orders behind a bar of the dashboard, by the same rules the bar was counted by."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.orm import Session

from app.domain.order_query import OrderQuery, Queue
from app.services.reports.order_events import MILESTONE_AT, late_condition
from app.services.reports.report import OrderSelection
from db.engine import Database
from db.models import Channel, Order, OrderLine, Warehouse
from db.uow import read

DRILL_LIMIT = 1000  # a supervisor reads a page of orders, not a month of them


def selection_conditions(selection: OrderSelection) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if selection.placed:
        conditions += [
            Order.placed_at >= selection.placed[0],
            Order.placed_at < selection.placed[1],
        ]
    if selection.reached:
        status, starts, ends = selection.reached
        conditions += [MILESTONE_AT[status] >= starts, MILESTONE_AT[status] < ends]
    if selection.late_due:
        conditions += [
            Order.ship_by >= selection.late_due[0],
            Order.ship_by < selection.late_due[1],
            late_condition(selection.late_due[2]),
        ]
    if selection.statuses:
        conditions.append(Order.status.in_(selection.statuses))
    if selection.sku:
        conditions.append(
            exists().where(
                OrderLine.order_id == Order.id,
                OrderLine.sku == selection.sku,
                OrderLine.qty_allocated < OrderLine.qty_to_fulfil,
            )
        )
    if selection.channel_id is not None:
        conditions.append(Order.channel_id == selection.channel_id)
    if selection.warehouse_id is not None:
        conditions.append(Order.warehouse_id == selection.warehouse_id)
    return conditions


@dataclass(frozen=True)
class DrillRow:
    number: str
    status: str
    channel: str
    placed_at: datetime
    ship_by: datetime | None


def drill_orders(
    db: Database, selection: OrderSelection, limit: int = DRILL_LIMIT
) -> list[DrillRow]:
    """The matching orders, oldest first, at most `limit`."""

    def work(session: Session) -> list[DrillRow]:
        stmt = (
            select(Order.number, Order.status, Channel.code, Order.placed_at, Order.ship_by)
            .join(Channel, Channel.id == Order.channel_id)
            .where(*selection_conditions(selection))
            .order_by(Order.placed_at, Order.id)
            .limit(limit)
        )
        return [DrillRow(*row) for row in session.execute(stmt)]

    return read(db, work)


def filter_choices(db: Database) -> tuple[list[str], list[str]]:
    """The warehouse and channel codes a report can be narrowed to."""

    def work(session: Session) -> tuple[list[str], list[str]]:
        return (
            list(session.scalars(select(Warehouse.code).order_by(Warehouse.code))),
            list(session.scalars(select(Channel.code).order_by(Channel.code))),
        )

    return read(db, work)


def queue_query(selection: OrderSelection) -> OrderQuery | None:
    """The Orders queue's query for the same orders, when the queue's filters can say it
    exactly (placed in a window, one status, within a channel or warehouse); None for
    selections only the list under the charts can show (shipped on a day, late)."""
    if selection.reached or selection.late_due or selection.sku:
        return None
    if len(selection.statuses) > 1:
        return None
    query = OrderQuery(channel=selection.channel, warehouse=selection.warehouse)
    if selection.placed:
        query = query.with_changes(placed_from=selection.placed[0], placed_to=selection.placed[1])
    if selection.statuses:
        query = query.with_changes(queue=Queue(selection.statuses[0]))
    return query
