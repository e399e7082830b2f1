"""Which box an order should go in, and what the parcel should then weigh.

The station asks once per order: the order's unpacked units with their products'
sizes and weights, against the active box types (app.domain.box_fit decides).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.box_fit import Box, BoxSuggestion, PackItem, expected_weight_g, suggest_box
from db.engine import Database
from db.models import BoxType, OrderLine, Product
from db.uow import read

NOTHING_TO_PACK = "nothing left to pack"


@dataclass(frozen=True)
class BoxAdvice:
    """The suggested box, and the weights a packer can check the parcel against."""

    suggestion: BoxSuggestion
    items: tuple[PackItem, ...]
    tares: dict[str, int]  # box code -> its own weight in g

    def expected_g(self, box_code: str) -> int | None:
        """Products plus `box_code`'s tare, or None when a product's weight is unknown."""
        return expected_weight_g(self.items, self.tares.get(box_code, 0))

    def known_g(self, box_code: str) -> int:
        """Products whose weight is known, plus the tare: the least the parcel weighs."""
        return self.tares.get(box_code, 0) + sum(
            (item.weight_g or 0) * item.quantity for item in self.items
        )


def _items(session: Session, order_id: int) -> tuple[PackItem, ...]:
    open_units = func.sum(OrderLine.qty_allocated - OrderLine.qty_packed)
    rows = session.execute(
        select(
            OrderLine.sku,
            func.min(OrderLine.name),
            open_units,
            Product.weight_g,
            Product.length_mm,
            Product.width_mm,
            Product.height_mm,
        )
        .outerjoin(Product, Product.id == OrderLine.product_id)
        .where(OrderLine.order_id == order_id)
        .group_by(
            OrderLine.sku, Product.weight_g, Product.length_mm, Product.width_mm, Product.height_mm
        )
        .having(open_units > 0)
        .order_by(OrderLine.sku)
    ).all()
    return tuple(PackItem(*row) for row in rows)


def _boxes(session: Session) -> list[Box]:
    rows = session.execute(
        select(
            BoxType.code,
            BoxType.length_mm,
            BoxType.width_mm,
            BoxType.height_mm,
            BoxType.tare_g,
            BoxType.max_weight_g,
        ).where(BoxType.active.is_(True))
    ).all()
    return [Box(*row) for row in rows]


def advise_box(db: Database, order_id: int) -> BoxAdvice:
    """The smallest active box the order's unpacked units fit, or why none does."""

    def work(session: Session) -> BoxAdvice:
        items, boxes = _items(session, order_id), _boxes(session)
        suggestion = suggest_box(items, boxes) if items else BoxSuggestion(None, NOTHING_TO_PACK)
        return BoxAdvice(suggestion, items, {box.code: box.tare_g for box in boxes})

    return read(db, work)
