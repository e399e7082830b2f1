"""Returns, refunds, the e-mail outbox and carrier tracking events."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
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
RETURN_DISPOSITIONS = ("restock", "quarantine", "scrap")
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
    status: Mapped[str] = mapped_column(String(16), default="authorised")
    reason: Mapped[str | None] = mapped_column(String(500))
    authorised_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    received_at: Mapped[datetime | None]

    lines: Mapped[list[ReturnLine]] = relationship(back_populates="ret")


class ReturnLine(Base):
    __tablename__ = "return_lines"
    __table_args__ = (
        CheckConstraint("qty_authorised > 0", name="authorised_positive"),
        CheckConstraint("qty_received BETWEEN 0 AND qty_authorised", name="received"),
        CheckConstraint(
            f"disposition IS NULL OR disposition IN {RETURN_DISPOSITIONS!r}", name="disposition"
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


class Refund(Base):
    __tablename__ = "refunds"
    __table_args__ = (CheckConstraint("amount > 0", name="positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True)
    return_id: Mapped[int | None] = mapped_column(ForeignKey("returns.id"))
    amount: Mapped[Decimal]
    currency: Mapped[str] = mapped_column(String(3))
    status: Mapped[str] = mapped_column(String(16), default="pending")
    created_by: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


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
