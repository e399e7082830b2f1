"""Hostile import files for the fuzzer, and the one strict reading each file should get.

Strategies draw small files whose fields are mostly ordinary and sometimes hostile:
huge, negative, exponents, other scripts' digits, control characters and NUL, JSON
null / true / objects / lists where text or a number belongs, repeated references,
reordered rows. The `expect_*` and `expected_*` functions read a drawn file the way
the documented formats say (ASCII digits, no control characters, totals within
Numeric(12, 2), an order's repeated rows merged unless their order columns
disagree), independently of the importers' code, and raise `Refused` where the whole
file must be refused. Orders are in fuzz_orders; products and stock here.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from hypothesis import strategies as st

from app.domain.gtin import is_valid_gtin, to_gtin14

T = TypeVar("T")
LARGEST = Decimal("9999999999.99")
MOST_UNITS = 1_000_000_000
PLAIN = re.compile(r"-?[0-9]+(\.[0-9]+)?")
JSON_NUMBER = re.compile(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?|NaN|-?Infinity")
NUMBER_WORDS = [
    "1_0", "٣", "１", "७", "1e9", "1E2", "1e999999999999999999", "-1e-999999999999999999",
    "0x10", "1,000", "+5", "NaN", "Infinity", "1 0", ".5", "5.", "-1", "-0", "0", "2.0",
    "1.005", "1000000000", "1000000001", "9999999999.99", "10000000000", "9" * 40, "", " ",
]  # fmt: skip
TEXT_WORDS = [
    "", " ", "\x00", "a\x00b", "\x1b[31mred", "\x7f", "x\x85y", "\u202eevil", "=1+2", "李伟",
    "Zoë\tMüller", "two\nlines", "a" * 300, "\u2028", "null", "{'a': 1}",
]  # fmt: skip
JSON_SHAPES: list[object] = [None, True, {"a": 1}, ["x"], []]


class Refused(Exception):
    """The file must be refused as a whole."""


@dataclass(frozen=True)
class Raw:
    """A JSON number literal, written into the file as it is."""

    text: str


def mostly(ordinary: st.SearchStrategy[T], hostile: st.SearchStrategy[T]) -> st.SearchStrategy[T]:
    """`ordinary` five times in six, so that files often import and often do not."""
    return st.sampled_from(range(6)).flatmap(lambda n: hostile if n == 5 else ordinary)


def texts(ordinary: Sequence[str], *, json: bool) -> st.SearchStrategy[object]:
    hostile: st.SearchStrategy[object] = st.one_of(
        st.sampled_from(TEXT_WORDS), st.text(max_size=12)
    )
    if json:
        hostile = st.one_of(hostile, st.sampled_from(JSON_SHAPES), st.just("lone \ud800"))
    return mostly(st.sampled_from(ordinary), hostile)


def numbers(ordinary: st.SearchStrategy[str], *, json: bool) -> st.SearchStrategy[object]:
    words = mostly(ordinary, st.one_of(st.sampled_from(NUMBER_WORDS), st.integers().map(str)))
    if not json:
        return words
    as_json = words.flatmap(lambda w: st.sampled_from([w, Raw(w)]) if w else st.just(w))
    return mostly(as_json, st.sampled_from(JSON_SHAPES))


def amounts(*, json: bool) -> st.SearchStrategy[object]:
    cents = st.builds(lambda u, c: f"{u}.{c:02d}", st.integers(0, 500), st.integers(0, 99))
    return numbers(cents, json=json)


def quantities(*, json: bool) -> st.SearchStrategy[object]:
    return numbers(st.integers(1, 5).map(str), json=json)


# -- the strict reading ------------------------------------------------------------


def is_control(char: str) -> bool:
    return unicodedata.category(char) in ("Cc", "Cs") and char not in "\t\n\r"


def blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def expect_text(value: object, *, limit: int, required: bool = True) -> str:
    if value is None:
        text = ""
    elif not isinstance(value, str) or any(is_control(c) for c in value):
        raise Refused
    else:
        text = " ".join(value.split())
    if (required and not text) or len(text) > limit:
        raise Refused
    return text


def _number(value: object) -> Decimal:
    if isinstance(value, Raw):
        if not JSON_NUMBER.fullmatch(value.text):
            raise Refused  # not even JSON: the file is not read
        value = value.text
    if not isinstance(value, str) or not PLAIN.fullmatch(value.strip()):
        raise Refused
    return Decimal(value.strip())


def expect_whole(value: object, *, minimum: int = 1) -> int:
    number = _number(value)
    if number != number.to_integral_value() or not minimum <= number <= MOST_UNITS:
        raise Refused
    return int(number)


def expect_money(value: object) -> Decimal:
    if blank(value):
        return Decimal("0.00")
    amount = _number(value)
    if amount < 0 or amount > LARGEST or amount != amount.quantize(Decimal("0.01")):
        raise Refused
    return amount.quantize(Decimal("0.01"))


def folded(value: object) -> str:
    """As two mentions of one order are compared; a JSON number as Python reads it."""
    if isinstance(value, Raw):
        integer = re.fullmatch(r"-?[0-9]{1,30}", value.text)
        value = str(int(value.text)) if integer else value.text
    return " ".join(str(value).split()).casefold() if value is not None else ""


def key_of(value: object) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


# -- writing files ---------------------------------------------------------------------


def csv_text(header: Sequence[str], rows: Sequence[dict[str, object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(header)
    writer.writerows([str(row.get(column, "")) for column in header] for row in rows)
    return out.getvalue()


def json_text(document: object) -> str:
    """JSON with `Raw` numbers written as they are (and lone surrogates escaped)."""
    raws: list[str] = []

    def mark(value: object) -> str:
        if not isinstance(value, Raw):
            raise TypeError(type(value).__name__)
        raws.append(value.text)
        return f"@@raw{len(raws) - 1}@@"

    text = json.dumps(document, default=mark)
    for n, raw in enumerate(raws):
        text = text.replace(f'"@@raw{n}@@"', raw)
    return text


# -- products and stock ----------------------------------------------------------------


@dataclass(frozen=True)
class DraftProduct:
    sku: object
    name: object
    barcodes: object
    weight: object
    price: object


BARCODES: list[object] = [
    "4006381333931", "4006381333932", "036000291452", 12345670, "SH-1", "x" * 65, "a\x00b",
    "  ", None, {"a": 1}, True, "٣٣٣٣٣٣٣٣",
]  # fmt: skip


def product_drafts(*, json: bool) -> st.SearchStrategy[list[DraftProduct]]:
    codes = st.lists(st.sampled_from(BARCODES if json else [b for b in BARCODES if b]), max_size=3)
    barcodes = codes if json else codes.map(lambda c: "|".join(str(b) for b in c))
    weights = mostly(
        st.one_of(st.just(""), st.integers(0, 900).map(str)), numbers(st.just("1"), json=json)
    )
    product = st.builds(
        DraftProduct,
        texts(["MUG", "TEA", "POT"], json=json),
        texts(["Mug", "Teekanne „Grün“"], json=json),
        barcodes,
        weights,
        amounts(json=json),
    )
    return st.lists(product, min_size=1, max_size=3)


def expected_products(drafts: Sequence[DraftProduct]) -> dict[str, tuple[object, ...]]:
    """SKU -> (name, weight, price, barcodes as stored)."""
    found: dict[str, tuple[object, ...]] = {}
    for p in drafts:
        sku = expect_text(p.sku, limit=64)
        if sku in found:
            raise Refused
        weight = None if blank(p.weight) else expect_whole(p.weight, minimum=0)
        price = None if blank(p.price) else expect_money(p.price)
        found[sku] = (expect_text(p.name, limit=255), weight, price, _barcodes(p.barcodes))
    return found


def _barcodes(value: object) -> frozenset[str]:
    items: list[object]
    if isinstance(value, str):
        items = list(expect_text(value, limit=2000, required=False).split("|"))
    else:
        assert isinstance(value, list)
        items = value
    stored = set()
    for item in items:
        if isinstance(item, bool) or not isinstance(item, str | int):
            raise Refused
        code = str(item).strip()
        if any(is_control(c) for c in code):
            raise Refused
        if not code:
            continue
        gtin = code.isdigit() and len(code) in (8, 12, 13, 14)
        if (gtin and not is_valid_gtin(code)) or len(code) > 64:
            raise Refused
        stored.add(to_gtin14(code) if gtin else code)
    return frozenset(stored)


@dataclass(frozen=True)
class DraftCount:
    sku: object
    location: object
    quantity: object


def stock_drafts(skus: Sequence[str]) -> st.SearchStrategy[list[DraftCount]]:
    count = st.builds(
        DraftCount,
        texts(list(skus), json=False),
        texts(["A-01-01-A", "B-02-03-C", "Z-9"], json=False),
        numbers(st.integers(0, 40).map(str), json=False),
    )
    return st.lists(count, min_size=1, max_size=4)


def expected_stock(
    drafts: Sequence[DraftCount], skus: Sequence[str], *, receive: bool
) -> dict[tuple[str, str], int]:
    """(SKU, location) -> on hand afterwards, starting from nothing."""
    found: dict[tuple[str, str], int] = {}
    for c in drafts:
        place = (expect_text(c.sku, limit=64), expect_text(c.location, limit=32))
        quantity = expect_whole(c.quantity, minimum=0)
        if place[0] not in skus or (place in found and not receive):
            raise Refused
        found[place] = found.get(place, 0) + quantity
        if found[place] > MOST_UNITS:
            raise Refused
    return found
