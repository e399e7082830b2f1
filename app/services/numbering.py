"""Human-facing numbers (orders, pick lists, returns, SSCC serials) from named counters."""

from __future__ import annotations

from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session

from app.errors import NotFound
from db.base import table_of
from db.models import Sequence

_SEQUENCES = table_of(Sequence)
# Built once: this runs for every order, parcel and pick list.
_TAKE = (
    update(_SEQUENCES)
    .where(_SEQUENCES.c.name == bindparam("seq_name"))
    .values(next_value=_SEQUENCES.c.next_value + bindparam("count"))
    .returning(_SEQUENCES.c.next_value)
)


def take_numbers(session: Session, name: str, count: int = 1) -> range:
    """Reserve `count` consecutive values; the row lock is held until commit."""
    after = session.connection().execute(_TAKE, {"seq_name": name, "count": count}).scalar()
    if after is None:
        raise NotFound(f"number sequence {name!r} is missing; run migrate")
    return range(after - count, after)


def pick_list_number(value: int) -> str:
    return f"PL-{value:06d}"
