"""Pick lists, packing progress, shipments, packages and print jobs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base
from db.models.orders import Order, OrderLine
from db.types import utcnow

PICK_LIST_STATUSES = ("open", "claimed", "done", "cancelled")
PRINT_JOB_STATUSES = ("pending", "printed", "failed", "cancelled")


class PickList(Base):
    """Work for one picker: one order, or a batch of small orders (cluster picking).

    Stations claim open lists with FOR UPDATE SKIP LOCKED; a claim carries a lease so
    a crashed station's list comes back.
    """

    __tablename__ = "pick_lists"
    __table_args__ = (
        CheckConstraint(f"status IN {PICK_LIST_STATUSES!r}", name="status"),
        Index("ix_pick_lists_status", "status", "lease_expires_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="open")
    kind: Mapped[str] = mapped_column(String(16), default="single")  # single | batch
    claimed_by_station: Mapped[str | None] = mapped_column(String(64))
    claimed_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    claimed_at: Mapped[datetime | None]
    lease_expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None]
    version: Mapped[int] = mapped_column(default=1)

    tasks: Mapped[list[PickTask]] = relationship(
        back_populates="pick_list", order_by="PickTask.sequence"
    )

    __mapper_args__ = {"version_id_col": version}


class PickTask(Base):
    __tablename__ = "pick_tasks"
    __table_args__ = (CheckConstraint("qty_picked BETWEEN 0 AND quantity", name="picked"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pick_list_id: Mapped[int] = mapped_column(ForeignKey("pick_lists.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"), index=True)
    allocation_id: Mapped[int | None] = mapped_column(ForeignKey("allocations.id"))
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"))
    sequence: Mapped[int]
    quantity: Mapped[int]
    qty_picked: Mapped[int] = mapped_column(default=0)
    tote: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | done | short

    pick_list: Mapped[PickList] = relationship(back_populates="tasks")


class PackingProgress(Base):
    """Units scanned so far for one line of an order being packed (crash-safe)."""

    __tablename__ = "packing_progress"
    __table_args__ = (
        UniqueConstraint("order_id", "order_line_id"),
        CheckConstraint("qty_scanned >= 0", name="non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"))
    qty_scanned: Mapped[int] = mapped_column(default=0)
    serials: Mapped[list[str] | None] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Shipment(Base):
    __tablename__ = "shipments"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    carrier: Mapped[str] = mapped_column(String(32))
    service_level: Mapped[str] = mapped_column(String(20))
    tracking_number: Mapped[str | None] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(16), default="packed")  # packed|shipped|delivered
    verified: Mapped[bool] = mapped_column(default=True)
    packed_by: Mapped[str | None] = mapped_column(String(100))
    packed_station: Mapped[str | None] = mapped_column(String(64))
    packed_at: Mapped[datetime] = mapped_column(default=utcnow)
    shipped_at: Mapped[datetime | None] = mapped_column(index=True)
    delivered_at: Mapped[datetime | None]

    order: Mapped[Order] = relationship()
    packages: Mapped[list[Package]] = relationship(
        back_populates="shipment", order_by="Package.seq"
    )


class Package(Base):
    __tablename__ = "packages"
    __table_args__ = (
        UniqueConstraint("shipment_id", "seq"),
        CheckConstraint("weight_g IS NULL OR weight_g > 0", name="weight"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id"))
    seq: Mapped[int]
    sscc: Mapped[str] = mapped_column(String(18), unique=True)
    box_code: Mapped[str | None] = mapped_column(String(32))
    weight_g: Mapped[int | None]
    tracking_number: Mapped[str | None] = mapped_column(String(64))

    shipment: Mapped[Shipment] = relationship(back_populates="packages")
    items: Mapped[list[PackageItem]] = relationship(back_populates="package")


class PackageItem(Base):
    __tablename__ = "package_items"
    __table_args__ = (CheckConstraint("quantity > 0", name="positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    package_id: Mapped[int] = mapped_column(ForeignKey("packages.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"), index=True)
    quantity: Mapped[int]
    serial: Mapped[str | None] = mapped_column(String(64), index=True)

    package: Mapped[Package] = relationship(back_populates="items")
    line: Mapped[OrderLine] = relationship()


class PrintJob(Base):
    """A document waiting for, or sent to, a printer. Failed sends stay pending."""

    __tablename__ = "print_jobs"
    __table_args__ = (
        CheckConstraint(f"status IN {PRINT_JOB_STATUSES!r}", name="status"),
        Index("ix_print_jobs_status", "status", "station"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    shipment_id: Mapped[int | None] = mapped_column(ForeignKey("shipments.id"))
    document: Mapped[str] = mapped_column(String(32))  # label | packing_slip | pick_list ...
    format: Mapped[str] = mapped_column(String(8))  # pdf | zpl
    printer: Mapped[str] = mapped_column(String(200))
    station: Mapped[str | None] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    payload: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    printed_at: Mapped[datetime | None]
