"""The scan log: every scan at every station - raw text, reading, outcome - so a crashed
station resumes where it stopped and supervisors can see scan accuracy."""

from __future__ import annotations

from datetime import datetime

from app.context import Actor
from app.domain.scan_reading import Reading, read_scan
from db.engine import Database
from db.models import ScanEvent
from db.types import utcnow
from db.uow import run_in_transaction


def scan_event(
    actor: Actor,
    raw: str,
    reading: Reading,
    *,
    accepted: bool,
    message: str,
    manual: bool = False,
    order_id: int | None = None,
    value: str | None = None,
    occurred_at: datetime | None = None,
) -> ScanEvent:
    """One log row, to add in the same transaction as what the scan changed."""
    return ScanEvent(
        occurred_at=occurred_at or utcnow(),
        station=actor.station,
        user_id=actor.user_id,
        raw=raw[:300],
        reading=reading.kind.value,
        value=(value or reading.gtin14 or reading.text or None),
        outcome="accepted" if accepted else "rejected",
        message=message[:300],
        manual=manual,
        order_id=order_id,
    )


def record_scan(
    db: Database,
    actor: Actor,
    raw: str,
    *,
    message: str,
    accepted: bool = False,
    manual: bool = False,
    order_id: int | None = None,
) -> None:
    """Log a scan that changed nothing: refused by the station or by a service."""
    event = scan_event(
        actor,
        raw,
        read_scan(raw),
        accepted=accepted,
        message=message,
        manual=manual,
        order_id=order_id,
    )
    run_in_transaction(db, lambda session: session.add(event))
