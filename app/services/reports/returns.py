"""What comes back and why: returns authorised in the range, by SKU and by reason.

The return rate of a SKU is the units authorised for return in the range over the
units of that SKU on the orders shipped in the range (a rate, not a cohort: a
parcel shipped last month and returned this month counts this month).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from app.services.reports.period import Period, order_scope
from app.services.reports.report import Chart, NoData, Report, ReportColumn
from db.models import Order, OrderLine, Return, ReturnLine

NO_REASON = "(no reason given)"


def _in_range(period: Period) -> list[ColumnElement[bool]]:
    return [
        Return.created_at >= period.starts,
        Return.created_at < period.ends,
        Return.status != "cancelled",
        *order_scope(period),
    ]


def returns_by_sku(session: Session, period: Period) -> Report:
    returned = (
        select(
            OrderLine.sku,
            func.max(OrderLine.name),
            func.count(func.distinct(Return.id)),
            func.sum(ReturnLine.qty_authorised),
            func.sum(ReturnLine.qty_received),
        )
        .select_from(ReturnLine)
        .join(Return, Return.id == ReturnLine.return_id)
        .join(OrderLine, OrderLine.id == ReturnLine.order_line_id)
        .join(Order, Order.id == Return.order_id)
        .where(*_in_range(period))
        .group_by(OrderLine.sku)
    )
    found = session.execute(returned).all()
    if not found:
        raise NoData(f"nothing was returned in {period.label}")
    shipped_units = dict(
        session.execute(
            select(OrderLine.sku, func.sum(OrderLine.qty_shipped))
            .select_from(Order)
            .join(OrderLine, OrderLine.order_id == Order.id)
            .where(
                Order.shipped_at >= period.starts,
                Order.shipped_at < period.ends,
                OrderLine.sku.in_([sku for sku, *_rest in found]),
                *order_scope(period),
            )
            .group_by(OrderLine.sku)
        ).all()
    )
    rows: list[dict[str, Any]] = []
    for sku, name, returns, authorised, received in found:
        shipped = int(shipped_units.get(sku) or 0)
        rows.append(
            {
                "sku": sku,
                "name": name,
                "returns": returns,
                "units_returned": int(authorised or 0),
                "units_received": int(received or 0),
                "units_shipped": shipped,
                "return_rate_pct": round(100 * int(authorised or 0) / shipped, 1)
                if shipped
                else None,
            }
        )
    rows.sort(key=lambda row: (-row["units_returned"], row["sku"]))
    return Report(
        kind="returns",
        title="Returns by SKU",
        period=period.label,
        columns=(
            ReportColumn("sku", "SKU", "text"),
            ReportColumn("name", "Product", "text"),
            ReportColumn("returns", "Returns"),
            ReportColumn("units_returned", "Units returned"),
            ReportColumn("units_received", "Units received"),
            ReportColumn("units_shipped", "Units shipped"),
            ReportColumn("return_rate_pct", "Return rate %", "percent"),
        ),
        rows=rows,
        chart=Chart("sku", ("units_returned",), unit="units"),
        notes=("return rate = units returned / units shipped in the same range",),
    )


def returns_by_reason(session: Session, period: Period) -> Report:
    stmt = (
        select(
            Return.reason, func.count(func.distinct(Return.id)), func.sum(ReturnLine.qty_authorised)
        )
        .select_from(Return)
        .join(ReturnLine, ReturnLine.return_id == Return.id)
        .join(Order, Order.id == Return.order_id)
        .where(*_in_range(period))
        .group_by(Return.reason)
    )
    rows: list[dict[str, Any]] = [
        {"reason": reason or NO_REASON, "returns": returns, "units": int(units or 0)}
        for reason, returns, units in session.execute(stmt)
    ]
    if not rows:
        raise NoData(f"nothing was returned in {period.label}")
    rows.sort(key=lambda row: (-row["returns"], row["reason"]))
    return Report(
        kind="return-reasons",
        title="Returns by reason",
        period=period.label,
        columns=(
            ReportColumn("reason", "Reason", "text"),
            ReportColumn("returns", "Returns"),
            ReportColumn("units", "Units"),
        ),
        rows=rows,
        chart=Chart("reason", ("returns",), unit="returns"),
    )
