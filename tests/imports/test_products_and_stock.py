"""Catalogue feeds and stock counts from files."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from pathlib import Path

import pytest

from app.context import Actor
from app.errors import ValidationFailed
from app.imports.products import read_products
from app.imports.stock import read_stock
from app.services.orders import order_detail
from app.services.stats import stats
from db.engine import Database
from tests.factories import place
from tests.imports.files import SAMPLES, cli, write


def test_importing_the_same_product_file_twice_changes_nothing(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    products = str(SAMPLES / "products.csv")

    assert cli(db, "import-products", products) == 0
    assert cli(db, "import-products", products, "--format", "csv") == 0

    assert capsys.readouterr().out.splitlines() == [
        "products: 12 created, 0 updated, 0 unchanged",
        "products: 0 created, 0 updated, 12 unchanged",
    ]


def test_json_products_take_barcodes_as_a_list_or_a_pipe_separated_string(
    tmp_path: Path,
) -> None:
    feed = [
        {"sku": "MUG", "name": "Mug", "barcodes": ["4006381333931", "SH-MUG"], "price": 12.5},
        {"sku": "TEA", "name": "Tee „Grün“", "barcodes": "4006381333931 | ", "active": False},
    ]
    path = tmp_path / "p.json"
    path.write_text(json.dumps(feed, ensure_ascii=False), encoding="utf-8")

    mug, tea = read_products(path, "json")

    assert (mug.barcodes, mug.price, mug.active) == (
        ("4006381333931", "SH-MUG"),
        Decimal("12.50"),
        True,
    )
    assert (tea.name, tea.barcodes, tea.active, tea.source) == (
        "Tee „Grün“",
        ("4006381333931",),
        False,
        "p.json:[1]",
    )


def test_columns_may_come_in_any_order_but_unknown_ones_are_named(tmp_path: Path) -> None:
    ordered = write(tmp_path / "a.csv", "name,SKU\nMug,MUG\n", bom=True, crlf=True)
    assert [(p.sku, p.name) for p in read_products(ordered, "csv")] == [("MUG", "Mug")]

    with pytest.raises(ValidationFailed) as failed:
        read_products(write(tmp_path / "b.csv", "sku,name,colour,size\nMUG,Mug,red,M\n"), "csv")
    assert failed.value.problems[0].startswith(
        "b.csv:1: header: unknown column(s): colour, size (known: sku, name, barcodes"
    )


def test_every_bad_value_and_repeated_sku_is_listed(tmp_path: Path) -> None:
    text = "sku,name,weight_g,price,active\nMUG,Mug,-5,1.999,maybe\n,Tea,,,\nMUG,Mug again,,,\n"

    with pytest.raises(ValidationFailed) as failed:
        read_products(write(tmp_path / "p.csv", text), "csv")

    assert failed.value.problems == [
        "p.csv:2: weight_g: must be a whole number >= 0, not '-5'",
        "p.csv:2: price: 1.999 has more than 2 decimal places",
        "p.csv:2: active: must be true or false, not 'maybe'",
        "p.csv:3: sku: required",
        "p.csv:4: sku: MUG is also at p.csv:2",
    ]


def test_a_wrong_check_digit_stops_the_whole_feed(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "sku,name,barcodes\nMUG,Mug,4006381333931\nTEA,Tea,4006381333932\n"

    assert cli(db, "import-products", str(write(tmp_path / "p.csv", text))) == 1

    assert capsys.readouterr().err.splitlines() == [
        "error: 1 problem(s); nothing imported",
        "  p.csv:3: barcodes: 4006381333932 has a wrong check digit",
    ]
    assert cli(db, "import-products", str(write(tmp_path / "p.txt", text))) == 1
    assert "give --format csv|json" in capsys.readouterr().err


def test_a_stock_take_sets_counts_and_receiving_adds_and_allocates_backorders(
    db: Database, actor: Actor, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli(db, "import-products", str(SAMPLES / "products.csv"))
    counts = write(tmp_path / "s.csv", "sku,location,quantity\nMUG-BLU,A-01,5\nTEA-EARL,A-02,0\n")
    waiting = place(db, actor, {"MUG-BLU": 7})
    cli(db, "allocate")

    assert cli(db, "import-stock", str(counts)) == 0
    assert cli(db, "import-stock", str(counts)) == 0
    assert cli(db, "import-stock", str(counts), "--receive") == 0

    digest = hashlib.sha256(counts.read_bytes()).hexdigest()[:32]
    assert capsys.readouterr().out.splitlines()[-5:] == [
        "stock take: 2 counts, 1 changed (+5 / -0 units)",
        "  new locations: A-01, A-02",
        "stock take: 2 counts, 0 changed (+0 / -0 units)",
        "received 5 units in 1 moves; backorders allocated",
        f"  receipts: sha256:{digest}",
    ]
    assert (stats(db).stock.on_hand, stats(db).stock.reserved) == (10, 7)
    assert order_detail(db, waiting).status == "allocated"


def test_a_stock_take_counts_each_place_once_and_quantities_are_whole(tmp_path: Path) -> None:
    text = "sku,location,quantity\nMUG,A-01,5\nMUG,A-01,6\nTEA,A-02,-1\nTEA,A-03,lots\n"
    path = write(tmp_path / "s.csv", text)

    with pytest.raises(ValidationFailed) as failed:
        read_stock(path, receive=False)

    assert failed.value.problems == [
        "s.csv:3: sku: MUG at A-01 is also counted on line 2; a stock take counts each place once",
        "s.csv:4: quantity: must be a whole number >= 0, not '-1'",
        "s.csv:5: quantity: must be a whole number >= 0, not 'lots'",
    ]


def test_an_unknown_sku_in_a_count_changes_nothing(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cli(db, "import-products", str(SAMPLES / "products.csv"))
    text = "sku,location,quantity\nMUG-BLU,A-01,5\nMUG-PINK,A-01,3\n"

    assert cli(db, "import-stock", str(write(tmp_path / "s.csv", text))) == 1

    assert "  s.csv:3: sku: unknown SKU MUG-PINK" in capsys.readouterr().err.splitlines()
    assert stats(db).stock.on_hand == 0
