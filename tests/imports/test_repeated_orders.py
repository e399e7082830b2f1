"""An order's reference twice in one file: merged, imported once, or refused - never dropped."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.context import Actor
from app.imports import magento, own_format, shopify
from app.imports.orders import import_orders
from app.services.orders import order_detail
from db.engine import Database
from db.models import Order
from db.uow import read
from tests.imports.files import SAMPLES, cli, shopify_csv, shopify_order, write

HEADER = "external_ref,placed_at,name,address1,city,postcode,country,sku,quantity,unit_price"


def lines_of(db: Database, ref: str) -> list[tuple[str, int]]:
    return [(line.sku, line.qty_ordered) for line in order_detail(db, ref).lines]


def order_count(db: Database) -> int:
    return read(db, lambda s: s.scalar(select(func.count()).select_from(Order)) or 0)


def test_rows_of_an_order_further_down_the_file_are_merged_into_it_with_a_warning(
    db: Database, actor: Actor, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        f"{HEADER}\n"
        "A-1,2024-03-05,Zoë,Str 1,Berlin,10115,DE,MUG,1,2.50\n"
        "B-1,2024-03-05,Ann,Str 2,Berlin,10115,DE,MUG,1,2.50\n"
        "A-1,,,,,,,TEA,3,4.00\n"
    )

    assert cli(db, "import-orders", str(write(tmp_path / "o.csv", text)), "--channel", "web") == 0

    out = capsys.readouterr().out.splitlines()
    assert out[0] == "imported 2 orders (2 on hold), 0 already present"
    assert out[1] == (
        "  warning: o.csv:4: order 'A-1': more rows of the order that starts on line 2; "
        "merged (the rows of an order should follow each other)"
    )
    assert lines_of(db, "A-1") == [("MUG", 1), ("TEA", 3)]
    assert order_detail(db, "A-1").grand_total == Decimal("14.50")


def test_a_later_row_whose_order_columns_disagree_refuses_the_file_naming_both_lines(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        f"{HEADER}\n"
        "A-1,2024-03-05,Zoë,Str 1,Berlin,10115,DE,MUG,1,2.50\n"
        "B-1,2024-03-05,Ann,Str 2,Berlin,10115,DE,MUG,1,2.50\n"
        "A-1,2024-03-05,Zoë,Str 1,Hamburg,10115,DE,TEA,3,4.00\n"
    )

    assert cli(db, "import-orders", str(write(tmp_path / "o.csv", text)), "--channel", "web") == 1

    assert capsys.readouterr().err.splitlines() == [
        "error: 1 problem(s) in 1 of 2 orders; nothing imported",
        "  o.csv:4: city: 'Hamburg' differs from line 2 of the same order",
    ]
    assert order_count(db) == 0


def test_shopify_rows_of_an_order_apart_are_merged_and_a_disagreeing_city_is_refused(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    first, second = shopify_order("#1", [("MUG-BLU", "2"), ("TEA", "1")]), shopify_order("#2")
    later = [{**first[1], "Lineitem sku": "POT", "Lineitem name": "Teapot"}]
    merged = write(tmp_path / "o.csv", shopify_csv(first, second, later))

    file = shopify.read_orders(merged, None)
    import_orders(db, actor, file, partial=False)

    assert [w.split(": ", 2)[:2] for w in file.warnings] == [["o.csv:5", "order '#1'"]]
    assert lines_of(db, "#1") == [("MUG-BLU", 2), ("TEA", 1), ("POT", 1)]

    moved = [{**later[0], "Shipping City": "Hamburg"}]
    refused = shopify.read_orders(
        write(tmp_path / "p.csv", shopify_csv(first, second, moved)), None
    )

    assert refused.rejected[0].problems == [
        "p.csv:5: Shipping City: 'Hamburg' differs from line 2 of the same order"
    ]
    assert [len(c.rows) for c in refused.rejected] == [3]


def test_json_objects_of_one_order_merge_their_lines_and_the_same_object_again_counts_once(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    orders = json.loads((SAMPLES / "orders.json").read_text(encoding="utf-8"))
    more = {
        "external_ref": orders[0]["external_ref"],
        "channel": orders[0].get("channel"),
        "lines": [{"sku": "EXTRA", "quantity": 5}],
    }
    path = tmp_path / "o.json"
    path.write_text(json.dumps([orders[0], orders[1], more, orders[1]]), encoding="utf-8")

    file = own_format.read_json_orders(path, "web")
    import_orders(db, actor, file, partial=False)

    merged, repeated = sorted(file.warnings)
    assert merged.startswith("o.json:[2]: order 'MP-778812': more lines of the order at o.json:[0]")
    assert repeated.endswith(": the same as o.json:[1] again; imported once")
    wanted = [(line["sku"], line["quantity"]) for line in orders[0]["lines"]] + [("EXTRA", 5)]
    assert lines_of(db, orders[0]["external_ref"]) == wanted
    assert lines_of(db, orders[1]["external_ref"]) == [
        (line["sku"], line["quantity"]) for line in orders[1]["lines"]
    ]


def test_json_objects_of_one_order_that_disagree_are_refused_naming_both(tmp_path: Path) -> None:
    orders = json.loads((SAMPLES / "orders.json").read_text(encoding="utf-8"))
    other = {**orders[0], "city": "Elsewhere", "lines": [{"sku": "EXTRA", "quantity": 5}]}
    path = tmp_path / "o.json"
    path.write_text(json.dumps([orders[0], orders[1], other]), encoding="utf-8")

    file = own_format.read_json_orders(path, "web")

    assert file.rejected[0].problems == [
        "o.json:[2].city: 'Elsewhere' differs from o.json:[0] of the same order"
    ]
    assert file.rejected[0].entries == [orders[0], other]


def test_magento_lists_an_order_twice_once_if_the_same_and_refused_if_different(
    tmp_path: Path,
) -> None:
    document = json.loads((SAMPLES / "magento_orders.json").read_text(encoding="utf-8"))
    first = document["items"][0]
    changed = {**first, "customer_email": "someone.else@example.com"}
    path = tmp_path / "m.json"

    path.write_text(json.dumps({"items": [first, first], "total_count": 2}), encoding="utf-8")
    again = magento.read_orders(path, None)
    path.write_text(json.dumps({"items": [first, changed], "total_count": 2}), encoding="utf-8")
    differs = magento.read_orders(path, None)

    assert len(list(again.candidates)) == 1 and again.rejected == []
    assert again.warnings == [
        f"m.json:items[1]: order {first['increment_id']!r}: the same as m.json:items[0] again; "
        "imported once"
    ]
    assert differs.rejected[0].problems == [
        f"m.json:items[1]: increment_id: {first['increment_id']} is also at m.json:items[0] "
        "with other contents"
    ]


def test_references_that_differ_only_in_spacing_are_one_order(tmp_path: Path) -> None:
    text = (
        f"{HEADER}\n"
        "A 1,2024-03-05,Zoë,Str 1,Berlin,10115,DE,MUG,1,2.50\n"
        "B-1,2024-03-05,Ann,Str 2,Berlin,10115,DE,MUG,1,2.50\n"
        " A  1 ,,,,,,,TEA,3,4.00\n"
    )

    file = own_format.read_csv_orders(write(tmp_path / "o.csv", text), "web")

    # An order whose rows are scattered is handed on once its last row is read.
    assert [(o.external_ref, len(o.lines)) for o in file.orders] == [("B-1", 1), ("A 1", 2)]


def test_a_json_reference_written_as_a_number_is_the_same_order_as_in_quotes(
    tmp_path: Path,
) -> None:
    order = {
        "placed_at": "2024-03-05T10:00:00Z",
        "name": "Zoë",
        "address1": "Str 1",
        "city": "Berlin",
        "postcode": "10115",
        "country": "DE",
    }
    entries = [
        {**order, "external_ref": 12, "lines": [{"sku": "MUG", "quantity": 1}]},
        {**order, "external_ref": "B-1", "lines": [{"sku": "MUG", "quantity": 1}]},
        {**order, "external_ref": "12", "lines": [{"sku": "TEA", "quantity": 2}]},
    ]
    path = tmp_path / "o.json"
    path.write_text(json.dumps(entries), encoding="utf-8")

    file = own_format.read_json_orders(path, "web")

    assert [(o.external_ref, [x.sku for x in o.lines]) for o in file.orders] == [
        ("12", ["MUG", "TEA"]),
        ("B-1", ["MUG"]),
    ]
