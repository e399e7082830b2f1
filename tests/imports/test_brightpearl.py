"""Brightpearl's order GET response: the wrapper, rows keyed by id, numbers as strings."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.errors import ValidationFailed
from app.imports.brightpearl import read_orders
from app.services.orders import order_detail
from db.engine import Database
from db.models import Channel, Order
from db.uow import read
from tests.imports.files import SAMPLES, cli

SAMPLE_PATH = SAMPLES / "brightpearl_orders.json"
SAMPLE: dict[str, Any] = json.loads(SAMPLE_PATH.read_text(encoding="utf-8"))


def save(path: Path, document: object) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_sample_reads_rows_in_sequence_bundles_as_their_parts_and_skips_the_rest() -> None:
    file = read_orders(SAMPLE_PATH, None)

    orders = {o.external_ref: o for o in file.orders}
    assert sorted(orders) == ["100231", "100232", "100233"]
    assert [(c.ref, c.skipped) for c in file.skipped] == [
        ("100224", "already shipped in Brightpearl"),
        ("100228", "cancelled in Brightpearl"),
        ("100229", "not a sales order (SC) in Brightpearl"),
    ]
    cambridge = orders["100231"]  # the delivery charge is a free-text row, not a line
    assert [(line.sku, line.quantity, line.unit_price) for line in cambridge.lines] == [
        ("MUG-BLU", 2, Decimal("14.50")),
        ("TEA-EARL", 1, Decimal("8.90")),
    ]
    to = cambridge.ship_to
    assert (to.name, to.address1, to.address2, to.city, to.region, to.postcode, to.country) == (
        "Amelia Hart",
        "14 Orchard Lane",
        "Little Shelford",
        "Cambridge",
        "Cambridgeshire",
        "CB22 5EH",
        "GB",
    )
    assert (cambridge.placed_at, cambridge.grand_total, cambridge.tax_total) == (
        datetime(2024, 3, 5, 9, 12, 44, tzinfo=UTC),
        Decimal("49.58"),
        Decimal("6.78"),
    )
    galway = orders["100232"]  # rows keyed out of order; the gift box ships as its parts
    assert [line.sku for line in galway.lines] == ["SPOON-SET", "POT-CAST", "TEA-SENCHA"]
    assert (galway.currency, galway.ship_to.country, galway.payment_status) == (
        "EUR",
        "IE",
        "partially_paid",
    )
    mill = orders["100233"].ship_to  # a two-line street; the company's goods-in
    assert (mill.name, mill.company, mill.address1, mill.address2) == (
        "Goods In",
        "The Tea Room Ltd",
        "Unit 9 Mill Yard",
        "Station Road",
    )


def test_a_bare_list_and_a_single_order_read_too(tmp_path: Path) -> None:
    one = SAMPLE["response"][0]
    listed = read_orders(save(tmp_path / "list.json", SAMPLE["response"][:2]), "bp-uk")
    single = read_orders(save(tmp_path / "one.json", one), None)

    assert [o.external_ref for o in listed.orders] == ["100231", "100232"]
    assert {o.channel for o in listed.orders} == {"bp-uk"}
    assert [o.external_ref for o in single.orders] == ["100231"]


def test_problems_are_named_by_json_path(tmp_path: Path) -> None:
    document = copy.deepcopy(SAMPLE)
    order = document["response"][0]
    order["orderRows"]["3411"]["quantity"]["magnitude"] = "1.5000"
    order["orderRows"]["3412"]["rowValue"]["rowNet"]["value"] = "eight"
    order["parties"]["delivery"]["countryIsoCode"] = "XYZ"
    del order["parties"]["delivery"]["addressLine3"]

    file = read_orders(save(tmp_path / "bp.json", document), None)

    assert file.rejected[0].problems == [
        "bp.json:response[0].orderRows.3411.quantity.magnitude: "
        "must be a positive whole number, not '1.5000'",
        "bp.json:response[0].orderRows.3412.rowValue.rowNet.value: "
        "not a decimal amount: 'eight' (write it as 12.50)",
        "bp.json:response[0].parties.delivery.countryIsoCode: "
        "unknown country 'XYZ' (a 2-letter ISO code such as DE)",
        "bp.json:response[0].parties.delivery.addressLine3: required",
    ]


def test_an_unrecognised_document_is_refused_in_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed) as failed:
        read_orders(save(tmp_path / "bp.json", {"errors": [{"code": "MSCA-002"}]}), None)

    assert str(failed.value) == (
        "bp.json: not a Brightpearl order response "
        '(expected {"response": [...]}, a list of orders or one order)'
    )


def test_the_sample_imports_once_and_a_retry_finds_every_order_present(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(db, "import-products", str(SAMPLES / "products.csv")) == 0
    capsys.readouterr()

    assert cli(db, "import-orders", str(SAMPLE_PATH)) == 0  # told by its orderRows
    first = capsys.readouterr().out.splitlines()
    assert cli(db, "import-orders", str(SAMPLE_PATH), "--format", "brightpearl") == 0
    second = capsys.readouterr().out.splitlines()

    assert first[0] == "imported 3 orders (1 on hold), 0 already present, 3 skipped"
    assert "  on hold: SO-100003 (100233): payment not authorised (status unpaid)" in first
    assert second[0] == "imported 0 orders (0 on hold), 3 already present, 3 skipped"
    assert read(db, lambda s: s.scalar(select(func.count()).select_from(Order))) == 3
    assert read(db, lambda s: s.scalars(select(Channel.kind)).all()) == ["brightpearl"]
    lines = order_detail(db, "100232").lines
    assert [(line.sku, line.qty_ordered) for line in lines] == [
        ("SPOON-SET", 3),
        ("POT-CAST", 1),
        ("TEA-SENCHA", 2),
    ]


def test_one_bad_order_imports_nothing(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = copy.deepcopy(SAMPLE)
    document["response"][2]["placedOn"] = "yesterday"

    assert cli(db, "import-orders", str(save(tmp_path / "bp.json", document))) == 1

    assert capsys.readouterr().err.splitlines() == [
        "error: 1 problem(s) in 1 of 6 orders; nothing imported",
        "  bp.json:response[2].placedOn: not a date and time: 'yesterday' "
        "(write 2024-03-05 14:07:12+01:00)",
    ]
    assert read(db, lambda s: s.scalar(select(func.count()).select_from(Order))) == 0


def test_a_later_response_with_the_order_cancelled_cancels_it_here(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(db, "import-products", str(SAMPLES / "products.csv")) == 0
    assert cli(db, "import-orders", str(SAMPLE_PATH)) == 0
    later = copy.deepcopy(SAMPLE)
    later["response"][0]["isCanceled"] = True
    capsys.readouterr()

    assert cli(db, "import-orders", str(save(tmp_path / "later.json", later))) == 0

    out = capsys.readouterr().out.splitlines()
    number = order_detail(db, "100231").number
    assert f"  cancelled: {number} (100231): cancelled in Brightpearl" in out
    assert order_detail(db, "100231").status == "cancelled"
