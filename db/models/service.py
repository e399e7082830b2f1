"""Returns, refunds, the e-mail outbox and carrier tracking events."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

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
from db.types import utcnow

RETURN_STATUSES = ("authorised", "received", "closed", "cancelled")
RETURN_RESOLUTIONS = ("refund", "exchange", "credit")
RETURN_CONDITIONS = ("sellable", "opened", "damaged", "wrong_item")
RETURN_DISPOSITIONS = ("restock", "quarantine", "scrap", "vendor")
REFUND_METHODS = ("refund", "credit")
REFUND_STATUSES = ("pending", "issued")
OUTBOX_STATUSES = ("pending", "sending", "sent", "failed")


class Return(Base):
    __tablename__ = "returns"
    __table_args__ = (
        CheckConstraint(f"status IN {RETURN_STATUSES!r}", name="status"),
        Index("ix_returns_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="authorised", index=True)
    reason: Mapped[str | None] = mapped_column(String(500))
    resolution: Mapped[str] = mapped_column(String(16), default="refund")
    unexpected: Mapped[bool] = mapped_column(default=False)
    authorised_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    received_at: Mapped[datetime | None]
    received_by: Mapped[str | None] = mapped_column(String(100))
    received_station: Mapped[str | None] = mapped_column(String(64))
    closed_at: Mapped[datetime | None]
    exchange_order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))

    lines: Mapped[list[ReturnLine]] = relationship(back_populates="ret")


class ReturnLine(Base):
    """An order line on a return. `condition` and `disposition` are its receipts' while
    they all agree, NULL once they differ (the receipts hold each unit's)."""

    __tablename__ = "return_lines"
    __table_args__ = (
        UniqueConstraint("return_id", "order_line_id"),
        CheckConstraint("qty_authorised > 0", name="authorised_positive"),
        CheckConstraint("qty_received BETWEEN 0 AND qty_authorised", name="received"),
        CheckConstraint(
            f"disposition IS NULL OR disposition IN {RETURN_DISPOSITIONS!r}", name="disposition"
        ),
        CheckConstraint(
            f"condition IS NULL OR condition IN {RETURN_CONDITIONS!r} OR condition = 'mixed'",
            name="condition",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("returns.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_lines.id"))
    qty_authorised: Mapped[int]
    qty_received: Mapped[int] = mapped_column(default=0)
    condition: Mapped[str | None] = mapped_column(String(32))
    disposition: Mapped[str | None] = mapped_column(String(16))

    ret: Mapped[Return] = relationship(back_populates="lines")


class ReturnReceipt(Base):
    """Units of one return line received in one condition and sent to one place by
    exactly one stock move (`stock_move_id`)."""

    __tablename__ = "return_receipts"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="positive"),
        CheckConstraint(f"condition IN {RETURN_CONDITIONS!r}", name="condition"),
        CheckConstraint(f"disposition IN {RETURN_DISPOSITIONS!r}", name="disposition"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    return_line_id: Mapped[int] = mapped_column(ForeignKey("return_lines.id"), index=True)
    quantity: Mapped[int]
    condition: Mapped[str] = mapped_column(String(16))
    disposition: Mapped[str] = mapped_column(String(16))
    location_id: Mapped[int] = mapped_column(ForeignKey("locations.id"))
    stock_move_id: Mapped[int] = mapped_column(ForeignKey("stock_moves.id"), unique=True)
    username: Mapped[str] = mapped_column(String(100))
    station: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Refund(Base):
    """Money owed back for a return: goods less the restocking fee, plus shipping."""

    __tablename__ = "refunds"
    __table_args__ = (
        CheckConstraint("amount > 0", name="positive"),
        CheckConstraint(f"method IN {REFUND_METHODS!r}", name="method"),
        CheckConstraint(f"status IN {REFUND_STATUSES!r}", name="status"),
        CheckConstraint("(status = 'issued') = (issued_at IS NOT NULL)", name="issued"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    return_id: Mapped[int | None] = mapped_column(ForeignKey("returns.id"), index=True)
    amount: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3))
    method: Mapped[str] = mapped_column(String(8), default="refund")
    goods_amount: Mapped[Decimal] = mapped_column(default=Decimal(0))
    fee_amount: Mapped[Decimal] = mapped_column(default=Decimal(0))
    shipping_amount: Mapped[Decimal] = mapped_column(default=Decimal(0))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    issued_by: Mapped[str | None] = mapped_column(String(100))
    issued_at: Mapped[datetime | None]


class EmailOutbox(Base):
    """Mail written in the same transaction as the change it reports.

    A sender claims rows with SKIP LOCKED (PostgreSQL) or a lease (SQLite) and stamps
    `message_id` on the wire, so a retry after a crash between the server's "accepted"
    and the row's "sent" is recognisable. A resend is a new row pointing at the old one.
    """

    __tablename__ = "email_outbox"
    __table_args__ = (
        CheckConstraint(f"status IN {OUTBOX_STATUSES!r}", name="status"),
        CheckConstraint("attempts >= 0", name="attempts"),
        Index("ix_email_outbox_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)
    channel_id: Mapped[int | None] = mapped_column(ForeignKey("channels.id"))
    template: Mapped[str] = mapped_column(String(64))
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    from_name: Mapped[str] = mapped_column(String(200), default="")
    from_addr: Mapped[str] = mapped_column(String(255), default="")
    to_name: Mapped[str] = mapped_column(String(200), default="")
    to_addr: Mapped[str] = mapped_column(String(255))
    subject: Mapped[str] = mapped_column(String(255))
    body: Mapped[str] = mapped_column(Text)  # the plain-text part
    body_html: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    lease_until: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    last_error: Mapped[str | None] = mapped_column(Text)
    resend_of: Mapped[int | None] = mapped_column(ForeignKey("email_outbox.id"))
    # What the template is rendered from besides today's order, channel and site facts:
    # the facts snapshotted when the message was queued (app.services.notifications).
    context: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # NULL until the sender renders it; subject, body, sender and Message-ID are then kept.
    rendered_at: Mapped[datetime | None]
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    attachments: Mapped[list[EmailAttachment]] = relationship(
        order_by="EmailAttachment.id", cascade="all, delete-orphan"
    )


class EmailAttachment(Base):
    """A file sent with an outbox message (the return label of a return authorised)."""

    __tablename__ = "email_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    outbox_id: Mapped[int] = mapped_column(
        ForeignKey("email_outbox.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary)


class TrackingEvent(Base):
    """What the carrier reported about a shipment; one row per distinct event."""

    __tablename__ = "tracking_events"
    __table_args__ = (UniqueConstraint("shipment_id", "event", "occurred_at", "location"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id"), index=True)
    event: Mapped[str] = mapped_column(String(64))
    occurred_at: Mapped[datetime]
    location: Mapped[str] = mapped_column(String(200), default="")
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
