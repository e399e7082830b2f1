"""What has run out and who is waiting for it, as of now.

A SKU is listed when open orders wait for units of it that could not be allocated
(backorders, and the unallocated rest of partly allocated lines), or when its
stocked locations hold no available unit. The date range does not apply: this is
the state of the warehouse now.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.services.reports.period import Period, order_scope, selection
from app.services.reports.report import Chart, NoData, Report, ReportColumn
from app.services.reports.shelf_stock import available_by_sku
from db.models import Order, OrderLine

WAITING = ("backordered", "allocated", "picking", "picked", "packed", "partially_shipped")


def stock_outs(session: Session, period: Period) -> Report:
    found: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"name": "", "orders_waiting": 0, "units_short": 0, "available": 0}
    )
    short = (
        select(
            OrderLine.sku,
            func.max(OrderLine.name),
            func.count(func.distinct(OrderLine.order_id)),
            func.sum(OrderLine.qty_to_fulfil - OrderLine.qty_allocated),
        )
        .join(Order, Order.id == OrderLine.order_id)
        .where(
            Order.status.in_(WAITING),
            OrderLine.qty_allocated < OrderLine.qty_to_fulfil,
            *order_scope(period),
        )
        .group_by(OrderLine.sku)
    )
    for sku, name, orders, units in session.execute(short):
        found[sku].update(name=name, orders_waiting=orders, units_short=int(units or 0))
    for sku, (name, available) in available_by_sku(session, period).items():
        if sku in found or available <= 0:
            found[sku].update(name=name, available=available)
    if not found:
        raise NoData("nothing is out of stock and no order waits for stock")
    rows = [{"sku": sku, **values} for sku, values in found.items()]
    rows.sort(key=lambda row: (-row["units_short"], row["available"], row["sku"]))
    return Report(
        kind="stock-outs",
        title="Stock-outs and backorders by SKU (now)",
        period="now",
        columns=(
            ReportColumn("sku", "SKU", "text"),
            ReportColumn("name", "Product", "text"),
            ReportColumn("orders_waiting", "Orders waiting"),
            ReportColumn("units_short", "Units short"),
            ReportColumn("available", "Available"),
        ),
        rows=rows,
        chart=Chart("sku", ("units_short",), unit="units"),
        drill=lambda row, _series: selection(
            period,
            f"Waiting for {rows[row]['sku']}",
            statuses=WAITING,
            sku=rows[row]["sku"],
        ),
    )
