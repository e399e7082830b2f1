"""Shipshape's own order CSV and JSON: the documented columns and nothing else."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from app.context import Actor
from app.errors import ValidationFailed
from app.imports.orders import import_orders, rejects_path, write_rejects
from app.imports.own_format import read_csv_orders, read_json_orders
from db.engine import Database
from tests.factories import stock
from tests.imports.files import SAMPLES, cli, write

HEADER = "external_ref,placed_at,name,address1,city,postcode,country,sku,quantity,unit_price"


def test_the_rows_of_one_order_become_one_order_with_its_lines() -> None:
    file = read_csv_orders(SAMPLES / "orders.csv", None)

    assert file.rejected == []
    first, second = file.orders
    assert (first.channel, first.external_ref) == ("wholesale", "PO-2024-0311")
    assert [(line.sku, line.quantity, line.name) for line in first.lines] == [
        ("TEA-EARL", 12, "Earl Grey tea 100 g"),
        ("TEA-SENCHA", 12, "Sencha green tea 100 g"),
        ("MUG-BLU", 6, "Enamel mug, blue"),
    ]
    assert first.ship_to.company == "Teehaus Hoffmann, Inh. L. Hoffmann"
    assert first.ship_by == datetime(2024, 3, 8, tzinfo=UTC)
    assert (second.service_level, second.shipping_total) == ("express", Decimal("9.50"))


def test_order_columns_that_disagree_between_rows_of_an_order_are_problems(
    tmp_path: Path,
) -> None:
    text = (
        f"{HEADER}\n"
        "A-1,2024-03-05,Zoë,Torstraße 12,Berlin,10115,DE,MUG,1,\n"
        "A-1,,,,Hamburg,,,TEA,1,\n"
    )

    file = read_csv_orders(write(tmp_path / "o.csv", text), "web")

    assert file.rejected[0].problems == [
        "o.csv:3: city: 'Hamburg' differs from line 2 of the same order"
    ]


def test_unknown_columns_are_named_and_nothing_is_read(tmp_path: Path) -> None:
    text = f"{HEADER},gift_wrap,Colour\nA-1,2024-03-05,Zoë,Str 1,Berlin,10115,DE,MUG,1,,yes,red\n"

    with pytest.raises(ValidationFailed) as failed:
        read_csv_orders(write(tmp_path / "o.csv", text), "web")

    assert failed.value.problems[0].startswith(
        "o.csv:1: header: unknown column(s): gift_wrap, colour (known: channel, external_ref"
    )


def test_the_channel_comes_from_the_command_line_when_the_file_has_none(tmp_path: Path) -> None:
    text = f"{HEADER}\nA-1,2024-03-05,Zoë,Str 1,Berlin,10115,Germany,MUG,1,2.50\n"
    path = write(tmp_path / "o.csv", text)

    assert [o.channel for o in read_csv_orders(path, "web").orders] == ["web"]
    assert read_csv_orders(path, None).rejected[0].problems == [
        "o.csv:2: channel: required (or give --channel)"
    ]


def test_json_orders_carry_nested_lines_and_problems_name_their_path(tmp_path: Path) -> None:
    orders = json.loads((SAMPLES / "orders.json").read_text(encoding="utf-8"))
    orders[1]["lines"][0]["quantity"] = 0
    orders[1]["currency"] = "XYZ"
    orders[1]["colour"] = "red"
    path = tmp_path / "o.json"
    path.write_text(json.dumps(orders, ensure_ascii=False), encoding="utf-8")

    file = read_json_orders(path, None)

    shanghai = file.orders[0]
    assert (shanghai.ship_to.name, shanghai.ship_to.city) == ("李伟", "上海")
    assert [(line.sku, line.quantity) for line in shanghai.lines] == [
        ("TEA-SENCHA", 4),
        ("CANDLE-SOY", 1),
    ]
    assert file.rejected[0].problems == [
        "o.json:[1]: unknown field(s) colour (known: address1, address2, bill_country, "
        "cancelled, channel, city, company, country, currency, email, external_ref, lines, name, "
        "payment_status, "
        "phone, placed_at, postcode, region, service_level, ship_by, shipping_total, tax_total)",
        "o.json:[1].lines[0].quantity: must be a positive whole number, not 0",
        "o.json:[1].currency: unknown currency 'XYZ' (an ISO 4217 code such as EUR)",
    ]


def test_a_postcode_may_be_blank_only_where_the_country_has_none(tmp_path: Path) -> None:
    text = (
        f"{HEADER}\n"
        "A-1,2024-03-05,Fatima,Villa 12,Dubai,,AE,MUG,1,\n"
        "A-2,2024-03-05,Zoë,Str 1,Berlin,,DE,MUG,1,\n"
    )

    file = read_csv_orders(write(tmp_path / "o.csv", text), "web")

    assert [o.external_ref for o in file.orders] == ["A-1"]
    assert file.rejected[0].problems == ["o.csv:3: postcode: required for an address in DE"]


def test_json_rejects_are_a_list_of_orders_that_imports_once_fixed(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    stock(db, actor, {"TEA-SENCHA": 9, "CANDLE-SOY": 9, "BOARD-OAK": 9})
    orders = json.loads((SAMPLES / "orders.json").read_text(encoding="utf-8"))
    orders[0]["lines"][0]["quantity"] = "four"
    path = tmp_path / "o.json"
    path.write_text(json.dumps(orders, ensure_ascii=False), encoding="utf-8")
    file = read_json_orders(path, None)

    assert len(import_orders(db, actor, file, partial=True).intake.created) == 1
    write_rejects(file, rejects_path(file, None))

    rejected = json.loads((tmp_path / "o.rejects.json").read_text(encoding="utf-8"))
    assert [o["external_ref"] for o in rejected] == ["MP-778812"]
    rejected[0]["lines"][0]["quantity"] = 4
    (tmp_path / "o.rejects.json").write_text(json.dumps(rejected), encoding="utf-8")
    again = read_json_orders(tmp_path / "o.rejects.json", None)
    done = import_orders(db, actor, again, partial=False)
    assert (len(done.intake.created), done.intake.held) == (1, {})


def test_the_own_csv_sample_imports_through_the_command_line(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rejects = tmp_path / "r.csv"

    assert cli(db, "import-orders", str(SAMPLES / "orders.csv"), "--rejects", str(rejects)) == 1
    assert cli(db, "import-orders", str(SAMPLES / "orders.csv")) == 0

    out, err = capsys.readouterr()
    assert err == "error: --rejects goes with --partial\n"
    assert out.splitlines() == [
        "imported 2 orders (2 on hold), 0 already present",
        "  new channel: wholesale",
        "  on hold: SO-100001 (PO-2024-0311): unknown SKU TEA-EARL on line 1; "
        "unknown SKU TEA-SENCHA on line 2; unknown SKU MUG-BLU on line 3",
        "  on hold: SO-100002 (PO-2024-0312): unknown SKU POT-CAST on line 1",
    ]
