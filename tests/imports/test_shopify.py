"""Shopify's order export: read as exported, imported all-or-nothing, idempotently."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.context import Actor
from app.errors import ValidationFailed
from app.imports.orders import import_orders
from app.imports.shopify import read_orders
from app.services.orders import order_detail
from db.engine import Database
from db.models import Channel, Order
from db.uow import read
from tests.factories import stock
from tests.imports.files import SAMPLES, cli, shopify_csv, shopify_order, write


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def order_count(db: Database) -> int:
    return read(db, lambda s: s.scalar(select(func.count()).select_from(Order)) or 0)


def test_the_sample_export_reads_as_orders_with_finished_orders_and_gift_cards_left_out() -> None:
    file = read_orders(SAMPLES / "shopify_orders.csv", None)

    assert file.rejected == []
    assert [(c.ref, c.skipped) for c in file.skipped] == [
        ("#1009", "already fulfilled in Shopify"),
        ("#1016", "cancelled in Shopify"),
    ]
    orders = {o.external_ref: o for o in file.orders}
    assert len(orders) == 14
    first = orders["#1001"]
    assert first.channel == "shopify"
    assert first.placed_at == datetime(2024, 3, 5, 8, 12, 44, tzinfo=UTC)
    assert [(line.sku, line.quantity, line.unit_price) for line in first.lines] == [
        ("MUG-BLU", 2, Decimal("14.50")),
        ("TEA-EARL", 1, Decimal("8.90")),
    ]
    assert (first.currency, first.payment_status, first.grand_total) == (
        "EUR",
        "paid",
        Decimal("42.80"),
    )
    assert [line.sku for line in orders["#1013"].lines] == ["TEA-EARL"]
    assert orders["#1004"].service_level == "overnight"
    assert orders["#1007"].service_level == "express"
    assert orders["#1006"].service_level == "economy"


def test_quoted_commas_multi_line_addresses_and_non_latin_names_survive() -> None:
    orders = {o.external_ref: o for o in read_orders(SAMPLES / "shopify_orders.csv", None).orders}

    assert orders["#1002"].ship_to.address1 == "12, rue de la Paix"
    assert orders["#1004"].ship_to.company == "Acme, Inc."
    london = orders["#1003"].ship_to
    assert (london.address1, london.address2) == ("Flat 3", "Rose Court, 12 King's Road")
    assert orders["#1005"].ship_to.name == "Νίκος Παπαδόπουλος"
    assert orders["#1006"].ship_to.address1 == "ул. „Витоша“ 15"
    assert (orders["#1007"].ship_to.name, orders["#1007"].ship_to.city) == ("山田 太郎", "東京都")
    assert orders["#1014"].ship_to.name == "Łukasz Wiśniewski"


def test_every_problem_is_listed_with_its_physical_line_in_a_windows_file_with_a_bom(
    tmp_path: Path,
) -> None:
    text = shopify_csv(
        shopify_order("#1", Shipping_Address1="Flat 3\nRose Court"),
        shopify_order("#2", [("MUG-BLU", "-1"), ("TEA", "two")], Currency="XYZ"),
        shopify_order("#3", Created_at="yesterday", Shipping_Country="Narnia"),
    )
    path = write(tmp_path / "orders.csv", text + ",,,,\n\n", bom=True, crlf=True)

    file = read_orders(path, None)

    assert [p for c in file.rejected for p in c.problems] == [
        "orders.csv:4: Lineitem quantity: must be a positive whole number, not '-1'",
        "orders.csv:5: Lineitem quantity: must be a positive whole number, not 'two'",
        "orders.csv:4: Currency: unknown currency 'XYZ' (an ISO 4217 code such as EUR)",
        "orders.csv:6: Shipping Country: unknown country 'Narnia' (a 2-letter ISO code such as DE)",
        "orders.csv:6: Created at: not a date and time: 'yesterday' "
        "(write 2024-03-05 14:07:12+01:00)",
    ]
    assert [c.ref for c in file.candidates if c.order] == ["#1"]


def test_a_file_without_the_shopify_columns_says_which_are_missing(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed) as failed:
        read_orders(write(tmp_path / "o.csv", "Name,Email\n#1,a@b.c\n"), None)

    assert failed.value.problems[0].startswith(
        "o.csv:1: header: missing column(s): Created at, Currency, Lineitem quantity"
    )


def test_importing_the_sample_twice_creates_nothing_the_second_time(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = str(SAMPLES / "shopify_orders.csv")
    assert cli(db, "import-products", str(SAMPLES / "products.csv")) == 0
    capsys.readouterr()

    assert cli(db, "import-orders", sample) == 0
    first = capsys.readouterr().out.splitlines()
    assert cli(db, "import-orders", sample, "--format", "shopify") == 0
    second = capsys.readouterr().out.splitlines()

    assert first[0] == "imported 14 orders (3 on hold), 0 already present, 2 skipped"
    assert "  on hold: SO-100014 (#1015): unknown SKU MUG-GRN on line 1" in first
    assert "  skipped: #1016: cancelled in Shopify" in first
    assert second[0] == "imported 0 orders (0 on hold), 14 already present, 2 skipped"
    assert order_count(db) == 14
    assert read(db, lambda s: s.scalars(select(Channel.kind)).all()) == ["shopify"]


def test_an_order_repeated_within_the_file_is_imported_once_with_a_warning(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    order = shopify_order("#7", [("MUG-BLU", "2"), ("TEA", "1")])
    path = write(tmp_path / "o.csv", shopify_csv(order, shopify_order("#8"), order))

    file = read_orders(path, None)
    done = import_orders(db, actor, file, partial=False)

    assert len(done.intake.created) == 2
    assert done.intake.already_present == []
    assert file.warnings == [
        "o.csv:5: order '#7': the same rows as from line 2 again; imported once"
    ]
    lines = order_detail(db, "#7").lines
    assert [(line.sku, line.qty_ordered) for line in lines] == [("MUG-BLU", 2), ("TEA", 1)]


def test_an_order_naming_an_unknown_sku_comes_in_on_hold_with_the_reason(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    stock(db, actor, {"MUG-BLU": 5})
    text = shopify_csv(shopify_order("#9", [("MUG-BLU", "1"), ("NOPE", "2")]))

    done = import_orders(
        db, actor, read_orders(write(tmp_path / "o.csv", text), None), partial=False
    )

    number = done.intake.created[0]
    assert done.intake.held == {number: "unknown SKU NOPE on line 2"}
    detail = order_detail(db, "#9")
    assert (detail.status, detail.hold_reason) == ("on_hold", "unknown SKU NOPE on line 2")


def test_one_bad_order_imports_nothing_and_exits_non_zero(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = shopify_csv(shopify_order("#1"), shopify_order("#2", [("MUG-BLU", "0")]))

    assert cli(db, "import-orders", str(write(tmp_path / "o.csv", text)), "--channel", "web") == 1

    err = capsys.readouterr().err.splitlines()
    assert err == [
        "error: 1 problem(s) in 1 of 2 orders; nothing imported",
        "  o.csv:3: Lineitem quantity: must be a positive whole number, not '0'",
    ]
    assert order_count(db) == 0
    assert read(db, lambda s: s.scalars(select(Channel.code)).all()) == []


def test_partial_import_writes_rejects_that_import_cleanly_once_fixed(
    db: Database, actor: Actor, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stock(db, actor, {"MUG-BLU": 9, "TEA": 9})
    bad = shopify_order(
        "#2", [("MUG-BLU", "1"), ("TEA", "-3")], Shipping_Address1="Flat 3\nRose Court"
    )
    path = write(tmp_path / "o.csv", shopify_csv(shopify_order("#1"), bad, shopify_order("#3")))

    assert cli(db, "import-orders", str(path), "--partial") == 0

    out, err = capsys.readouterr()
    rejects = tmp_path / "o.rejects.csv"
    assert out.splitlines()[0] == "imported 2 orders (0 on hold), 0 already present, 1 rejected"
    assert "o.csv:5: Lineitem quantity: must be a positive whole number, not '-3'" in err
    assert rows_of(rejects.read_text(encoding="utf-8")) == rows_of(shopify_csv(bad))

    fixed = rejects.read_text(encoding="utf-8").replace(",-3,", ",3,")
    write(rejects, fixed)
    assert cli(db, "import-orders", str(rejects)) == 0
    assert (
        capsys.readouterr().out.splitlines()[0]
        == "imported 1 orders (0 on hold), 0 already present"
    )
    detail = order_detail(db, "#2")
    assert [(line.sku, line.qty_ordered) for line in detail.lines] == [("MUG-BLU", 1), ("TEA", 3)]
    assert (detail.ship_to["address1"], detail.ship_to["address2"]) == ("Flat 3", "Rose Court")
    assert order_count(db) == 3
