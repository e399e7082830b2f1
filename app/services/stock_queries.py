"""Stock and shipments as the back office reads them: per SKU, per location, per day.

Read-only. "Available" here is on hand less reserved over every location, the same
sum `stats` reports; what channels may sell is `availability`'s business.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.domain.order_workflow import OrderStatus
from app.services.catalogue import normalise_barcode
from app.services.orders import like_pattern
from db.engine import Database
from db.models import (
    Location,
    Order,
    OrderLine,
    Product,
    ProductBarcode,
    Shipment,
    StockLevel,
    Warehouse,
)
from db.uow import read


@dataclass(frozen=True)
class StockRow:
    """One product's stock summed over all its locations."""

    sku: str
    name: str
    on_hand: int
    reserved: int
    locations: int

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


@dataclass(frozen=True)
class StockSlot:
    """One product's stock at one location."""

    sku: str
    warehouse: str
    location: str
    kind: str
    on_hand: int
    reserved: int

    @property
    def available(self) -> int:
        return self.on_hand - self.reserved


@dataclass(frozen=True)
class ShipmentRow:
    id: int
    order_number: str
    carrier: str
    tracking_number: str | None
    status: str
    packed_at: datetime


def stock_by_sku(db: Database, search: str | None = None, *, limit: int = 500) -> list[StockRow]:
    """Every product (or those whose SKU, name or barcode matches `search`) by SKU."""

    def work(session: Session) -> list[StockRow]:
        totals = (
            select(
                StockLevel.product_id,
                func.sum(StockLevel.on_hand).label("on_hand"),
                func.sum(StockLevel.reserved).label("reserved"),
                func.count().filter(StockLevel.on_hand > 0).label("locations"),
            )
            .group_by(StockLevel.product_id)
            .subquery()
        )
        stmt = (
            select(
                Product.sku,
                Product.name,
                func.coalesce(totals.c.on_hand, 0),
                func.coalesce(totals.c.reserved, 0),
                func.coalesce(totals.c.locations, 0),
            )
            .outerjoin(totals, totals.c.product_id == Product.id)
            .order_by(Product.sku)
            .limit(limit)
        )
        if search and search.strip():
            text = search.strip()
            pattern = like_pattern(text)
            by_barcode = select(ProductBarcode.product_id).where(
                ProductBarcode.code == normalise_barcode(text)[0]
            )
            stmt = stmt.where(
                or_(
                    Product.sku.ilike(pattern, escape="\\"),
                    Product.name.ilike(pattern, escape="\\"),
                    Product.id.in_(by_barcode),
                )
            )
        return [
            StockRow(sku, name, int(on_hand), int(reserved), int(locations))
            for sku, name, on_hand, reserved, locations in session.execute(stmt)
        ]

    return read(db, work)


def stock_locations(db: Database, sku: str) -> list[StockSlot]:
    """Where `sku` lies, in walking order; empty bins it was counted in are included."""

    def work(session: Session) -> list[StockSlot]:
        rows = session.execute(
            select(
                Warehouse.code,
                Location.code,
                Location.kind,
                StockLevel.on_hand,
                StockLevel.reserved,
            )
            .join(Product, Product.id == StockLevel.product_id)
            .join(Location, Location.id == StockLevel.location_id)
            .join(Warehouse, Warehouse.id == Location.warehouse_id)
            .where(Product.sku == sku)
            .order_by(Warehouse.code, Location.pick_sequence, Location.code)
        )
        return [StockSlot(sku, *row) for row in rows]

    return read(db, work)


def location_codes(db: Database) -> list[str]:
    """The codes of all active locations, sorted."""
    return read(
        db,
        lambda s: list(
            s.scalars(
                select(Location.code).where(Location.active.is_(True)).order_by(Location.code)
            )
        ),
    )


def backordered_orders(db: Database, sku: str) -> list[str]:
    """Numbers of the backordered orders that still wait for units of `sku`."""

    def work(session: Session) -> list[str]:
        stmt = (
            select(Order.number)
            .join(OrderLine, OrderLine.order_id == Order.id)
            .where(
                Order.status == OrderStatus.BACKORDERED.value,
                OrderLine.sku == sku,
                OrderLine.qty_allocated < OrderLine.qty_to_fulfil,
            )
            .distinct()
            .order_by(Order.number)
        )
        return list(session.scalars(stmt))

    return read(db, work)


def backorder_count(db: Database, sku: str) -> int:
    """How many backordered orders still wait for units of `sku`: counted in the
    database, not listed, as a popular SKU's backlog runs to thousands."""

    def work(session: Session) -> int:
        stmt = (
            select(func.count(func.distinct(Order.id)))
            .join(OrderLine, OrderLine.order_id == Order.id)
            .where(
                Order.status == OrderStatus.BACKORDERED.value,
                OrderLine.sku == sku,
                OrderLine.qty_allocated < OrderLine.qty_to_fulfil,
            )
        )
        return int(session.scalar(stmt) or 0)

    return read(db, work)


def shipments_for_day(db: Database, day: date, tz: tzinfo | None = None) -> list[ShipmentRow]:
    """Shipments packed on `day` (midnight to midnight in `tz`, default UTC), not voided."""
    zone = tz or UTC
    start = datetime.combine(day, time(), zone).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time(), zone).astimezone(UTC)

    def work(session: Session) -> list[ShipmentRow]:
        stmt = (
            select(Shipment, Order.number)
            .join(Order, Order.id == Shipment.order_id)
            .where(
                Shipment.packed_at >= start,
                Shipment.packed_at < end,
                Shipment.status != "voided",
            )
            .order_by(Shipment.id)
        )
        return [
            ShipmentRow(s.id, number, s.carrier, s.tracking_number, s.status, s.packed_at)
            for s, number in session.execute(stmt)
        ]

    return read(db, work)
