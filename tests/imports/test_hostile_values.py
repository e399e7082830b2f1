"""Hostile values in import files: refused by file, place and field, never stored or crashed on."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from app.errors import ValidationFailed
from app.imports.common import Fields, Where, read_json
from app.imports.own_format import read_csv_orders, read_json_orders
from app.imports.products import read_products
from app.imports.shopify import read_orders
from app.imports.stock import read_stock
from tests.cli.runner import Result, assert_refused, run_cli
from tests.imports.files import shopify_csv, shopify_order, write

HEADER = "external_ref,placed_at,name,address1,city,postcode,country,sku,quantity,unit_price"
NOT_PLAIN = ["1_0", "٣", "１", "1e9", "1E2", "1e999999999999999999", "0x10", "1,000", "+5", "NaN"]
NOT_PLAIN += ["Infinity", "1 0", "5.", ".5", "--1"]


def check(values: dict[str, object]) -> tuple[Fields, list[str]]:
    problems: list[str] = []
    return Fields(values, Where("f.csv", 7), problems), problems


@pytest.mark.parametrize("text", NOT_PLAIN)
def test_numbers_are_ascii_digits_with_a_decimal_point_and_nothing_else(text: str) -> None:
    fields, problems = check({"qty": text, "price": text})

    fields.whole("qty")
    fields.money("price")

    assert problems == [
        f"f.csv:7: qty: must be a positive whole number, not {text!r}",
        f"f.csv:7: price: not a decimal amount: {text!r} (write it as 12.50)",
    ]


def test_json_numbers_with_an_exponent_or_too_many_digits_are_refused_as_written(
    tmp_path: Path,
) -> None:
    digits = "9" * 5000
    path = write(
        tmp_path / "n.json",
        f'[{{"a": 1e9, "b": 1E+2, "c": NaN, "d": -Infinity, "e": {digits}, "f": 2.0}}]',
    )

    document = read_json(path)
    assert isinstance(document, list) and isinstance(document[0], dict)
    fields, problems = check(document[0])

    assert [fields.whole(key) for key in "abcdef"] == [1, 1, 1, 1, 1, 2]
    assert problems == [
        "f.csv:7: a: must be a positive whole number, not '1e9'",
        "f.csv:7: b: must be a positive whole number, not '1E+2'",
        "f.csv:7: c: must be a positive whole number, not 'NaN'",
        "f.csv:7: d: must be a positive whole number, not '-Infinity'",
        "f.csv:7: e: '99999999999999999999999999999999999...' is too large",
    ]


def test_a_json_object_with_a_key_twice_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path / "p.json", '[{"sku": "A", "name": "x", "sku": "B"}]')

    with pytest.raises(ValidationFailed, match=r"^p.json: an object has the key 'sku' twice$"):
        read_products(path, "json")


@pytest.mark.parametrize(
    ("raw", "code"),
    [("Zo\x00e", "0000"), ("\x1b[2J", "001B"), ("a\x7fb", "007F"), ("x\x85", "0085")],
)
def test_text_with_a_control_character_is_refused_with_its_line_and_field(
    tmp_path: Path, raw: str, code: str
) -> None:
    text = f"{HEADER}\nA-1,2024-03-05,{raw},Str 1,Berlin,10115,DE,MUG,1,1.00\n"

    file = read_csv_orders(write(tmp_path / "o.csv", text), "web")

    assert file.rejected[0].problems == [
        f"o.csv:2: name: control character U+{code} is not allowed in text"
    ]


def test_tabs_and_line_breaks_in_text_are_spaces_not_problems(tmp_path: Path) -> None:
    text = f'{HEADER}\nA-1,2024-03-05,"Zoë\tM.\r\nMüller",Str 1,Berlin,10115,DE,MUG,1,1.00\n'

    (order,) = read_csv_orders(write(tmp_path / "o.csv", text), "web").orders

    assert order.ship_to.name == "Zoë M. Müller"


def test_json_text_that_is_null_an_object_true_or_a_lone_surrogate_is_refused(
    tmp_path: Path,
) -> None:
    feed = '[{"sku": "A", "name": "x\\ud800", "barcodes": ["4006381333931", null, {"a": 1}, true]},'
    feed += ' {"sku": true, "name": "y"}]'

    with pytest.raises(ValidationFailed) as refused:
        read_products(write(tmp_path / "p.json", feed), "json")

    assert refused.value.problems == [
        "p.json:[0].name: control character U+D800 is not allowed in text",
        "p.json:[0].barcodes: item 2 must be text, not None",
        "p.json:[0].barcodes: item 3 must be text, not {'a': 1}",
        "p.json:[0].barcodes: item 4 must be text, not True",
        "p.json:[1].sku: must be text, not true",
        "p.json:[1].sku: required",
    ]


def test_a_line_total_beyond_the_money_column_is_refused_on_its_line(tmp_path: Path) -> None:
    text = (
        f"{HEADER}\n"
        "A-1,2024-03-05,Zoë,Str 1,Berlin,10115,DE,MUG,1,2.50\n"
        "A-1,,,,,,,BIG,1000000000,9999999999.00\n"
        "B-1,2024-03-05,Ann,Str 2,Berlin,10115,DE,MUG,1000,9999999999.00\n"
    )

    file = read_csv_orders(write(tmp_path / "o.csv", text), "web")

    assert [c.problems for c in file.rejected] == [
        [
            "o.csv:3: unit_price: line total 1000000000 x 9999999999.00 = "
            "9999999999000000000.00 is more than 9999999999.99"
        ],
        [
            "o.csv:4: unit_price: line total 1000 x 9999999999.00 = 9999999999000.00 "
            "is more than 9999999999.99"
        ],
    ]


def test_lines_that_fit_one_by_one_but_not_together_are_refused_on_the_order(
    tmp_path: Path,
) -> None:
    lines = [("MUG", "1"), ("TEA", "1")]
    text = shopify_csv(shopify_order("#1", lines, Shipping="0.01", Total=""))
    text = text.replace(",14.50,", ",5000000000.00,")

    file = read_orders(write(tmp_path / "o.csv", text), None)

    assert file.rejected[0].problems == [
        "o.csv:2: the lines add up to 10000000000.00, more than 9999999999.99"
    ]


def test_a_json_order_whose_total_overflows_is_refused_on_its_path(tmp_path: Path) -> None:
    order = {
        "external_ref": "J-1",
        "placed_at": "2024-03-05T10:00:00Z",
        "name": "Zoë",
        "address1": "Str 1",
        "city": "Berlin",
        "postcode": "10115",
        "country": "DE",
        "shipping_total": "9999999999.99",
        "lines": [{"sku": "MUG", "quantity": 1, "unit_price": Decimal("0.01")}],
    }
    path = tmp_path / "o.json"
    path.write_text(json.dumps([order], default=str), encoding="utf-8")

    file = read_json_orders(path, "web")

    assert file.rejected[0].problems == [
        "o.json:[0]: the total is 10000000000.00, more than 9999999999.99"
    ]


def test_receipts_of_one_place_that_add_up_beyond_a_billion_units_are_refused(
    tmp_path: Path,
) -> None:
    text = "sku,location,quantity\nMUG,A-1,600000000\nTEA,A-1,5\nMUG,A-1,600000000\n"
    path = write(tmp_path / "s.csv", text)

    with pytest.raises(ValidationFailed) as refused:
        read_stock(path, receive=True)

    assert refused.value.problems == [
        "s.csv:4: quantity: receipts of MUG at A-1 add up to more than 1000000000 units"
    ]


def shipshape(tmp_path: Path, *args: str) -> Result:
    return run_cli(f"sqlite:///{tmp_path / 'shop.db'}", *args, home=tmp_path)


def test_the_command_line_answers_hostile_files_in_one_line_each_and_stores_nothing(
    tmp_path: Path,
) -> None:
    assert shipshape(tmp_path, "init-db").code == 0
    deep = write(tmp_path / "deep.json", "[" * 100_000 + "]" * 100_000)
    digits = write(tmp_path / "digits.json", "[" + "1" * 5000 + "]")
    huge = write(
        tmp_path / "huge.csv",
        f"{HEADER}\nA-1,2024-03-05,Zo\x00e,Str 1,Berlin,10115,DE,MUG,1e999999999999999999,1\n",
    )

    for args in (
        ("import-orders", str(deep), "--format", "json", "--channel", "web"),
        ("import-products", str(digits), "--format", "json"),
        ("import-orders", str(huge), "--channel", "web"),
    ):
        assert_refused(shipshape(tmp_path, *args))

    listed = shipshape(tmp_path, "orders", "--json")
    assert (listed.code, json.loads(listed.out)) == (0, [])
