"""Carrier adapters. The built-in "own fleet / manual" carrier issues tracking numbers
in the UPU S10 shape (two letters, eight digits, a mod-11 check digit, country) so a
mistyped number is caught; real carriers plug in behind the same protocol."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)


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
    total = sum(int(d) * w for d, w in zip(digits, S10_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: 0, 11: 5}.get(check, check)


def s10_number(serial: int, prefix: str = "SS", country: str = "GB") -> str:
    digits = f"{serial % 10**8:08d}"
    return f"{prefix}{digits}{s10_check_digit(digits)}{country}"


def is_valid_s10(number: str) -> bool:
    if len(number) != 13 or not number[2:11].isdigit():
        return False
    return s10_check_digit(number[2:10]) == int(number[10])


class OwnFleetCarrier:
    """Manual / own-fleet delivery: tracking numbers issued locally."""

    code = "own"

    def __init__(self, country: str = "GB") -> None:
        self.country = country

    def book(self, request: BookingRequest, serials: range) -> Booking:
        numbers = tuple(s10_number(serial, country=self.country) for serial in serials)
        return Booking(tracking_number=numbers[0], package_tracking=numbers)


CARRIERS: dict[str, Carrier] = {"own": OwnFleetCarrier()}
