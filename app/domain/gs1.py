"""GS1 element strings: application identifiers, their lengths and checks.

Pure, no I/O. `parse_element_string` reads AIs written with parentheses or with FNC1
separators, checks every value against its AI's rules (fixed or variable length,
digits, GS1's character set, check digits, YYMMDD dates with GS1's century window)
and raises `Gs1Error` with one line a packer can act on.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date
from types import MappingProxyType

from app.domain.gtin import gs1_check_digit

GS = "\x1d"
PARENTHESISED_AI = re.compile(r"\(([0-9]{2,4})\)")


class Gs1Error(Exception):
    """The element string is malformed; the message says how."""


def _is_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


@dataclass(frozen=True)
class _AiSpec:
    name: str
    ai_length: int
    length: int  # exact when fixed (always digits), else the maximum
    fixed: bool = False
    numeric: bool = False


def _fixed(name: str, length: int, ai_length: int = 2) -> _AiSpec:
    return _AiSpec(name, ai_length, length, fixed=True, numeric=True)


_DATE_AIS = frozenset({"11", "12", "13", "15", "16", "17"})
# Keyed by the first 2 or 3 digits of the AI; no 2-digit key prefixes a 3-digit one.
_AI_SPECS: Mapping[str, _AiSpec] = MappingProxyType(
    {
        "00": _fixed("SSCC", 18),
        "01": _fixed("GTIN", 14),
        "02": _fixed("content GTIN", 14),
        "10": _AiSpec("lot", 2, 20),
        "11": _fixed("production date", 6),
        "12": _fixed("due date", 6),
        "13": _fixed("packaging date", 6),
        "15": _fixed("best before date", 6),
        "16": _fixed("sell by date", 6),
        "17": _fixed("expiry date", 6),
        "20": _fixed("variant", 2),
        "21": _AiSpec("serial", 2, 20),
        "22": _AiSpec("consumer product variant", 2, 20),
        "240": _AiSpec("additional product ID", 3, 30),
        "241": _AiSpec("customer part number", 3, 30),
        "250": _AiSpec("secondary serial", 3, 30),
        "251": _AiSpec("reference to source", 3, 30),
        "254": _AiSpec("GLN extension", 3, 20),
        "30": _AiSpec("count", 2, 8, numeric=True),
        **{str(group): _fixed("measure", 6, ai_length=4) for group in range(31, 37)},
        "37": _AiSpec("count", 2, 8, numeric=True),
        "390": _AiSpec("amount", 4, 15, numeric=True),
        "391": _AiSpec("amount with currency", 4, 18, numeric=True),
        "392": _AiSpec("price", 4, 15, numeric=True),
        "393": _AiSpec("price with currency", 4, 18, numeric=True),
        "400": _AiSpec("customer order number", 3, 30),
        "401": _AiSpec("consignment number", 3, 30),
        "402": _fixed("shipment ID", 17, ai_length=3),
        "403": _AiSpec("routing code", 3, 30),
        "41": _fixed("GLN", 13, ai_length=3),
        "420": _AiSpec("ship-to postcode", 3, 20),
        "421": _AiSpec("ship-to postcode with country", 3, 12),
        "422": _fixed("country of origin", 3, ai_length=3),
        "90": _AiSpec("internal", 2, 30),
        **{str(group): _AiSpec("internal", 2, 90) for group in range(91, 100)},
    }
)
_CSET_82 = re.compile(r"[!\"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*")  # GS1 AI encodable characters


@dataclass(frozen=True)
class Gs1Elements:
    """A GS1 element string, checked: the AIs and the fields a station acts on."""

    ai: Mapping[str, str]
    gtin14: str | None
    quantity: int
    expiry: date | None
    expired: bool
    batch: str | None
    serial: str | None
    sscc: str | None
    warning: str | None


def parse_element_string(data: str, today: date) -> Gs1Elements:
    """Parse AIs written with parentheses or FNC1 (GS, `<GS>` or `#` separators).

    Raises Gs1Error with a one-line message for the packer.
    """
    data = data.replace("<GS>", GS).replace("#", GS).lstrip(GS)
    elements = (
        _split_parenthesised(data) if PARENTHESISED_AI.match(data) else _split_element_string(data)
    )
    ai: dict[str, str] = {}
    for code, value in elements:
        _check_value(code, value)
        if code in ai:
            raise Gs1Error(f"GS1 malformed: AI {code} appears twice")
        ai[code] = value
    if not ai:
        raise Gs1Error("Barcode has no data - rescan")  # separators only
    for code in ("00", "01", "02"):
        if code in ai:
            expected = gs1_check_digit(ai[code][:-1])
            if int(ai[code][-1]) != expected:
                raise Gs1Error(f"Check digit wrong (expected {expected}) - rescan")
    dates = {code: _gs1_date(value, today) for code, value in ai.items() if code in _DATE_AIS}
    count = ai.get("30", ai.get("37"))
    if count is not None and int(count) == 0:
        raise Gs1Error("GS1 malformed: count is zero")
    expiry = dates.get("17")
    expired = expiry is not None and expiry < today
    return Gs1Elements(
        ai=MappingProxyType(ai),
        gtin14=ai.get("01", ai.get("02")),
        quantity=1 if count is None else int(count),
        expiry=expiry,
        expired=expired,
        batch=ai.get("10"),
        serial=ai.get("21"),
        sscc=ai.get("00"),
        warning=f"Lot expired {expiry} - do not ship" if expired else None,
    )


def _spec(code: str) -> _AiSpec:
    return _AI_SPECS.get(code[:2]) or _AI_SPECS[code[:3]]


def _find_ai(data: str, pos: int) -> str | None:
    """The known AI starting at `pos`, recognised by its first 2 or 3 digits."""
    for key_length in (2, 3):
        spec = _AI_SPECS.get(data[pos : pos + key_length])
        code = data[pos : pos + spec.ai_length] if spec else ""
        if spec and len(code) == spec.ai_length and _is_digits(code):
            return code
    return None


def _split_parenthesised(data: str) -> Iterator[tuple[str, str]]:
    """`(01)09506000134352(10)ABC`: AIs in parentheses, separators not needed."""
    parts = PARENTHESISED_AI.split(data.replace(GS, ""))
    for code, value in zip(parts[1::2], parts[2::2], strict=True):
        if _find_ai(code, 0) != code:
            raise Gs1Error(f"GS1 malformed: unknown AI ({code})")
        yield code, value


def _split_element_string(data: str) -> Iterator[tuple[str, str]]:
    """AIs followed by their data; a variable-length value ends at GS or the end."""
    pos = 0
    while pos < len(data):
        if data[pos] == GS:
            pos += 1
            continue
        code = _find_ai(data, pos)
        if code is None:
            shown = data[pos : pos + 4].split(GS)[0]
            raise Gs1Error(f"GS1 malformed: unknown AI at '{shown}'")
        spec = _spec(code)
        pos += len(code)
        if spec.fixed:
            end = pos + spec.length
        elif (end := data.find(GS, pos)) < 0:
            end = len(data)
        yield code, data[pos:end]
        pos = end


def _check_value(code: str, value: str) -> None:
    spec = _spec(code)
    label = f"{spec.name} (AI {code})"
    if spec.fixed and (len(value) != spec.length or not _is_digits(value)):
        raise Gs1Error(f"GS1 malformed: {label} must be {spec.length} digits")
    if not value:
        raise Gs1Error(f"GS1 malformed: {label} is empty")
    if len(value) > spec.length:
        raise Gs1Error(f"GS1 malformed: {label} too long / missing separator")
    if spec.numeric and not _is_digits(value):
        raise Gs1Error(f"GS1 malformed: {label} must be digits")
    if not _CSET_82.fullmatch(value):
        raise Gs1Error(f"GS1 malformed: {label} has a character GS1 does not allow")


def _gs1_date(value: str, today: date) -> date:
    """YYMMDD; DD 00 is the month's last day; the century by GS1's sliding window."""
    year_in_century, month, day = int(value[:2]), int(value[2:4]), int(value[4:])
    difference = year_in_century - today.year % 100
    century = today.year - today.year % 100
    if difference >= 51:
        century -= 100
    elif difference <= -50:
        century += 100
    year = century + year_in_century
    if not (MINYEAR <= year <= MAXYEAR and 1 <= month <= 12):
        raise Gs1Error(f"Invalid GS1 date {value}")
    last_day = calendar.monthrange(year, month)[1]
    if day > last_day:
        raise Gs1Error(f"Invalid GS1 date {value}")
    return date(year, month, day or last_day)
