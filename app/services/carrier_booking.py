"""Tracking numbers from the carrier's own range, for the service the order ships with.

The service is the active carrier service for the order's service level (the default
service first when several carriers offer that level), else the default service.
Numbers are taken with one conditional UPDATE ... RETURNING on the carrier row, which
also chooses the carrier: it locks the row until commit (two stations never get the
same number) and takes nothing when the range cannot supply them all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, Update, bindparam, case, or_, select, update
from sqlalchemy.orm import Session

from app.domain.tracking_numbers import TrackingScheme, make_tracking_number, next_in_range
from app.errors import ConcurrencyConflict, ValidationFailed
from app.services.site_readiness import SetupIncomplete, packing_problems
from db.base import table_of
from db.models import Carrier, CarrierService

_CARRIERS = table_of(Carrier)
_SERVICES = table_of(CarrierService)
NO_CARRIER = (
    "no carrier service is set up for {level!r} orders and none is the default - "
    "add a carrier in Settings > Carriers (or `settings import FILE`)"
)
# Built once: these run for every parcel.
_LEVEL_FIRST = (
    case((_SERVICES.c.service_level == bindparam("level"), 0), else_=1),
    _SERVICES.c.is_default.desc(),
    _SERVICES.c.id,
)
_FOR_LEVEL = or_(_SERVICES.c.service_level == bindparam("level"), _SERVICES.c.is_default)
_SERVICE_FOR_LEVEL = (
    select(_SERVICES.c.code, _CARRIERS.c.id, _CARRIERS.c.code.label("carrier_code"))
    .join(_CARRIERS, _CARRIERS.c.id == _SERVICES.c.carrier_id)
    .where(_CARRIERS.c.active, _FOR_LEVEL)
    .order_by(*_LEVEL_FIRST)
    .limit(1)
)
_TAKEN = (
    _CARRIERS.c.next_value,
    _CARRIERS.c.tracking_scheme,
    _CARRIERS.c.tracking_prefix,
    _CARRIERS.c.tracking_suffix,
    _CARRIERS.c.tracking_width,
    _CARRIERS.c.code,
    _CARRIERS.c.name,
    _CARRIERS.c.tracking_url,
)


def _take(carrier: Any) -> Update:
    return (
        update(_CARRIERS)
        .where(
            _CARRIERS.c.id == carrier,
            _CARRIERS.c.next_value + bindparam("count") - 1 <= _CARRIERS.c.range_end,
        )
        .values(next_value=_CARRIERS.c.next_value + bindparam("count"))
    )


_TAKE = _take(bindparam("carrier_id")).returning(*_TAKEN)
# The carrier chosen and its numbers taken in one statement (a round trip less per
# parcel); the service is the carrier's own best for the level, the one that chose it.
_CHOSEN = _CARRIERS.alias("chosen")
_BOOK = _take(
    select(_CHOSEN.c.id)
    .join(_SERVICES, _SERVICES.c.carrier_id == _CHOSEN.c.id)
    .where(_CHOSEN.c.active, _FOR_LEVEL)
    .order_by(*_LEVEL_FIRST)
    .limit(1)
    .scalar_subquery()
).returning(
    *_TAKEN,
    select(_SERVICES.c.code)
    .where(_SERVICES.c.carrier_id == _CARRIERS.c.id, _FOR_LEVEL)
    .order_by(*_LEVEL_FIRST)
    .limit(1)
    .scalar_subquery()
    .label("service"),
)
_RANGE = select(_CARRIERS.c.name, _CARRIERS.c.next_value, _CARRIERS.c.range_end).where(
    _CARRIERS.c.id == bindparam("carrier_id")
)


@dataclass(frozen=True)
class Booking:
    carrier: str  # its code
    service: str
    numbers: tuple[str, ...]  # one per package
    carrier_name: str
    tracking_url: str  # the carrier's template, {tracking} for the number


def book_tracking_numbers(session: Session, service_level: str, count: int) -> Booking:
    """`count` tracking numbers for an order of `service_level`; ValidationFailed, with
    what to do, when no carrier is set up or its range is used up."""
    taken = session.connection().execute(_BOOK, {"level": service_level, "count": count}).first()
    if taken is None:  # say why, or take them now that a racing change has committed
        return _book_step_by_step(session, service_level, count)
    return _booking(taken, taken.service, count)


def _book_step_by_step(session: Session, service_level: str, count: int) -> Booking:
    conn = session.connection()
    service = conn.execute(_SERVICE_FOR_LEVEL, {"level": service_level}).first()
    if service is None:
        raise SetupIncomplete(
            "this site is not set up for packing yet",
            packing_problems(session) or [NO_CARRIER.format(level=service_level)],
        )
    taken = conn.execute(_TAKE, {"carrier_id": service.id, "count": count}).first()
    if taken is None:
        name, next_value, end = conn.execute(_RANGE, {"carrier_id": service.id}).one()
        try:
            next_in_range(next_value, end, count)
        except ValueError as exc:
            raise ValidationFailed(
                f"{name}: {exc}; enter it in Settings > Carriers - nothing was packed or printed"
            ) from None
        raise ConcurrencyConflict(f"{name}'s number range was changed just now - try again")
    return _booking(taken, service.code, count)


def _booking(taken: Row[Any], service: str, count: int) -> Booking:
    """The numbers `taken` (a row of `_TAKEN`) hands out: the last `count` before next_value."""
    scheme = TrackingScheme(taken.tracking_scheme)
    numbers = tuple(
        make_tracking_number(
            scheme,
            serial,
            prefix=taken.tracking_prefix,
            suffix=taken.tracking_suffix,
            width=taken.tracking_width,
        )
        for serial in range(taken.next_value - count, taken.next_value)
    )
    return Booking(taken.code, service, numbers, taken.name, taken.tracking_url)
