"""Counts at a glance: orders by status and stock totals."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.order_workflow import OrderStatus
from app.dto import Stats, StockTotals
from db.engine import Database
from db.models import Order, StockLevel
from db.uow import read


def stats(db: Database) -> Stats:
    def work(session: Session) -> Stats:
        by_status = {status.value: 0 for status in OrderStatus}
        by_status.update(
            session.execute(select(Order.status, func.count()).group_by(Order.status)).all()
        )
        on_hand, reserved = session.execute(
            select(
                func.coalesce(func.sum(StockLevel.on_hand), 0),
                func.coalesce(func.sum(StockLevel.reserved), 0),
            )
        ).one()
        return Stats(
            orders_total=sum(by_status.values()),
            orders_by_status=by_status,
            stock=StockTotals(int(on_hand), int(reserved), int(on_hand) - int(reserved)),
        )

    return read(db, work)
