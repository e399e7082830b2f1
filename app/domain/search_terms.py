"""How the service desk's search box reads what an agent typed.

Customers quote things the way they wrote them: a postcode without its space, a phone
number with or without `+44` and spaces, a SKU in lower case, an order number without
its `SO-`. The rule is the same on both sides: the stored value is indexed by
`search_key(value)` and what was typed is compared by `search_key(text)`, so case,
spaces, punctuation and `+` never decide whether an order is found.

Pure functions, no database: the search index (the queue's query side) keys its columns
with `search_key` / `phone_key` and looks up `SearchTerms`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from app.domain.gtin import is_valid_gtin, to_gtin14
from app.domain.site_settings import ORDER_NUMBER_PATTERN, format_order_number

DOCUMENT_PREFIX = "O:"  # printed on packing slips before the order number
DEFAULT_NUMBER_FORMAT = "SO-{n}"
_NUMBER_PART = re.compile(r"\{n(?::0(\d+)d)?\}")


def search_key(text: str) -> str:
    """Letters and digits only, compatibility-normalised and case-folded.

    "SW1A 1AA" and "sw1a1aa" -> "sw1a1aa"; "+44 (0)20 7946-0958" -> "4402079460958";
    "Müller" and "MÜLLER" -> "müller"; "ＡＢＣ" (full width) -> "abc".
    """
    normal = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in normal if ch.isalnum())


def phone_key(text: str) -> str:
    """A phone number's digits without the international or national prefix zeros.

    "+44 20 7946 0958", "0044 20 7946 0958" and "020 7946 0958" give "442079460958",
    "442079460958" and "2079460958": the national form is a suffix of the international
    one, so a substring match on the key finds either way of writing it.
    """
    digits = "".join(ch for ch in unicodedata.normalize("NFKC", text) if ch.isdigit())
    return digits.lstrip("0")


def order_number_for(text: str, number_format: str = DEFAULT_NUMBER_FORMAT) -> str | None:
    """The Shipshape order number `text` stands for, or None if it cannot be one.

    With the format "SO-{n}": "100001", "so100001", "SO 100001", "O:SO-100001" -> "SO-100001".
    """
    key = search_key(without_document_prefix(text))
    if not key or not ORDER_NUMBER_PATTERN.fullmatch(number_format):
        return None
    match = _NUMBER_PART.search(number_format)
    assert match is not None  # the pattern guarantees one {n}
    prefix = search_key(number_format[: match.start()])
    suffix = search_key(number_format[match.end() :])
    digits = key
    if digits.startswith(prefix) and digits.endswith(suffix) and len(digits) > len(prefix + suffix):
        digits = digits[len(prefix) : len(digits) - len(suffix)]
    if not digits.isascii() or not digits.isdigit() or len(digits) > 12:
        return None
    return format_order_number(number_format, int(digits))


def without_document_prefix(text: str) -> str:
    """`O:SO-100001` as scanned from a packing slip, or what was typed, without the `O:`."""
    stripped = text.strip()
    return stripped[2:] if stripped.upper().startswith(DOCUMENT_PREFIX) else stripped


def barcode_for(text: str) -> str | None:
    """The GTIN-14 of a typed or scanned product barcode (EAN-8/13, UPC-A, GTIN-14)."""
    digits = search_key(text)
    if digits.isascii() and digits.isdigit() and is_valid_gtin(digits):
        return to_gtin14(digits)
    return None


@dataclass(frozen=True)
class SearchTerms:
    """Everything one search box entry can mean; the index tries each."""

    text: str  # as typed, stripped
    key: str  # search_key(text): compare with search_key(stored value), substring or exact
    phone: str  # phone_key(text), "" when fewer than 6 digits were typed
    order_number: str | None  # the order number it stands for, exact match
    barcode: str | None  # GTIN-14 when a valid product barcode was typed or scanned

    @property
    def is_empty(self) -> bool:
        return not self.key


MIN_PHONE_DIGITS = 6


def read_search(text: str, number_format: str = DEFAULT_NUMBER_FORMAT) -> SearchTerms:
    """What the agent typed, read every way the search can use it."""
    stripped = text.strip()
    phone = phone_key(stripped)
    return SearchTerms(
        text=stripped,
        key=search_key(without_document_prefix(stripped)),
        phone=phone if len(phone) >= MIN_PHONE_DIGITS else "",
        order_number=order_number_for(stripped, number_format),
        barcode=barcode_for(stripped),
    )
