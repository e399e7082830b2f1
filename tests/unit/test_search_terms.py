"""The search box's normalisation: formatting never decides whether an order is found."""

from __future__ import annotations

import pytest

from app.domain.search_terms import (
    order_number_for,
    phone_key,
    read_search,
    search_key,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("sw1a1aa", "SW1A 1AA"),
        ("10115", "10115"),
        ("sku-00042", "SKU-00042"),
        ("sku00042", "SKU-00042"),
        ("MUELLER@EXAMPLE.DE", "mueller@example.de"),
        ("müller", "MÜLLER"),
        ("ＡＢＣ１２", "abc12"),
        ("#1001", "1001"),
    ],
)
def test_typed_and_stored_values_share_one_key(typed: str, stored: str) -> None:
    assert search_key(typed) == search_key(stored)


def test_a_phone_number_matches_written_any_usual_way() -> None:
    stored = phone_key("+44 20 7946 0958")
    assert stored == "442079460958"
    assert phone_key("+442079460958") == stored
    assert phone_key("0044 20 7946 0958") == stored
    assert phone_key("020 7946 0958") in stored  # national form: a suffix of the stored key


@pytest.mark.parametrize(
    "typed", ["100001", "SO-100001", "so100001", "SO 100001", "o:so-100001", " 100001 "]
)
def test_an_order_number_is_found_without_its_prefix_or_case(typed: str) -> None:
    assert order_number_for(typed) == "SO-100001"


def test_an_order_number_follows_the_sites_own_format() -> None:
    assert order_number_for("42", "ORD/{n:06d}/UK") == "ORD/000042/UK"
    assert order_number_for("ord00004 2uk", "ORD/{n:06d}/UK") == "ORD/000042/UK"


@pytest.mark.parametrize("typed", ["", "smith", "SW1A 1AA", "1234567890123"])
def test_text_that_cannot_be_an_order_number_gives_none(typed: str) -> None:
    assert order_number_for(typed) is None


def test_one_entry_is_read_every_way_the_search_can_use_it() -> None:
    terms = read_search(" 4006381333931 ")
    assert terms.text == "4006381333931"
    assert terms.barcode == "04006381333931"  # EAN-13 as GTIN-14, as products store it
    assert terms.key == "4006381333931"
    assert terms.phone == "4006381333931"
    assert terms.order_number is None  # 13 digits: longer than any order number
    name = read_search("O'Brien")
    assert (name.key, name.phone, name.barcode, name.order_number) == ("obrien", "", None, None)
    assert read_search("  ").is_empty


def test_a_wrong_check_digit_is_not_a_barcode() -> None:
    assert read_search("4006381333932").barcode is None
