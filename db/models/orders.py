"""Customers, orders, their lines and the stock allocated to them."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base
from db.models.catalog import Channel, Product
from db.models.inventory import StockLevel
from db.types import utcnow

# db/ cannot import app/, so the lifecycle states live here as strings; a contract
# test asserts they match app.domain.order_workflow.OrderStatus.
ORDER_STATUSES = (
    "new",
    "on_hold",
    "backordered",
    "allocated",
    "picking",
    "picked",
    "packed",
    "partially_shipped",
    "shipped",
    "delivered",
    "cancelled",
)
ALLOCATION_STATUSES = ("active", "consumed", "released")


class Customer(Base):
    __tablename__ = "customers"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str | None] = mapped_column(String(255), index=True)
    name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(50), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Order(Base):
    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("channel_id", "external_ref"),
        CheckConstraint(f"status IN {ORDER_STATUSES!r}", name="status"),
        Index("ix_orders_queue", "status", "priority", "ship_by", "placed_at"),
        # Queue pages: one status newest first, or by ship-by (keyset on the id after).
        Index("ix_orders_status_id", "status", "id"),
        Index("ix_orders_status_ship_by", "status", "ship_by"),
        Index("ix_orders_placed_at", "placed_at"),
        Index("ix_orders_ship_by", "ship_by"),
        Index("ix_orders_shipped_at", "shipped_at"),
        Index("ix_orders_cancelled_at", "cancelled_at"),
        # Receipts walk the waiting orders in allocation's priority order (0017).
        Index(
            "ix_orders_waiting",
            "priority",
            "ship_by",
            "placed_at",
            "id",
            postgresql_where=text("status IN ('new', 'backordered')"),
            sqlite_where=text("status IN ('new', 'backordered')"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("channels.id"))
    external_ref: Mapped[str] = mapped_column(String(64), index=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="new")
    held_from: Mapped[str | None] = mapped_column(String(20))
    hold_reason: Mapped[str | None] = mapped_column(String(500))
    # 1 = most urgent. Intake derives it from the service level; supervisors may change it.
    priority: Mapped[int] = mapped_column(default=5)
    service_level: Mapped[str] = mapped_column(String(20), default="standard")
    allow_partial: Mapped[bool | None]
    placed_at: Mapped[datetime]
    ship_by: Mapped[datetime | None]
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    payment_status: Mapped[str] = mapped_column(String(20), default="paid")
    subtotal: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    shipping_total: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    tax_total: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    grand_total: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    email: Mapped[str | None] = mapped_column(String(255))
    ship_name: Mapped[str] = mapped_column(String(200), default="")
    ship_company: Mapped[str | None] = mapped_column(String(200))
    ship_address1: Mapped[str] = mapped_column(String(200), default="")
    ship_address2: Mapped[str | None] = mapped_column(String(200))
    ship_city: Mapped[str] = mapped_column(String(100), default="")
    ship_postcode: Mapped[str] = mapped_column(String(20), default="")
    ship_region: Mapped[str | None] = mapped_column(String(100))
    ship_country: Mapped[str] = mapped_column(String(2), default="")
    ship_phone: Mapped[str | None] = mapped_column(String(50))
    bill_country: Mapped[str | None] = mapped_column(String(2))
    warehouse_id: Mapped[int | None] = mapped_column(ForeignKey("warehouses.id"))
    packing_station: Mapped[str | None] = mapped_column(String(64))
    packing_user: Mapped[str | None] = mapped_column(String(100))
    packing_started_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(default=1)
    # A replacement (lost or damaged parcel) or a split-off part: the order it came from.
    origin_order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    origin_kind: Mapped[str | None] = mapped_column(String(16))  # replacement | split
    # The first time the order reached each milestone, for the reports: kept by a
    # trigger on audit_events (migration 0015), never written by the services.
    allocated_at: Mapped[datetime | None]
    picked_at: Mapped[datetime | None]
    packed_at: Mapped[datetime | None]
    shipped_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]

    channel: Mapped[Channel] = relationship()
    customer: Mapped[Customer | None] = relationship()
    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", order_by="OrderLine.line_no", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}


class OrderLine(Base):
    """One product on an order with its quantity at every stage.

    The CHECKs encode the pipeline: nothing is picked that was not allocated, and
    so on down to returns.
    """

    __tablename__ = "order_lines"
    __table_args__ = (
        UniqueConstraint("order_id", "line_no"),
        CheckConstraint("qty_ordered > 0", name="ordered_positive"),
        CheckConstraint("qty_allocated BETWEEN 0 AND qty_ordered", name="allocated"),
        CheckConstraint("qty_picked BETWEEN 0 AND qty_allocated", name="picked"),
        CheckConstraint("qty_packed BETWEEN 0 AND qty_picked", name="packed"),
        CheckConstraint("qty_shipped BETWEEN 0 AND qty_packed", name="shipped"),
        CheckConstraint("qty_returned BETWEEN 0 AND qty_shipped", name="returned"),
        CheckConstraint(
            "qty_handled_elsewhere BETWEEN 0 AND qty_ordered - qty_allocated",
            name="handled_elsewhere",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    line_no: Mapped[int]
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id"), index=True)
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(255))
    unit_price: Mapped[Decimal] = mapped_column(default=Decimal("0"))
    qty_ordered: Mapped[int]
    qty_allocated: Mapped[int] = mapped_column(default=0)
    qty_picked: Mapped[int] = mapped_column(default=0)
    qty_packed: Mapped[int] = mapped_column(default=0)
    qty_shipped: Mapped[int] = mapped_column(default=0)
    qty_returned: Mapped[int] = mapped_column(default=0)
    # Units the channel dealt with itself (shipped, cancelled, refunded there): never
    # reserved, picked or shipped here.
    qty_handled_elsewhere: Mapped[int] = mapped_column(default=0)

    @hybrid_property
    def qty_to_fulfil(self) -> int:
        """The units to ship from here: ordered less those the channel handled itself."""
        return self.qty_ordered - self.qty_handled_elsewhere

    order: Mapped[Order] = relationship(back_populates="lines")
    product: Mapped[Product | None] = relationship()


class Allocation(Base):
    """Units of a stock level promised to an order line.

    `active` allocations are exactly what `StockLevel.reserved` sums; shipping
    consumes them and cancelling releases them.
    """

    __tablename__ = "allocations"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="positive"),
        CheckConstraint(f"status IN {ALLOCATION_STATUSES!r}", name="status"),
        Index("ix_allocations_stock_status", "stock_level_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"), index=True)
    stock_level_id: Mapped[int] = mapped_column(ForeignKey("stock_levels.id"))
    quantity: Mapped[int]
    status: Mapped[str] = mapped_column(String(16), default="active")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    line: Mapped[OrderLine] = relationship()
    stock_level: Mapped[StockLevel] = relationship()


class Note(Base):
    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author: Mapped[str] = mapped_column(String(100))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
