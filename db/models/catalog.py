"""Products, their barcodes, box types and sales channels."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base
from db.types import utcnow


class Product(Base):
    __tablename__ = "products"
    __table_args__ = (CheckConstraint("weight_g IS NULL OR weight_g >= 0", name="weight"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    weight_g: Mapped[int | None]
    length_mm: Mapped[int | None]
    width_mm: Mapped[int | None]
    height_mm: Mapped[int | None]
    price: Mapped[Decimal | None]
    image_path: Mapped[str | None] = mapped_column(String(500))
    active: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    barcodes: Mapped[list[ProductBarcode]] = relationship(
        back_populates="product", cascade="all, delete-orphan"
    )


class ProductBarcode(Base):
    """A code printed on the product. GTINs are stored as GTIN-14 so UPC and EAN agree.

    Deliberately not unique: master data can carry one GTIN on two SKUs, and the
    station must then refuse to guess rather than the import refusing the feed.
    """

    __tablename__ = "product_barcodes"
    __table_args__ = (UniqueConstraint("product_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="gtin")  # gtin | internal

    product: Mapped[Product] = relationship(back_populates="barcodes")


class BoxType(Base):
    """A box the packers use: inner dimensions, its own weight and the most it carries."""

    __tablename__ = "box_types"
    __table_args__ = (
        CheckConstraint("length_mm > 0 AND width_mm > 0 AND height_mm > 0", name="size"),
        CheckConstraint("tare_g >= 0", name="tare"),
        CheckConstraint("max_weight_g IS NULL OR max_weight_g > 0", name="max_weight"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    length_mm: Mapped[int]
    width_mm: Mapped[int]
    height_mm: Mapped[int]
    tare_g: Mapped[int] = mapped_column(default=0)
    max_weight_g: Mapped[int | None]
    active: Mapped[bool] = mapped_column(default=True)


class Channel(Base):
    """A sales channel: web shop, marketplace, phone/B2B desk."""

    __tablename__ = "channels"
    __table_args__ = (CheckConstraint("safety_buffer >= 0", name="buffer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(32))  # shopify | magento | manual | csv | json
    allow_partial: Mapped[bool] = mapped_column(default=False)
    safety_buffer: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    # Branding: the sender customers see on e-mails and slips for this channel.
    sender_name: Mapped[str | None] = mapped_column(String(200))
    sender_email: Mapped[str | None] = mapped_column(String(255))
    packing_slip: Mapped[bool] = mapped_column(default=True)
    # Risk-rule thresholds that differ from the site's (risk.* settings), by field name.
    risk_overrides: Mapped[dict[str, str] | None] = mapped_column(JSON)
