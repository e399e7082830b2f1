"""Look-ups for the back office: products by SKU, name or barcode; channels; box types.

Read-only: every function runs one read transaction and returns frozen DTOs.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from app.errors import NotFound, ValidationFailed
from app.services.availability import SELLABLE_KINDS
from app.services.catalogue import normalise_barcode
from app.services.orders import like_pattern
from db.engine import Database
from db.models import BoxType, Channel, Location, Product, ProductBarcode, StockLevel
from db.uow import read


@dataclass(frozen=True)
class ProductHit:
    """A product as a look-up shows it: enough to put it on an order line."""

    id: int
    sku: str
    name: str
    price: Decimal | None
    active: bool
    available: int  # units free to promise in active pick and bulk locations

    @property
    def label(self) -> str:
        """`SKU · name`, the text a completer shows and a look-up reads back."""
        return f"{self.sku} · {self.name}"


@dataclass(frozen=True)
class ChannelView:
    code: str
    name: str
    kind: str
    active: bool


@dataclass(frozen=True)
class BoxTypeView:
    code: str
    name: str
    length_mm: int
    width_mm: int
    height_mm: int
    tare_g: int


def _hits(session: Session, stmt: Select[Product]) -> list[ProductHit]:
    products = list(session.scalars(stmt).unique())
    free = dict(
        session.execute(
            select(StockLevel.product_id, func.sum(StockLevel.on_hand - StockLevel.reserved))
            .join(Location, Location.id == StockLevel.location_id)
            .where(
                StockLevel.product_id.in_([p.id for p in products]),
                Location.kind.in_(SELLABLE_KINDS),
                Location.active.is_(True),
            )
            .group_by(StockLevel.product_id)
        ).all()
    )
    return [
        ProductHit(p.id, p.sku, p.name, p.price, p.active, int(free.get(p.id) or 0))
        for p in products
    ]


def _by_barcode(code: str) -> Select[Product]:
    stored, _ = normalise_barcode(code)
    return (
        select(Product)
        .join(ProductBarcode, ProductBarcode.product_id == Product.id)
        .where(ProductBarcode.code == stored)
        .order_by(Product.sku)
    )


def search_products(db: Database, text: str, *, limit: int = 20) -> list[ProductHit]:
    """Products whose SKU or name contains `text`, or with `text` as a barcode.

    Exact SKU matches come first, then SKUs starting with `text`, then the rest by SKU.
    """
    text = text.strip()
    if not text:
        return []

    def work(session: Session) -> list[ProductHit]:
        pattern = like_pattern(text)
        upper = text.upper()
        barcode_owners = select(ProductBarcode.product_id).where(
            ProductBarcode.code == normalise_barcode(text)[0]
        )
        stmt = (
            select(Product)
            .where(
                or_(
                    Product.sku.ilike(pattern, escape="\\"),
                    Product.name.ilike(pattern, escape="\\"),
                    Product.id.in_(barcode_owners),
                )
            )
            .order_by(
                (func.upper(Product.sku) != upper),
                (~func.upper(Product.sku).startswith(upper, autoescape=True)),
                Product.sku,
            )
            .limit(limit)
        )
        return _hits(session, stmt)

    return read(db, work)


def find_product(db: Database, code: str) -> ProductHit:
    """The one product `code` names: its SKU, a barcode, its exact name or a unique match.

    Raises NotFound when nothing matches and ValidationFailed when `code` is ambiguous
    (one barcode on two SKUs, or a name fragment that several products share).
    """
    code = code.strip()
    if not code:
        raise ValidationFailed("type or scan a SKU, barcode or product name")

    def work(session: Session) -> ProductHit:
        sku = _hits(session, select(Product).where(func.upper(Product.sku) == code.upper()))
        if sku:
            return sku[0]
        owners = _hits(session, _by_barcode(code))
        if len(owners) == 1:
            return owners[0]
        if owners:
            skus = ", ".join(p.sku for p in owners)
            raise ValidationFailed(f"barcode {code} is on several products ({skus}): type the SKU")
        named = _hits(
            session, select(Product).where(func.lower(Product.name) == code.lower()).limit(2)
        )
        if len(named) == 1:
            return named[0]
        return _unique_match(session, code)

    return read(db, work)


def _unique_match(session: Session, code: str) -> ProductHit:
    pattern = like_pattern(code)
    matches = _hits(
        session,
        select(Product)
        .where(
            or_(Product.sku.ilike(pattern, escape="\\"), Product.name.ilike(pattern, escape="\\"))
        )
        .order_by(Product.sku)
        .limit(2),
    )
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise ValidationFailed(f"several products match {code!r}: pick one from the list")
    raise NotFound(f"no product with SKU, barcode or name {code!r}")


def list_channels(db: Database, *, active_only: bool = True) -> list[ChannelView]:
    def work(session: Session) -> list[ChannelView]:
        stmt = select(Channel).order_by(Channel.code)
        if active_only:
            stmt = stmt.where(Channel.active.is_(True))
        return [ChannelView(c.code, c.name, c.kind, c.active) for c in session.scalars(stmt)]

    return read(db, work)


def list_box_types(db: Database) -> list[BoxTypeView]:
    """Active box types, smallest volume first."""

    def work(session: Session) -> list[BoxTypeView]:
        stmt = (
            select(BoxType)
            .where(BoxType.active.is_(True))
            .order_by(BoxType.length_mm * BoxType.width_mm * BoxType.height_mm, BoxType.code)
        )
        return [
            BoxTypeView(b.code, b.name, b.length_mm, b.width_mm, b.height_mm, b.tare_g)
            for b in session.scalars(stmt)
        ]

    return read(db, work)
