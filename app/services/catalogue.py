"""Products and channels: the PIM/ERP feed is the source of truth for SKUs and barcodes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.context import Actor
from app.domain.gtin import is_valid_gtin, to_gtin14
from app.errors import ValidationFailed
from app.services.access import authorize
from app.services.audit import record
from db.engine import Database
from db.models import Channel, Product, ProductBarcode
from db.uow import run_in_transaction


@dataclass(frozen=True)
class ProductInput:
    sku: str
    name: str
    barcodes: tuple[str, ...] = ()
    weight_g: int | None = None
    length_mm: int | None = None
    width_mm: int | None = None
    height_mm: int | None = None
    price: Decimal | None = None
    active: bool = True
    source: str = ""  # "file:line" for messages


@dataclass
class CatalogueChange:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: int = 0


def normalise_barcode(code: str) -> tuple[str, str]:
    """(stored code, kind): GTINs as GTIN-14 so UPC-A and EAN-13 agree."""
    code = code.strip()
    if code.isdigit() and len(code) in (8, 12, 13, 14) and is_valid_gtin(code):
        return to_gtin14(code), "gtin"
    return code, "internal"


def check_barcode(code: str, where: str) -> str | None:
    """A problem line, or None if the code can be stored."""
    code = code.strip()
    if not code:
        return None
    if code.isdigit() and len(code) in (8, 12, 13, 14) and not is_valid_gtin(code):
        return f"{where}: barcodes: {code} has a wrong check digit"
    if len(code) > 64:
        return f"{where}: barcodes: {code[:20]}... is longer than 64 characters"
    return None


def upsert_products(
    db: Database, actor: Actor, products: Sequence[ProductInput]
) -> CatalogueChange:
    return run_in_transaction(db, lambda s: upsert_products_in(s, actor, products))


def upsert_products_in(
    session: Session, actor: Actor, products: Sequence[ProductInput]
) -> CatalogueChange:
    authorize(session, actor, "catalogue.edit")
    problems = [
        problem
        for p in products
        for code in p.barcodes
        if (problem := check_barcode(code, p.source or p.sku))
    ]
    if problems:
        raise ValidationFailed(f"{len(problems)} problem(s); nothing imported", problems)
    existing = {
        p.sku: p
        for p in session.scalars(
            select(Product)
            .where(Product.sku.in_([p.sku for p in products]))
            .options(selectinload(Product.barcodes))
        )
    }
    change = CatalogueChange()
    for item in products:
        product = existing.get(item.sku)
        if product is None:
            product = Product(sku=item.sku, name=item.name)
            session.add(product)
            existing[item.sku] = product
            change.created.append(item.sku)
        elif _same(product, item):
            change.unchanged += 1
            continue
        else:
            change.updated.append(item.sku)
        _apply(product, item)
    session.flush()
    if change.created or change.updated:
        record(
            session,
            actor,
            "catalogue",
            0,
            "products imported",
            details={"created": len(change.created), "updated": len(change.updated)},
        )
    return change


def _fields(item: ProductInput) -> dict[str, object]:
    return {
        "name": item.name,
        "weight_g": item.weight_g,
        "length_mm": item.length_mm,
        "width_mm": item.width_mm,
        "height_mm": item.height_mm,
        "price": item.price,
        "active": item.active,
    }


def _same(product: Product, item: ProductInput) -> bool:
    codes = {normalise_barcode(c)[0] for c in item.barcodes if c.strip()}
    return all(getattr(product, k) == v for k, v in _fields(item).items()) and codes == {
        b.code for b in product.barcodes
    }


def _apply(product: Product, item: ProductInput) -> None:
    for key, value in _fields(item).items():
        setattr(product, key, value)
    wanted = dict(normalise_barcode(c) for c in item.barcodes if c.strip())
    product.barcodes = [b for b in product.barcodes if b.code in wanted]
    have = {b.code for b in product.barcodes}
    product.barcodes += [
        ProductBarcode(code=code, kind=kind) for code, kind in wanted.items() if code not in have
    ]


def ensure_channel(session: Session, code: str, kind: str, name: str | None = None) -> Channel:
    channel = session.scalars(select(Channel).where(Channel.code == code)).first()
    if channel is None:
        channel = Channel(code=code, name=name or code, kind=kind)
        session.add(channel)
        session.flush()
    return channel
