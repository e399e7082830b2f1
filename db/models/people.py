"""Users, the audit trail, recorded scans, settings and number sequences."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.types import utcnow

ROLES = ("admin", "supervisor", "packer", "picker", "service", "returns")


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(f"role IN {ROLES!r}", name="role"),
        CheckConstraint("failed_logins >= 0", name="failed_logins"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    badge: Mapped[str | None] = mapped_column(String(64), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # A station log-in: badge scan plus this PIN (Argon2id like the password).
    pin_hash: Mapped[str | None] = mapped_column(String(255))
    # Lock-out after repeated failures (app.services.users).
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[datetime | None]


class AuditEvent(Base):
    """Who did what, where and when. Insert-only."""

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_entity", "entity", "entity_id"),
        Index("ix_audit_to_status_time", "to_status", "occurred_at"),
        Index("ix_audit_entity_milestones", "entity", "entity_id", "to_status", "occurred_at"),
        Index("ix_audit_time", "occurred_at"),
        Index("ix_audit_user_time", "username", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    username: Mapped[str] = mapped_column(String(64))
    station: Mapped[str | None] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int]
    action: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str | None] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    details: Mapped[dict[str, object] | None] = mapped_column(JSON)


class ScanEvent(Base):
    """Every scan at every station: the raw text, how it was read, what happened."""

    __tablename__ = "scan_events"
    __table_args__ = (
        Index("ix_scan_events_time", "occurred_at"),
        Index("ix_scan_events_user_time", "user_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(default=utcnow)
    station: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    raw: Mapped[str] = mapped_column(String(300))
    reading: Mapped[str] = mapped_column(String(32))
    value: Mapped[str | None] = mapped_column(String(100))
    outcome: Mapped[str] = mapped_column(String(16))  # accepted | rejected
    message: Mapped[str | None] = mapped_column(String(300))
    manual: Mapped[bool] = mapped_column(default=False)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), index=True)


class Setting(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Sequence(Base):
    """Named counters (order, pick list, return numbers, SSCC serials).

    Taken with one UPDATE ... RETURNING so bulk intake reserves a block at once.
    """

    __tablename__ = "sequences"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    next_value: Mapped[int]
