"""Available to sell, per channel and SKU, for the feeds that keep shops from overselling.

Sellable stock is what lies in active pick and bulk locations and is not reserved
for an order; each channel holds back its safety buffer, and never shows less than 0.
Inactive products show 0 so that channels stop selling them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.allocation import RESERVABLE_KINDS
from app.errors import NotFound
from db.engine import Database
from db.models import Channel, Location, Product, StockLevel
from db.uow import read

SELLABLE_KINDS = RESERVABLE_KINDS  # what orders may reserve is what channels may sell


@dataclass(frozen=True)
class Availability:
    channel: str
    sku: str
    available: int


def available_to_sell(free: int, safety_buffer: int) -> int:
    """Free units less the channel's buffer, never below 0."""
    return max(0, free - safety_buffer)


def availability(db: Database, channel: str | None = None) -> list[Availability]:
    """Every product for `channel` (or every active channel), by channel then SKU."""

    def work(session: Session) -> list[Availability]:
        channels = _channels(session, channel)
        free = (
            select(
                StockLevel.product_id,
                func.sum(StockLevel.on_hand - StockLevel.reserved).label("free"),
            )
            .join(Location, Location.id == StockLevel.location_id)
            .where(Location.kind.in_(SELLABLE_KINDS), Location.active.is_(True))
            .group_by(StockLevel.product_id)
            .subquery()
        )
        products = session.execute(
            select(Product.sku, Product.active, func.coalesce(free.c.free, 0))
            .outerjoin(free, free.c.product_id == Product.id)
            .order_by(Product.sku)
        ).all()
        return [
            Availability(code, sku, available_to_sell(int(units), buffer) if active else 0)
            for code, buffer in channels
            for sku, active, units in products
        ]

    return read(db, work)


def _channels(session: Session, code: str | None) -> list[tuple[str, int]]:
    query = select(Channel.code, Channel.safety_buffer).order_by(Channel.code)
    if code is None:
        rows = session.execute(query.where(Channel.active.is_(True))).all()
        if not rows:
            raise NotFound("no active sales channels yet (importing orders creates them)")
        return list(rows)
    rows = session.execute(query.where(Channel.code == code)).all()
    if not rows:
        raise NotFound(f"no channel {code}")
    return list(rows)
