"""The facts a demo load reads once and every chunk shares: the products with their
pick bins, the boxes, channels, users, numbering settings and the moment it runs."""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services.demo_catalogue import sold_out
from app.services.settings import setting_value
from db.models import (
    BoxType,
    Channel,
    Location,
    Product,
    ProductBarcode,
    StockLevel,
    User,
    Warehouse,
)


@dataclass(frozen=True)
class Stocked:
    """A product with its one pick bin."""

    id: int
    sku: str
    name: str
    cents: int
    weight_g: int
    volume: int  # mm3 of one unit
    gtin: str
    level_id: int
    location_id: int
    bin: str


@dataclass(frozen=True)
class Box:
    code: str
    tare_g: int
    max_g: int
    volume: int


@dataclass
class Site:
    """What every chunk needs that does not change during a load."""

    seed: int
    total: int
    now: datetime  # naive UTC
    span: timedelta
    sqlite: bool
    channels: dict[str, int]
    products: list[Stocked]
    in_stock: list[int]  # indexes into products
    out_of_stock: list[int]
    users: dict[str, int]
    boxes: list[Box]
    number_format: str
    gs1_prefix: str
    sscc_extension: int
    warehouse_id: int
    fresh: bool = False  # a first morning: orders of the last day and a half, none handled
    # Customer id by customer number, 0 while unknown: an array, as a million orders
    # have 400,000 customers (a dict of them would weigh 40 MB).
    customer_ids: array[int] = field(default_factory=lambda: array("q"))


def load_site(
    session: Session, seed: int, total: int, now: datetime, *, fresh: bool = False
) -> Site:
    """The run's fixed facts, read once: channels, products with their bins, users.
    `fresh`: the orders are a first morning's, for intake and allocation to handle."""
    products = [
        Stocked(
            pid,
            sku,
            name,
            int((price or Decimal("9.99")) * 100),
            weight or 100,
            (length or 100) * (width or 100) * (height or 50),
            gtin or sku,
            level,
            location,
            code,
        )
        for pid, sku, name, price, weight, length, width, height, gtin, level, location, code in (
            session.execute(
                select(
                    Product.id,
                    Product.sku,
                    Product.name,
                    Product.price,
                    Product.weight_g,
                    Product.length_mm,
                    Product.width_mm,
                    Product.height_mm,
                    select(ProductBarcode.code)
                    .where(ProductBarcode.product_id == Product.id)
                    .order_by(ProductBarcode.id)
                    .limit(1)
                    .scalar_subquery(),
                    StockLevel.id,
                    Location.id,
                    Location.code,
                )
                .join(StockLevel, StockLevel.product_id == Product.id)
                .join(Location, Location.id == StockLevel.location_id)
                .where(Location.kind == "pick", Product.active)
                .order_by(Product.id, Location.pick_sequence, StockLevel.id)
            )
        )
    ]
    unique = list({p.id: p for p in reversed(products)}.values())[::-1]  # first bin each
    out = [i for i in range(len(unique)) if sold_out(i + 1)]
    out_set = set(out)
    boxes = [
        Box(code, tare, max_g or 30_000, length * width * height)
        for code, tare, max_g, length, width, height in session.execute(
            select(
                BoxType.code,
                BoxType.tare_g,
                BoxType.max_weight_g,
                BoxType.length_mm,
                BoxType.width_mm,
                BoxType.height_mm,
            )
            .where(BoxType.active)
            .order_by(BoxType.length_mm * BoxType.width_mm * BoxType.height_mm)
        )
    ]
    days = 1.5 if fresh else min(730.0, max(4.0, total / 60))
    return Site(
        seed=seed,
        total=total,
        now=now,
        span=timedelta(days=days),
        fresh=fresh,
        sqlite=session.get_bind().dialect.name == "sqlite",
        channels=dict(session.execute(select(Channel.code, Channel.id)).all()),
        products=unique,
        in_stock=[i for i in range(len(unique)) if i not in out_set],
        out_of_stock=out,
        users=dict(session.execute(select(User.username, User.id)).all()),
        boxes=boxes,
        number_format=setting_value(session, "order.number_format"),
        gs1_prefix=setting_value(session, "gs1.company_prefix"),
        sscc_extension=int(setting_value(session, "sscc.extension_digit") or 0),
        warehouse_id=session.scalar(select(Warehouse.id).order_by(Warehouse.id).limit(1)) or 0,
    )
