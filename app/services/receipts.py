"""Receipts of goods, each taken in once.

A receipt reference (a delivery note, a purchase order, the digest of a file, or the
token a receiving station gives one scan) is claimed in the same transaction as the
stock it brings in. Applied again - a retry after the reply to its commit was lost,
a file dropped twice - it finds its claim and changes nothing; the caller says so.
The claim is an `INSERT ... ON CONFLICT DO NOTHING` on the unique reference: a
second process receiving the same reference at the same moment waits for the first
to commit, then finds it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.context import Actor
from app.errors import ValidationFailed
from db.bulk import insert_unless_present
from db.models import StockReceipt
from db.types import utcnow

if TYPE_CHECKING:
    from app.services.inventory import StockCount

REFERENCE_LIMIT = 80


@dataclass(frozen=True)
class SeenReceipt:
    """A receipt that had already been received: stock was left as it was."""

    reference: str
    received_at: datetime
    units: int
    user: str
    station: str | None

    def __str__(self) -> str:
        by = ", ".join(part for part in (self.user, self.station) if part)
        return (
            f"receipt {self.reference} was already received on "
            f"{self.received_at:%Y-%m-%d %H:%M} UTC ({self.units} units"
            f"{f', {by}' if by else ''}); stock unchanged"
        )


def content_digest(counts: Sequence[StockCount]) -> str:
    """What a receipt brings in, whatever the order of its lines."""
    lines = sorted(f"{c.sku}\t{c.location}\t{c.quantity}" for c in counts)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def check_reference(reference: str, where: str = "--receipt") -> str:
    text = " ".join(reference.split())
    if not text:
        raise ValidationFailed(f"{where}: a receipt reference is needed (a delivery note number)")
    if len(text) > REFERENCE_LIMIT:
        raise ValidationFailed(f"{where}: longer than {REFERENCE_LIMIT} characters")
    return text


def claim(
    session: Session, actor: Actor, reference: str, counts: Sequence[StockCount]
) -> SeenReceipt | None:
    """Claim `reference` for `counts`: None when this is its first time. The same
    reference with other contents is a mistake (a reused number), refused."""
    digest = content_digest(counts)
    inserted = session.execute(
        insert_unless_present(session, StockReceipt, ["reference"])
        .values(
            reference=reference,
            digest=digest,
            units=sum(c.quantity for c in counts),
            lines=len(counts),
            username=actor.username,
            station=actor.station,
            received_at=utcnow(),
        )
        .returning(StockReceipt.id)
    ).first()
    if inserted is not None:
        return None
    earlier = session.scalars(select(StockReceipt).where(StockReceipt.reference == reference)).one()
    seen = SeenReceipt(
        reference, earlier.received_at, earlier.units, earlier.username, earlier.station
    )
    if earlier.digest != digest:
        where = counts[0].source or reference
        raise ValidationFailed(
            f"{where}: receipt {reference} was already received on "
            f"{seen.received_at:%Y-%m-%d %H:%M} UTC with other contents "
            f"({earlier.units} units on {earlier.lines} lines); nothing changed - "
            "check the reference"
        )
    return seen
