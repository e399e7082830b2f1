"""Carrier tracking numbers: a serial from the carrier's range, a check digit, affixes.

A carrier hands the site a range of serials and names the check-digit scheme its
scanners verify; a number with the wrong check digit is refused at the depot, so the
scheme must match the carrier's exactly. The schemes:

- ``s10``: UPU S10 (international post). Two-letter service indicator, 8 serial
  digits, check digit, the issuing country's ISO 3166-1 alpha-2 code. Weights
  8 6 4 2 3 5 9 7 left to right, check = 11 - sum % 11, with 10 -> 0 and 11 -> 5
  (UPU standard S10; worked example 47312482 -> 9 on Wikipedia's "S10 (UPU standard)").
- ``mod10``: GS1 mod 10, weights 3 1 3 1 ... from the rightmost digit, check = -sum % 10
  (GS1 General Specifications; also the check of USPS IMpb and SSCC-based numbers).
- ``mod11``: weights 2 3 4 5 6 7 repeating from the rightmost digit, check =
  11 - sum % 11, with both 10 and 11 -> 0. Because two remainders share the digit 0,
  it misses some single-digit errors that pure mod 11 would catch; use it only when
  the carrier's spec says exactly this.
- ``mod7``: check = the serial, read as one number, mod 7 (IATA air waybill serials,
  e.g. 1234567 -> 5; DHL Express waybill numbers are checked the same way).
- ``none``: no check digit; the serial as issued.

The prefix and suffix are printed around the serial and its check digit and are not
covered by it.
"""

from __future__ import annotations

import re
from enum import StrEnum

from app.domain.gtin import gs1_check_digit
from app.imports.codes import COUNTRIES

S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
S10_WIDTH = len(S10_WEIGHTS)
MAX_WIDTH = 20
MAX_AFFIX_LENGTH = 8
_MOD11_WEIGHTS = (2, 3, 4, 5, 6, 7)
_TWO_LETTERS = re.compile(r"[A-Z]{2}")
_AFFIX = re.compile(r"[A-Z0-9]*")


class TrackingScheme(StrEnum):
    S10 = "s10"
    MOD10 = "mod10"
    MOD11 = "mod11"
    MOD7 = "mod7"
    NONE = "none"


def _is_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _s10(digits: str) -> int:
    total = sum(int(d) * w for d, w in zip(digits, S10_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: 0, 11: 5}.get(check, check)


def _mod11(digits: str) -> int:
    total = sum(
        int(d) * _MOD11_WEIGHTS[i % len(_MOD11_WEIGHTS)] for i, d in enumerate(reversed(digits))
    )
    check = 11 - total % 11
    return 0 if check >= 10 else check


def check_digit(scheme: TrackingScheme, digits: str) -> str:
    """The check digit `scheme` appends to the serial `digits` ("" for ``none``).

    Raises ValueError unless `digits` are ASCII digits (exactly 8 for ``s10``).
    """
    if not _is_digits(digits):
        raise ValueError(f"a serial is digits 0-9, not {digits!r}")
    match scheme:
        case TrackingScheme.S10:
            if len(digits) != S10_WIDTH:
                raise ValueError(f"an S10 serial is {S10_WIDTH} digits, not {digits!r}")
            return str(_s10(digits))
        case TrackingScheme.MOD10:
            return str(gs1_check_digit(digits))
        case TrackingScheme.MOD11:
            return str(_mod11(digits))
        case TrackingScheme.MOD7:
            return str(int(digits) % 7)
        case TrackingScheme.NONE:
            return ""


def _width_problem(scheme: TrackingScheme, width: int) -> str | None:
    if scheme is TrackingScheme.S10 and width != S10_WIDTH:
        return f"An S10 number has {S10_WIDTH} serial digits, not {width}."
    if not 1 <= width <= MAX_WIDTH:
        return f"The serial width must be 1 to {MAX_WIDTH} digits, not {width}."
    return None


def _require_width(scheme: TrackingScheme, width: int) -> None:
    problem = _width_problem(scheme, width)
    if problem:
        raise ValueError(problem)


def make_tracking_number(
    scheme: TrackingScheme, serial: int, *, prefix: str = "", suffix: str = "", width: int
) -> str:
    """`prefix`, `serial` zero-padded to `width` digits, its check digit, `suffix`.

    The affixes are printed as given: `validate_scheme_fields` checks them once, when
    the carrier is set up, not on every parcel. Raises ValueError when the width is
    wrong for the scheme or the serial does not fit in it.
    """
    _require_width(scheme, width)
    if not 0 <= serial < 10**width:
        raise ValueError(f"serial {serial} does not fit in {width} digits")
    digits = f"{serial:0{width}d}"
    return f"{prefix}{digits}{check_digit(scheme, digits)}{suffix}"


def is_valid_tracking_number(
    scheme: TrackingScheme, number: str, *, prefix: str, suffix: str, width: int
) -> bool:
    """True when `number` is exactly what `make_tracking_number` gives for some serial
    with these settings: the affixes, `width` digits and their check digit."""
    _require_width(scheme, width)
    check_length = 0 if scheme is TrackingScheme.NONE else 1
    body = number[len(prefix) : len(number) - len(suffix)]
    if (
        len(number) != len(prefix) + width + check_length + len(suffix)
        or not number.startswith(prefix)
        or not number.endswith(suffix)
        or not _is_digits(body)
    ):
        return False
    return check_digit(scheme, body[:width]) == body[width:]


def validate_scheme_fields(
    scheme: TrackingScheme,
    prefix: str,
    suffix: str,
    width: int,
    range_start: int,
    range_end: int,
) -> list[str]:
    """Every problem with a carrier's tracking set-up, one sentence each; [] when sound.

    Affixes are capital letters and digits only, so the number reads the same on any
    scanner and in any font; for S10 they are the service indicator and the country.
    """
    problems: list[str] = []
    width_problem = _width_problem(scheme, width)
    if width_problem:
        problems.append(width_problem)
    if scheme is TrackingScheme.S10:
        if not _TWO_LETTERS.fullmatch(prefix):
            problems.append(
                f"An S10 prefix is the two-letter service indicator (A-Z), not {prefix!r}."
            )
        if not (_TWO_LETTERS.fullmatch(suffix) and suffix in COUNTRIES):
            problems.append(
                f"An S10 suffix is the issuing country's two-letter ISO code, not {suffix!r}."
            )
    else:
        for name, affix in (("prefix", prefix), ("suffix", suffix)):
            if len(affix) > MAX_AFFIX_LENGTH or not _AFFIX.fullmatch(affix):
                problems.append(
                    f"The {name} may hold up to {MAX_AFFIX_LENGTH} capital letters A-Z and"
                    f" digits, not {affix!r}."
                )
    for name, value in (("start", range_start), ("end", range_end)):
        if value < 0:
            problems.append(f"The range {name} must be 0 or more, not {value}.")
        elif width_problem is None and value >= 10**width:
            problems.append(
                f"The range {name} {value} does not fit in {width} digits"
                f" (the largest is {10**width - 1})."
            )
    if range_start > range_end:
        problems.append(f"The range ends at {range_end}, before its start {range_start}.")
    return problems


def next_in_range(next_value: int, range_end: int, count: int) -> range:
    """The `count` serials from `next_value` on, all within a range ending at `range_end`.

    Raises ValueError, with a sentence for the supervisor, when the range cannot supply
    them all: a carrier refuses numbers from outside the range it issued.
    """
    if count < 1:
        raise ValueError(f"count must be at least 1, not {count}")
    last = next_value + count - 1
    if last > range_end:
        left = max(range_end - next_value + 1, 0)
        raise ValueError(
            f"tracking number range exhausted: {count} needed from {next_value}, but the"
            f" last number is {range_end} ({left} left) - ask the carrier for a new range"
        )
    return range(next_value, last + 1)
