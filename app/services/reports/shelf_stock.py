"""Units available to promise per SKU on the pick shelves (on hand less reserved), for
the stock-out and replenishment reports."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.services.reports.period import Period
from db.models import Location, Product, StockLevel


def available_by_sku(session: Session, period: Period) -> dict[str, tuple[str, int]]:
    """SKU -> (product name, units available) of active products stocked at pick
    locations, within the report's warehouse when it names one."""
    stmt = (
        select(Product.sku, Product.name, func.sum(StockLevel.on_hand - StockLevel.reserved))
        .join(StockLevel, StockLevel.product_id == Product.id)
        .join(Location, Location.id == StockLevel.location_id)
        .where(Product.active.is_(True), Location.kind == "pick")
        .group_by(Product.sku, Product.name)
    )
    if period.warehouse_id is not None:
        stmt = stmt.where(Location.warehouse_id == period.warehouse_id)
    return {sku: (name, int(units or 0)) for sku, name, units in session.execute(stmt)}
