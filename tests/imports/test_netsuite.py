"""NetSuite's sales-order saved search, exported as CSV: real headers, BOM, multi-line cells."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.errors import ValidationFailed
from app.imports.netsuite import read_orders
from app.services.orders import order_detail
from db.engine import Database
from db.models import Channel, Order
from db.uow import read
from tests.imports.files import SAMPLES, cli, write

SAMPLE = SAMPLES / "netsuite_orders.csv"


def sample_rows() -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(SAMPLE.read_text(encoding="utf-8-sig"), newline="")))
    return rows[0], rows[1:]


def csv_of(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([header, *rows])
    return out.getvalue()


def test_the_sample_reads_sub_items_multi_line_addresses_and_statuses() -> None:
    file = read_orders(SAMPLE, None)

    orders = {o.external_ref: o for o in file.orders}
    assert sorted(orders) == ["SO1042", "SO1043", "SO1044"]
    assert [(c.ref, c.skipped) for c in file.skipped] == [
        ("SO1038", "already fulfilled and billed in NetSuite"),
        ("SO1040", "pending approval in NetSuite"),
        ("SO1041", "cancelled in NetSuite"),
    ]
    kite = orders["SO1042"]
    # The main-line row (blank Item) is the order, not a line; "Mugs : MUG-BLU" is MUG-BLU.
    assert [(line.sku, line.quantity, line.unit_price) for line in kite.lines] == [
        ("MUG-BLU", 6, Decimal("14.50")),
        ("TEA-EARL", 12, Decimal("8.90")),
    ]
    to = kite.ship_to
    assert (to.name, to.company, to.address1, to.address2, to.country) == (
        "Priya Shah",
        "Kite & Co Ltd",
        "Unit 4, Wharf Road",
        "Canal Side Estate",
        "GB",
    )
    assert (kite.currency, kite.placed_at, kite.payment_status, kite.channel) == (
        "GBP",
        datetime(2024, 3, 5, 9, 12, tzinfo=UTC),
        "authorized",
        "netsuite",
    )
    cafe = orders["SO1043"]  # "Sales Order:Pending Fulfillment"; a discount row is no line
    assert [line.sku for line in cafe.lines] == ["POT-CAST", "SPOON-SET"]
    assert (cafe.currency, cafe.ship_to.country, cafe.service_level) == ("EUR", "FR", "express")
    assert orders["SO1044"].ship_to.address2 == "Hinterhaus, 2. OG"


def test_every_problem_is_named_by_its_physical_line_and_column(tmp_path: Path) -> None:
    header, rows = sample_rows()
    column = {name: i for i, name in enumerate(header)}
    so1043 = [row for row in rows if row[column["Document Number"]] == "SO1043"]
    for row in so1043:
        row[column["Status"]] = "Sales Order:Pending Shipment"
        row[column["Date"]] = "2024-13-45"
    so1043[1][column["Quantity"]] = "two"
    path = write(tmp_path / "ns.csv", csv_of(header, so1043), bom=True)

    file = read_orders(path, None)

    assert file.rejected[0].problems == [
        "ns.csv:2: Status: not a sales order status: 'Sales Order:Pending Shipment'",
        "ns.csv:3: Quantity: must be a positive whole number, not 'two'",
        "ns.csv:2: Date: not a date: '2024-13-45' (NetSuite writes 3/5/2024 or 3/5/2024 2:07 pm)",
    ]


def test_a_search_without_the_needed_columns_says_which(tmp_path: Path) -> None:
    path = write(tmp_path / "ns.csv", "Document Number,Date,Name,Item\nSO1,3/5/2024,A,B\n")

    with pytest.raises(ValidationFailed) as failed:
        read_orders(path, None)

    assert failed.value.problems == [
        "ns.csv:1: header: missing column(s): Status, Currency, Quantity, Shipping Addressee, "
        "Shipping Address 1, Shipping City, Shipping Zip, Shipping Country"
    ]


def test_the_sample_imports_once_and_a_second_run_finds_every_order_present(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(db, "import-products", str(SAMPLES / "products.csv")) == 0
    capsys.readouterr()

    assert cli(db, "import-orders", str(SAMPLE)) == 0  # the format is told by the header
    first = capsys.readouterr().out.splitlines()
    assert cli(db, "import-orders", str(SAMPLE), "--format", "netsuite") == 0
    second = capsys.readouterr().out.splitlines()

    assert first[0] == "imported 3 orders (0 on hold), 0 already present, 3 skipped"
    assert "  skipped: SO1040: pending approval in NetSuite" in first
    assert second[0] == "imported 0 orders (0 on hold), 3 already present, 3 skipped"
    assert read(db, lambda s: s.scalar(select(func.count()).select_from(Order))) == 3
    assert read(db, lambda s: s.scalars(select(Channel.kind)).all()) == ["netsuite"]
    detail = order_detail(db, "SO1044")
    assert [(line.sku, line.qty_ordered) for line in detail.lines] == [("JAR-HONEY", 24)]


def test_one_bad_order_imports_nothing(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    header, rows = sample_rows()
    column = {name: i for i, name in enumerate(header)}
    rows[2][column["Rate"]] = "8.999"  # SO1042's tea, after its main line and its mugs
    path = write(tmp_path / "ns.csv", csv_of(header, rows))

    assert cli(db, "import-orders", str(path)) == 1

    assert capsys.readouterr().err.splitlines() == [
        "error: 1 problem(s) in 1 of 6 orders; nothing imported",
        "  ns.csv:7: Rate: 8.999 has more than 2 decimal places",
    ]
    assert read(db, lambda s: s.scalar(select(func.count()).select_from(Order))) == 0


def test_a_later_search_that_shows_an_order_cancelled_cancels_it_here(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(db, "import-products", str(SAMPLES / "products.csv")) == 0
    assert cli(db, "import-orders", str(SAMPLE)) == 0
    header, rows = sample_rows()
    column = {name: i for i, name in enumerate(header)}
    for row in rows:
        if row[column["Document Number"]] == "SO1044":
            row[column["Status"]] = "Cancelled"
    capsys.readouterr()

    assert cli(db, "import-orders", str(write(tmp_path / "later.csv", csv_of(header, rows)))) == 0

    out = capsys.readouterr().out.splitlines()
    number = order_detail(db, "SO1044").number
    assert f"  cancelled: {number} (SO1044): cancelled in NetSuite" in out
    assert order_detail(db, "SO1044").status == "cancelled"
    assert order_detail(db, "SO1042").status != "cancelled"
