"""Carrier adapters. The built-in "own fleet / manual" carrier issues tracking numbers
in the UPU S10 shape (two letters, eight digits, a mod-11 check digit, country) so a
mistyped number is caught; real carriers plug in behind the same protocol."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from app.domain.tracking_numbers import (
    S10_WIDTH,
    TrackingScheme,
    check_digit,
    is_valid_tracking_number,
    make_tracking_number,
)


@dataclass(frozen=True)
class BookingRequest:
    order_number: str
    service_level: str
    country: str
    package_weights_g: tuple[int | None, ...]


@dataclass(frozen=True)
class Booking:
    tracking_number: str
    package_tracking: tuple[str, ...]


class Carrier(Protocol):
    code: str

    def book(self, request: BookingRequest, serials: range) -> Booking:
        """Book the shipment; `serials` are unique numbers reserved for this booking."""
        ...


def s10_check_digit(digits: str) -> int:
    return int(check_digit(TrackingScheme.S10, digits))


def s10_number(serial: int, prefix: str = "SS", country: str = "GB") -> str:
    """The S10 number for `serial`, wrapped into the 8 digits the format has room for."""
    return make_tracking_number(
        TrackingScheme.S10, serial % 10**S10_WIDTH, prefix=prefix, suffix=country, width=S10_WIDTH
    )


def is_valid_s10(number: str) -> bool:
    """Any 13 characters with 8 digits and their S10 check digit in the middle."""
    return len(number) == 13 and is_valid_tracking_number(
        TrackingScheme.S10, number, prefix=number[:2], suffix=number[11:], width=S10_WIDTH
    )


class OwnFleetCarrier:
    """Manual / own-fleet delivery: tracking numbers issued locally."""

    code = "own"

    def __init__(self, country: str = "GB") -> None:
        self.country = country

    def book(self, request: BookingRequest, serials: range) -> Booking:
        numbers = tuple(s10_number(serial, country=self.country) for serial in serials)
        return Booking(tracking_number=numbers[0], package_tracking=numbers)


CARRIERS: dict[str, Carrier] = {"own": OwnFleetCarrier()}
