"""Warehouses, locations, stock balances and the append-only stock ledger."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base
from db.models.catalog import Product
from db.types import utcnow

LOCATION_KINDS = (
    "pick",
    "bulk",
    "receiving",
    "packing",
    "staging",
    "returns",
    "quarantine",
    "scrap",
)
MOVE_KINDS = ("receipt", "adjustment", "transfer", "pick", "ship", "return", "scrap")


class Warehouse(Base):
    __tablename__ = "warehouses"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    company: Mapped[str | None] = mapped_column(String(100))
    address1: Mapped[str] = mapped_column(String(200), default="")
    address2: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(100), default="")
    postcode: Mapped[str] = mapped_column(String(20), default="")
    region: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str] = mapped_column(String(2), default="")


class Location(Base):
    """A bin, shelf or area. `pick_sequence` is the walking order through the aisles."""

    __tablename__ = "locations"
    __table_args__ = (
        UniqueConstraint("warehouse_id", "code"),
        CheckConstraint(f"kind IN {LOCATION_KINDS!r}", name="kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    code: Mapped[str] = mapped_column(String(32), index=True)
    kind: Mapped[str] = mapped_column(String(16), default="pick")
    pick_sequence: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    warehouse: Mapped[Warehouse] = relationship()


class StockLevel(Base):
    """On hand and reserved units of one product at one location.

    The CHECK is the last line of defence against overselling; services keep it
    true with row locks taken in id order.
    """

    __tablename__ = "stock_levels"
    __table_args__ = (
        UniqueConstraint("product_id", "location_id"),
        CheckConstraint("reserved >= 0 AND reserved <= on_hand", name="reserved_within_on_hand"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    on_hand: Mapped[int] = mapped_column(default=0)
    reserved: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)

    product: Mapped[Product] = relationship()
    location: Mapped[Location] = relationship()

    __mapper_args__ = {"version_id_col": version}


class StockMove(Base):
    """One signed change of on-hand stock. Never updated, never deleted."""

    __tablename__ = "stock_moves"
    __table_args__ = (
        CheckConstraint(f"kind IN {MOVE_KINDS!r}", name="kind"),
        CheckConstraint("quantity <> 0", name="nonzero"),
        Index("ix_stock_moves_product_location", "product_id", "location_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    quantity: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(String(255))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    station: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class StockReceipt(Base):
    """A delivery taken into stock, once: its reference is unique, so receiving it again
    (a retry after a lost reply, a file dropped twice) finds it and changes nothing.
    `digest` names what it brought in, to tell a repeat from a reused reference."""

    __tablename__ = "stock_receipts"
    __table_args__ = (CheckConstraint("units >= 0", name="units"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(80), unique=True)
    digest: Mapped[str] = mapped_column(String(64))
    units: Mapped[int]
    lines: Mapped[int]
    username: Mapped[str] = mapped_column(String(64))
    station: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
