"""Barcode data is validated and encoded exactly; nothing is silently "fixed"."""

from __future__ import annotations

import pytest
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from app.documents import symbols
from app.documents.zpl import code128_data, sscc_data


@pytest.mark.parametrize(
    ("digits", "check"),
    [("10614141123456789", "7"), ("400638133393", "1"), ("9638507", "4"), ("03600029145", "2")],
)
def test_gs1_check_digit_matches_published_examples(digits: str, check: str) -> None:
    assert symbols.gs1_check_digit(digits) == check


def test_sscc_with_a_wrong_check_digit_is_refused_not_corrected() -> None:
    with pytest.raises(ValueError, match="wrong check digit"):
        symbols.sscc("106141411234567898")


@pytest.mark.parametrize("bad", ["", "12345", "10614141123456789X", "1061414112345678970"])
def test_sscc_must_be_eighteen_digits(bad: str) -> None:
    with pytest.raises(ValueError, match="18 digits"):
        symbols.sscc(bad)


def test_sscc_text_groups_extension_prefix_serial_and_check_digit() -> None:
    assert symbols.sscc("106141411234567897").text == "(00) 1 0614141 123456789 7"
    assert symbols.sscc_text("106141411234567897", 9) == "(00) 1 061414112 3456789 7"


def test_gtin_with_a_wrong_check_digit_is_refused() -> None:
    with pytest.raises(ValueError, match="expected 1"):
        symbols.gtin("4006381333932")


def test_gtin_lengths_pick_the_retail_symbology() -> None:
    assert symbols.gtin("4006381333931").modules == 95
    assert symbols.gtin("036000291452").text == "0036000291452"
    assert symbols.gtin("96385074").modules == 67
    assert symbols.gtin("10614141000415").text == "(01) 10614141000415"


@pytest.mark.parametrize("bad", ["", "Ü-123", "tab\there"])
def test_code128_takes_printable_ascii_only(bad: str) -> None:
    with pytest.raises(ValueError, match="printable ASCII"):
        symbols.code128(bad)


def test_linear_runs_cover_exactly_the_dark_modules() -> None:
    symbol = symbols.code128("O:SO-100001")
    pattern = ["0"] * symbol.modules
    for start, width in symbol.runs:
        pattern[start : start + width] = ["1"] * width
    assert "".join(pattern) == symbols._Code128("O:SO-100001").build()[0]
    assert symbol.total_modules == symbol.modules + 20


def test_qr_rows_form_a_square_with_a_four_module_quiet_zone() -> None:
    symbol = symbols.qr("O:SO-100001")
    assert len(symbol.rows) == 21
    assert symbol.total_modules == 29


@pytest.mark.parametrize(
    ("data", "zpl", "count"),
    [
        ("SO-100001", ">:SO->5100001", 9),
        ("1234", ">;1234", 4),
        ("12345", ">:1>52345", 6),
        ("A>B", ">:A><B", 5),
        ("1Z999AA10123456784", ">:1Z999AA1>50123456784", 16),
    ],
)
def test_zpl_code128_data_uses_explicit_subsets_and_counts_symbols(
    data: str, zpl: str, count: int
) -> None:
    assert code128_data(data) == (zpl, count)


def test_zpl_sscc_data_starts_in_subset_c_with_fnc1() -> None:
    assert sscc_data("106141411234567897") == (">;>800106141411234567897", 13)


def scan_linear(symbol: symbols.Linear, scale: int = 2) -> list[str]:
    """Draw the runs as pixels (no PDF in between) and read them with zxing-cpp."""
    image = Image.new("L", (symbol.total_modules * scale, 30), 255)
    draw = ImageDraw.Draw(image)
    for start, width in symbol.runs:
        left = (symbol.quiet_left + start) * scale
        draw.rectangle((left, 0, left + width * scale - 1, 29), fill=0)
    return [found.text for found in zxingcpp.read_barcodes(image)]


def test_leading_99_pair_is_kept_unlike_plain_python_barcode() -> None:
    assert scan_linear(symbols.code128("9999123")) == ["9999123"]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789AZaz-:/>^~_ ", min_size=1, max_size=30))
def test_any_code128_data_scans_back_exactly(data: str) -> None:
    assert scan_linear(symbols.code128(data)) == [data]
