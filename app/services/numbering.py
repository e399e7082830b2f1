"""Human-facing numbers (orders, pick lists, returns, SSCC serials) from named counters."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from app.errors import NotFound
from db.models import Sequence


def take_numbers(session: Session, name: str, count: int = 1) -> range:
    """Reserve `count` consecutive values; the row lock is held until commit."""
    stmt = (
        update(Sequence)
        .where(Sequence.name == name)
        .values(next_value=Sequence.next_value + count)
        .returning(Sequence.next_value)
    )
    after = session.execute(stmt).scalar_one_or_none()
    if after is None:
        raise NotFound(f"number sequence {name!r} is missing; run migrate")
    return range(after - count, after)


def order_number(value: int) -> str:
    return f"SO-{value}"


def pick_list_number(value: int) -> str:
    return f"PL-{value:06d}"


def return_number(value: int) -> str:
    return f"RMA-{value:06d}"
