"""Reading files and checking values: no database needed."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from app.errors import ValidationFailed
from app.imports.common import (
    Fields,
    Where,
    objects,
    read_csv,
    service_level,
    spreadsheet_safe,
)
from tests.imports.files import write

MULTI_LINE = 'sku,address\nA,"Flat 3\nRose Court"\nB,"12, rue de la Paix"\nC,plain\n'


def check(values: dict[str, object]) -> tuple[Fields, list[str]]:
    problems: list[str] = []
    return Fields(values, Where("f.csv", 7), problems), problems


def test_a_quoted_cell_spanning_lines_keeps_later_rows_on_their_own_line_numbers(
    tmp_path: Path,
) -> None:
    table = read_csv(write(tmp_path / "f.csv", MULTI_LINE))

    rows = list(table.rows)
    assert [row.line for row in rows] == [2, 4, 5]
    assert rows[0].values["address"] == "Flat 3\nRose Court"
    assert rows[1].values["address"] == "12, rue de la Paix"


def test_a_byte_order_mark_and_windows_line_endings_read_the_same_as_plain_utf8(
    tmp_path: Path,
) -> None:
    plain = read_csv(write(tmp_path / "a.csv", MULTI_LINE))
    windows = read_csv(write(tmp_path / "b.csv", MULTI_LINE, bom=True, crlf=True))

    assert windows.columns == ["sku", "address"]
    assert [r.line for r in windows.rows] == [r.line for r in plain.rows]
    assert [r.values["sku"] for r in windows.rows] == ["A", "B", "C"]
    assert next(iter(windows.rows)).values["address"].splitlines() == ["Flat 3", "Rose Court"]


def test_blank_and_empty_trailing_rows_are_ignored(tmp_path: Path) -> None:
    table = read_csv(write(tmp_path / "f.csv", "sku,qty\nA,1\n\n,\n , \n\n"))

    assert [row.values for row in table.rows] == [{"sku": "A", "qty": "1"}]


def test_a_semicolon_separated_file_as_excel_saves_it_in_germany_is_read(tmp_path: Path) -> None:
    table = read_csv(write(tmp_path / "f.csv", "SKU;Name\nA;Bürste, weich\n"), fold=True)

    assert [row.values for row in table.rows] == [{"sku": "A", "name": "Bürste, weich"}]


def test_a_file_that_is_not_utf8_is_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "f.csv"
    path.write_bytes("sku,name\nA,Müller\n".encode("cp1252"))

    with pytest.raises(ValidationFailed, match=r"not UTF-8 text.*CSV UTF-8"):
        read_csv(path)


def test_a_row_with_more_cells_than_the_header_is_a_problem(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed) as failed:
        read_csv(write(tmp_path / "f.csv", "sku,name\nA,Rue 1, Paris\n"))

    assert failed.value.problems == [
        "f.csv:2: row: 3 cells but the header has 2 (a comma in an unquoted value?)"
    ]


@pytest.mark.parametrize("value", ["-1", "0", "two", "1.5", "", " "])
def test_a_quantity_that_is_not_a_positive_whole_number_is_a_problem(value: str) -> None:
    fields, problems = check({"qty": value})

    fields.whole("qty")

    assert len(problems) == 1
    assert problems[0].startswith("f.csv:7: qty: ")


def test_whole_numbers_may_come_as_text_integers_or_integral_decimals() -> None:
    fields, problems = check({"a": " 3 ", "b": 4, "c": Decimal("2.0000")})

    assert [fields.whole("a"), fields.whole("b"), fields.whole("c")] == [3, 4, 2]
    assert problems == []


def test_money_takes_a_decimal_point_and_at_most_two_places() -> None:
    fields, problems = check({"a": "12.5", "b": "12,50", "c": "-1", "d": "1.005", "e": ""})

    assert fields.money("a") == Decimal("12.50")
    fields.money("b")
    fields.money("c")
    fields.money("d")
    assert fields.money("e") == 0
    assert problems == [
        "f.csv:7: b: not a decimal amount: '12,50' (write it as 12.50)",
        "f.csv:7: c: must not be negative (-1)",
        "f.csv:7: d: 1.005 has more than 2 decimal places",
    ]


def test_an_unknown_currency_is_a_problem_and_known_ones_are_upper_cased() -> None:
    fields, problems = check({"good": "gbp", "bad": "XYZ"})

    assert fields.currency("good") == "GBP"
    fields.currency("bad")
    assert problems == ["f.csv:7: bad: unknown currency 'XYZ' (an ISO 4217 code such as EUR)"]


@pytest.mark.parametrize(
    ("text", "code"),
    [("DE", "DE"), ("de", "DE"), ("Germany", "DE"), ("United States", "US"), ("UK", "GB")],
)
def test_countries_are_codes_or_common_names(text: str, code: str) -> None:
    fields, problems = check({"country": text})

    assert fields.country("country") == code
    assert problems == []


def test_an_unknown_country_is_a_problem() -> None:
    fields, problems = check({"country": "Narnia"})

    fields.country("country")

    assert problems == [
        "f.csv:7: country: unknown country 'Narnia' (a 2-letter ISO code such as DE)"
    ]


@pytest.mark.parametrize(
    "text",
    ["2024-03-05 14:07:12 +0100", "2024-03-05T14:07:12+01:00", "2024-03-05 13:07:12"],
)
def test_shopify_iso_and_magento_times_are_read_as_utc(text: str) -> None:
    fields, problems = check({"at": text})

    assert fields.moment("at") == datetime(2024, 3, 5, 13, 7, 12, tzinfo=UTC)
    assert problems == []


def test_an_unreadable_date_is_a_problem() -> None:
    fields, problems = check({"at": "05/03/2024 2pm"})

    fields.moment("at")

    assert problems == [
        "f.csv:7: at: not a date and time: '05/03/2024 2pm' (write 2024-03-05 14:07:12+01:00)"
    ]


@pytest.mark.parametrize(
    ("method", "level"),
    [
        ("UPS Next Day Air", "overnight"),
        ("DHL Express Worldwide", "express"),
        ("Economy (5-8 days)", "economy"),
        ("Standard Shipping", "standard"),
        ("", "standard"),
    ],
)
def test_the_shipping_method_wording_picks_the_service_level(method: str, level: str) -> None:
    assert service_level(method) == level


def test_json_problems_name_the_path_to_the_field() -> None:
    problems: list[str] = []
    orders = objects([{}, {"items": [{"qty_ordered": -2}]}], Where("o.json").at("items"), problems)

    orders[1].children("items")[0].whole("qty_ordered")

    assert problems == [
        "o.json:items[1].items[0].qty_ordered: must be a positive whole number, not -2"
    ]


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("\nx", "'\nx"),
        ("MUG-BLU", "MUG-BLU"),
        ("", ""),
    ],
)
def test_cells_a_spreadsheet_would_run_as_formulas_get_a_leading_quote(
    cell: str, written: str
) -> None:
    assert spreadsheet_safe(cell) == written
