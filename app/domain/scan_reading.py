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

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from types import MappingProxyType

from app.domain.gs1 import GS, PARENTHESISED_AI, Gs1Error, parse_element_string
from app.domain.gtin import SSCC_LENGTH, gs1_check_digit, is_valid_gtin, to_gtin14

MAX_SCAN_LENGTH = 256
MAX_PRODUCT_CODE_LENGTH = 64
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
_BARE_ELEMENT_STRING = re.compile(r"0[12][0-9]{14}|00[0-9]{18}")


def _route(base: Reading, data: str, today: date) -> Reading:
    if base.symbology in _GS1_SYMBOLOGIES:
        return _read_gs1(base, data, today)
    if document := _DOCUMENT.fullmatch(data):
        return _read_document(base, document.group(1), document.group(2))
    digits = _is_digits(data)
    if digits and len(data) in {8, 12, 13, 14, SSCC_LENGTH}:
        return _read_digits(base, data)
    if PARENTHESISED_AI.match(data) or GS in data or "<GS>" in data:
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


def _read_gs1(base: Reading, data: str, today: date) -> Reading:
    try:
        parsed = parse_element_string(data, today)
    except Gs1Error as exc:
        raise _Refused(str(exc)) from None
    return replace(
        base,
        kind=ScanKind.GS1,
        ai=parsed.ai,
        gtin14=parsed.gtin14,
        quantity=parsed.quantity,
        expiry=parsed.expiry,
        expired=parsed.expired,
        batch=parsed.batch,
        serial=parsed.serial,
        sscc=parsed.sscc,
        warning=parsed.warning,
    )
