"""Read one scan from a station's single scan field: what it is, or why it can't be used.

`read_scan` never raises. An unusable scan becomes a `Reading` of kind EMPTY or INVALID
whose `error` is one line the packer can act on. The order of the checks:

1. Surrounding spaces, CR, LF and Tab are stripped; more than 256 characters is refused.
2. NFKC folds full-width digits; Arabic-Indic digits (what an Arabic or Persian keyboard
   layout types on the digit row) become ASCII; any other non-ASCII digit, and any
   control or invisible character except GS (ASCII 29, FNC1), is refused - never
   silently stripped, since the scanner or the keyboard layout is misconfigured.
3. A known AIM symbology prefix (`]C1`, `]E0`, ...) is stripped; an unknown one refused.
4. AZERTY digit-row characters where digits belong mean a keyboard layout mismatch.
5. Routing: GS1 symbology -> element string; `O:` `P:` `L:` `T:` `B:` `R:` `U:` ->
   document; 8/12/13/14 digits -> GTIN; 18 digits -> SSCC; `(01)...`, GS, `<GS>`
   or a bare `01`/`02`/`00` element string -> GS1; 9-11 or 15-17 digits -> incomplete;
   any other text up to 64 characters -> product code (an internal SKU barcode).
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import MAXYEAR, MINYEAR, date
from enum import StrEnum
from types import MappingProxyType

from app.domain.gtin import SSCC_LENGTH, gs1_check_digit, is_valid_gtin, to_gtin14

MAX_SCAN_LENGTH = 256
MAX_PRODUCT_CODE_LENGTH = 64
GS = "\x1d"
NOTHING_SCANNED = "Nothing scanned - scan the item barcode"
LAYOUT_MISMATCH = "Keyboard layout mismatch - set scanner and OS to the same layout"


class ScanKind(StrEnum):
    PRODUCT_GTIN = "product_gtin"
    PRODUCT_CODE = "product_code"
    GS1 = "gs1"
    DOCUMENT = "document"
    EMPTY = "empty"
    INVALID = "invalid"


class DocType(StrEnum):
    ORDER = "order"
    PICK_LIST = "pick_list"
    LOCATION = "location"
    TOTE = "tote"
    BOX = "box"
    RETURN = "return"
    USER = "user"


DOC_PREFIXES: Mapping[str, DocType] = MappingProxyType(
    {"O": DocType.ORDER, "P": DocType.PICK_LIST, "L": DocType.LOCATION, "T": DocType.TOTE,
     "B": DocType.BOX, "R": DocType.RETURN, "U": DocType.USER}
)  # fmt: skip
_DOC_LABELS = {
    DocType.ORDER: "Order", DocType.PICK_LIST: "Pick list", DocType.LOCATION: "Location",
    DocType.TOTE: "Tote", DocType.BOX: "Box type", DocType.RETURN: "Return",
    DocType.USER: "User badge",
}  # fmt: skip


@dataclass(frozen=True)
class Reading:
    """What one scan was read as. `error` is set exactly when kind is EMPTY or INVALID.

    `text` is the normalised barcode data without its AIM prefix ("" when refused);
    `ai` maps GS1 application identifiers to their values; `warning` flags a usable
    scan the packing service must judge (an expired lot).
    """

    kind: ScanKind
    raw: str
    text: str = ""
    symbology: str | None = None
    gtin14: str | None = None
    doc_type: DocType | None = None
    doc_value: str | None = None
    ai: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    quantity: int = 1
    expiry: date | None = None
    expired: bool = False
    batch: str | None = None
    serial: str | None = None
    sscc: str | None = None
    error: str | None = None
    warning: str | None = None


class _Refused(Exception):
    """Internal: the scan cannot be used; the message is for the packer."""


def read_scan(raw: str, *, today: date | None = None) -> Reading:
    """Read `raw` as typed by the scanner; `today` (default: the clock) judges expiry."""
    text = raw.strip(" \t\r\n")
    if not text:
        return Reading(ScanKind.EMPTY, raw, error=NOTHING_SCANNED)
    try:
        return _read(raw, text, date.today() if today is None else today)
    except _Refused as refused:
        return Reading(ScanKind.INVALID, raw, error=str(refused))


def describe(reading: Reading) -> str:
    """A short human text for a reading, e.g. "GTIN 09506000134352" or "Order SO-100001"."""
    if reading.error is not None:
        return reading.error
    if reading.kind is ScanKind.PRODUCT_GTIN:
        return f"GTIN {reading.gtin14}"
    if reading.kind is ScanKind.DOCUMENT and reading.doc_type is not None:
        return f"{_DOC_LABELS[reading.doc_type]} {reading.doc_value}"
    if reading.kind is ScanKind.GS1:
        return _describe_gs1(reading)
    return f"Code {reading.text}"


def _describe_gs1(reading: Reading) -> str:
    parts = [
        f"SSCC {reading.sscc}" if reading.sscc else "",
        f"GTIN {reading.gtin14}" if reading.gtin14 else "",
        f"qty {reading.quantity}" if reading.quantity != 1 else "",
        f"lot {reading.batch}" if reading.batch else "",
        f"serial {reading.serial}" if reading.serial else "",
        f"expiry {reading.expiry.isoformat()}" if reading.expiry else "",
    ]
    shown = ", ".join(part for part in parts if part)
    return shown or "GS1 " + "".join(f"({ai}){value}" for ai, value in reading.ai.items())


# --- normalising ------------------------------------------------------------------------

_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
_AZERTY_DIGIT_ROW = frozenset("&é\"'(-è_çà")
_GS1_SYMBOLOGIES = frozenset({"]C1", "]d2", "]Q3", "]e0"})  # FNC1 first: GS1 data
_PLAIN_SYMBOLOGIES = frozenset({"]A0", "]C0", "]E0", "]E4", "]I0", "]I1", "]d1", "]Q1"})


def _read(raw: str, text: str, today: date) -> Reading:
    if len(text) > MAX_SCAN_LENGTH:
        raise _Refused(f"Scan too long (max {MAX_SCAN_LENGTH})")
    text = _normalise(text)
    if len(text) > MAX_SCAN_LENGTH:  # NFKC can expand a character into several
        raise _Refused(f"Scan too long (max {MAX_SCAN_LENGTH})")
    symbology, data = _split_symbology(text)
    if not data.strip(GS):
        raise _Refused("Barcode has no data - rescan")
    if _typed_on_azerty(data):
        raise _Refused(LAYOUT_MISMATCH)
    return _route(Reading(ScanKind.PRODUCT_CODE, raw, data, symbology), data, today)


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_ARABIC_DIGITS)
    for char in text:
        if char.isdecimal() and not char.isascii():
            raise _Refused("Non-ASCII digits in barcode")
        if char == GS or char.isprintable():
            continue
        if unicodedata.category(char) == "Cc":
            raise _Refused(f"Barcode contains control character 0x{ord(char):02X}")
        raise _Refused(f"Barcode contains invisible character U+{ord(char):04X}")
    return text


def _split_symbology(text: str) -> tuple[str | None, str]:
    if not text.startswith("]"):
        return None, text
    prefix = text[:3]
    if prefix not in _GS1_SYMBOLOGIES | _PLAIN_SYMBOLOGIES:
        raise _Refused(f"Unsupported barcode type {prefix}")
    return prefix, text[3:]


def _typed_on_azerty(data: str) -> bool:
    """Digits sent as keys and read by an AZERTY layout: `&é"'(-è_çà` and no digits."""
    row_chars = sum(char in _AZERTY_DIGIT_ROW for char in data)
    has_digit = any("0" <= char <= "9" for char in data)
    return row_chars >= 4 and 2 * row_chars >= len(data) and not has_digit


# --- routing ----------------------------------------------------------------------------

_DOCUMENT = re.compile(r"([OPLTBRU]):([^\x1d]*)", re.IGNORECASE)
_PARENTHESISED_AI = re.compile(r"\(([0-9]{2,4})\)")
_BARE_ELEMENT_STRING = re.compile(r"0[12][0-9]{14}|00[0-9]{18}")


def _route(base: Reading, data: str, today: date) -> Reading:
    if base.symbology in _GS1_SYMBOLOGIES:
        return _read_gs1(base, data, today)
    if document := _DOCUMENT.fullmatch(data):
        return _read_document(base, document.group(1), document.group(2))
    digits = _is_digits(data)
    if digits and len(data) in {8, 12, 13, 14, SSCC_LENGTH}:
        return _read_digits(base, data)
    if _PARENTHESISED_AI.match(data) or GS in data or "<GS>" in data:
        return _read_gs1(base, data, today)
    if _BARE_ELEMENT_STRING.match(data):
        return _read_gs1(base, data, today)
    if digits and 9 <= len(data) <= 11:
        raise _Refused(f"Incomplete barcode ({len(data)} of 13 digits)")
    if digits and 15 <= len(data) <= 17:
        raise _Refused(f"Incomplete barcode ({len(data)} of {SSCC_LENGTH} digits)")
    if len(data) > MAX_PRODUCT_CODE_LENGTH:
        raise _Refused(f"Unrecognised barcode ({len(data)} characters)")
    return base


def _read_document(base: Reading, prefix: str, value: str) -> Reading:
    doc_type = DOC_PREFIXES[prefix.upper()]
    value = value.strip()
    if not value:
        raise _Refused(f"{_DOC_LABELS[doc_type]} barcode has no number - rescan")
    return replace(base, kind=ScanKind.DOCUMENT, doc_type=doc_type, doc_value=value)


def _read_digits(base: Reading, data: str) -> Reading:
    if len(data) == 12 and not is_valid_gtin(data):
        # Scanners verify check digits, so a failing 12-digit code lost its 13th digit.
        raise _Refused("Incomplete barcode (12 of 13 digits)")
    _require_check_digit(data)
    if len(data) == SSCC_LENGTH:
        return replace(base, kind=ScanKind.GS1, ai=MappingProxyType({"00": data}), sscc=data)
    return replace(base, kind=ScanKind.PRODUCT_GTIN, gtin14=to_gtin14(data))


def _is_digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _require_check_digit(code: str) -> None:
    expected = gs1_check_digit(code[:-1])
    if int(code[-1]) != expected:
        raise _Refused(f"Check digit wrong (expected {expected}) - rescan")


# --- GS1 element strings ----------------------------------------------------------------


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


def _read_gs1(base: Reading, data: str, today: date) -> Reading:
    data = data.replace("<GS>", GS).replace("#", GS).lstrip(GS)
    elements = (
        _split_parenthesised(data) if _PARENTHESISED_AI.match(data) else _split_element_string(data)
    )
    ai: dict[str, str] = {}
    for code, value in elements:
        _check_value(code, value)
        if code in ai:
            raise _Refused(f"GS1 malformed: AI {code} appears twice")
        ai[code] = value
    for code in ("00", "01", "02"):
        if code in ai:
            _require_check_digit(ai[code])
    dates = {code: _gs1_date(value, today) for code, value in ai.items() if code in _DATE_AIS}
    count = ai.get("30", ai.get("37"))
    if count is not None and int(count) == 0:
        raise _Refused("GS1 malformed: count is zero")
    expiry = dates.get("17")
    expired = expiry is not None and expiry < today
    warning = f"Lot expired {expiry} - do not ship" if expired else None
    return replace(
        base,
        kind=ScanKind.GS1,
        ai=MappingProxyType(ai),
        gtin14=ai.get("01", ai.get("02")),
        quantity=1 if count is None else int(count),
        expiry=expiry,
        expired=expired,
        batch=ai.get("10"),
        serial=ai.get("21"),
        sscc=ai.get("00"),
        warning=warning,
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
    parts = _PARENTHESISED_AI.split(data.replace(GS, ""))
    for code, value in zip(parts[1::2], parts[2::2], strict=True):
        if _find_ai(code, 0) != code:
            raise _Refused(f"GS1 malformed: unknown AI ({code})")
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
            raise _Refused(f"GS1 malformed: unknown AI at '{shown}'")
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
        raise _Refused(f"GS1 malformed: {label} must be {spec.length} digits")
    if not value:
        raise _Refused(f"GS1 malformed: {label} is empty")
    if len(value) > spec.length:
        raise _Refused(f"GS1 malformed: {label} too long / missing separator")
    if spec.numeric and not _is_digits(value):
        raise _Refused(f"GS1 malformed: {label} must be digits")
    if not _CSET_82.fullmatch(value):
        raise _Refused(f"GS1 malformed: {label} has a character GS1 does not allow")


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
        raise _Refused(f"Invalid GS1 date {value}")
    last_day = calendar.monthrange(year, month)[1]
    if day > last_day:
        raise _Refused(f"Invalid GS1 date {value}")
    return date(year, month, day or last_day)
