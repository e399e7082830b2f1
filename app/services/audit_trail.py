"""The audit viewer: who did what, filtered; a CSV of it; scan accuracy per user."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session, aliased

from app.context import Actor
from app.errors import ValidationFailed
from app.imports.common import spreadsheet_safe
from app.services.access import authorize
from app.services.orders import find_order_id
from db.engine import Database
from db.models import AuditEvent, Order, ScanEvent, User
from db.uow import read

MAX_ROWS = 10_000


@dataclass(frozen=True)
class AuditQuery:
    """Every field optional; text fields match exactly, ignoring case."""

    user: str | None = None
    order: str | None = None  # number or channel reference
    action: str | None = None
    station: str | None = None
    start: datetime | None = None  # from, inclusive (UTC)
    end: datetime | None = None  # to, exclusive (UTC)
    limit: int = 1000


@dataclass(frozen=True)
class AuditLine:
    occurred_at: datetime
    username: str
    station: str | None
    entity: str
    entity_id: int
    subject: str  # the order number, "user NAME", else entity #id
    action: str
    from_status: str | None
    to_status: str | None
    reason: str | None
    details: str  # the details as compact JSON ("" when none)

    def cells(self) -> tuple[str, ...]:
        """The line as the audit viewer and its CSV show it, details left out."""
        return (
            self.occurred_at.strftime("%Y-%m-%d %H:%M:%S"),
            self.username,
            self.station or "",
            self.subject,
            self.action,
            self.from_status or "",
            self.to_status or "",
            self.reason or "",
        )


@dataclass(frozen=True)
class ScanAccuracy:
    username: str
    scans: int
    rejected: int
    manual: int

    @property
    def accuracy(self) -> float:
        """Share of scans accepted, 0..1."""
        return (self.scans - self.rejected) / self.scans if self.scans else 1.0


def _check(query: AuditQuery) -> None:
    if query.start and query.end and query.start >= query.end:
        raise ValidationFailed("the time range ends before it starts")
    if not 1 <= query.limit <= MAX_ROWS:
        raise ValidationFailed(f"show 1 to {MAX_ROWS:,} events at a time")


def audit_trail(db: Database, actor: Actor, query: AuditQuery) -> list[AuditLine]:
    """The newest events first that match every given filter."""
    _check(query)

    def work(session: Session) -> list[AuditLine]:
        authorize(session, actor, "audit.view")
        subject = aliased(User)
        stmt = (
            select(AuditEvent, func.coalesce(Order.number, "user " + subject.username))
            .outerjoin(Order, (AuditEvent.entity == "order") & (Order.id == AuditEvent.entity_id))
            .outerjoin(
                subject, (AuditEvent.entity == "user") & (subject.id == AuditEvent.entity_id)
            )
            .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
            .limit(query.limit)
        )
        if query.user and query.user.strip():
            stmt = stmt.where(func.lower(AuditEvent.username) == query.user.strip().lower())
        if query.station and query.station.strip():
            stmt = stmt.where(func.lower(AuditEvent.station) == query.station.strip().lower())
        if query.action and query.action.strip():
            stmt = stmt.where(func.lower(AuditEvent.action) == query.action.strip().lower())
        if query.order and query.order.strip():
            order_id = find_order_id(session, query.order.strip())
            stmt = stmt.where(AuditEvent.entity == "order", AuditEvent.entity_id == order_id)
        if query.start:
            stmt = stmt.where(AuditEvent.occurred_at >= query.start)
        if query.end:
            stmt = stmt.where(AuditEvent.occurred_at < query.end)
        return [_line(event, number) for event, number in session.execute(stmt)]

    return read(db, work)


def _line(event: AuditEvent, number: str | None) -> AuditLine:
    return AuditLine(
        event.occurred_at,
        event.username,
        event.station,
        event.entity,
        event.entity_id,
        number or f"{event.entity} #{event.entity_id}",
        event.action,
        event.from_status,
        event.to_status,
        event.reason,
        json.dumps(event.details, ensure_ascii=False, sort_keys=True) if event.details else "",
    )


def audit_actions(db: Database, actor: Actor) -> list[str]:
    """The actions the trail holds, for the viewer's filter list."""

    def work(session: Session) -> list[str]:
        authorize(session, actor, "audit.view")
        return list(session.scalars(select(AuditEvent.action).distinct().order_by("action")))

    return read(db, work)


CSV_HEADER = (
    "time_utc",
    "user",
    "station",
    "subject",
    "action",
    "from_status",
    "to_status",
    "reason",
    "details",
)


def audit_csv(lines: Sequence[AuditLine]) -> str:
    """The lines as CSV; no cell can start a spreadsheet formula."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for line in lines:
        writer.writerow([spreadsheet_safe(cell) for cell in (*line.cells(), line.details)])
    return out.getvalue()


def scan_accuracy(
    db: Database, actor: Actor, start: datetime | None = None, end: datetime | None = None
) -> list[ScanAccuracy]:
    """Scans per user from the scan log, with how many were refused or typed by hand;
    scans made before anyone logged in count under "(no user)"."""

    def work(session: Session) -> list[ScanAccuracy]:
        authorize(session, actor, "audit.view")
        name = func.coalesce(User.username, "(no user)")
        stmt = (
            select(
                name,
                func.count(),
                func.sum(case((ScanEvent.outcome == "rejected", 1), else_=0)),
                func.sum(case((ScanEvent.manual.is_(True), 1), else_=0)),
            )
            .select_from(ScanEvent)
            .outerjoin(User, User.id == ScanEvent.user_id)
            .group_by(name)
            .order_by(name)
        )
        if start:
            stmt = stmt.where(ScanEvent.occurred_at >= start)
        if end:
            stmt = stmt.where(ScanEvent.occurred_at < end)
        return [
            ScanAccuracy(str(user), int(scans), int(rejected or 0), int(manual or 0))
            for user, scans, rejected, manual in session.execute(stmt)
        ]

    return read(db, work)
