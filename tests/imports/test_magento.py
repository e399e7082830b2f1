"""Magento 2's GET /V1/orders JSON: configurables counted once, problems by JSON path."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from app.context import Actor
from app.errors import ValidationFailed
from app.imports.magento import read_orders
from app.imports.orders import import_orders, rejects_path, write_rejects
from db.engine import Database
from tests.imports.files import SAMPLES, cli

SAMPLE: dict[str, Any] = json.loads((SAMPLES / "magento_orders.json").read_text(encoding="utf-8"))


def save(path: Path, document: object) -> Path:
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_sample_reads_with_configurables_once_and_bundles_as_their_parts() -> None:
    file = read_orders(SAMPLES / "magento_orders.json", None)

    orders = {o.external_ref: o for o in file.orders}
    assert sorted(orders) == ["000000101", "000000102", "000000103", "000000105"]
    assert [(c.ref, c.skipped) for c in file.skipped] == [("000000104", "complete in Magento")]
    kyiv = orders["000000101"]
    assert [(line.sku, line.quantity, line.unit_price) for line in kyiv.lines] == [
        ("TEE-ORG-M", 1, Decimal("24.00")),
        ("JAR-HONEY", 2, Decimal("9.50")),
    ]
    assert kyiv.placed_at == datetime(2024, 3, 5, 13, 7, 12, tzinfo=UTC)
    assert (kyiv.ship_to.name, kyiv.ship_to.address1, kyiv.ship_to.address2) == (
        "Олена Коваленко",
        "вул. Хрещатик, 22",
        "кв. 5",
    )
    assert (kyiv.channel, kyiv.payment_status, kyiv.grand_total) == (
        "magento",
        "paid",
        Decimal("47.90"),
    )
    assert [line.sku for line in orders["000000102"].lines] == ["TEA-EARL"]
    assert orders["000000102"].payment_status == "authorized"
    assert orders["000000103"].payment_status == "pending"
    assert orders["000000103"].service_level == "express"
    assert [line.sku for line in orders["000000105"].lines] == ["TEA-EARL", "SPOON-SET"]


def test_one_order_object_on_its_own_is_read_too(tmp_path: Path) -> None:
    file = read_orders(save(tmp_path / "one.json", SAMPLE["items"][0]), "shop-de")

    assert [(o.external_ref, o.channel) for o in file.orders] == [("000000101", "shop-de")]


def test_problems_name_the_json_path_of_the_field(tmp_path: Path) -> None:
    document = copy.deepcopy(SAMPLE)
    document["items"][1]["items"][0]["qty_ordered"] = "abc"
    document["items"][1]["order_currency_code"] = "XYZ"
    address = document["items"][2]["extension_attributes"]["shipping_assignments"][0]
    address["shipping"]["address"]["country_id"] = "Atlantis"
    del document["items"][4]["created_at"]

    file = read_orders(save(tmp_path / "orders.json", document), None)

    assert [p for c in file.rejected for p in c.problems] == [
        "orders.json:items[1].items[0].qty_ordered: must be a positive whole number, not 'abc'",
        "orders.json:items[1].order_currency_code: unknown currency 'XYZ' "
        "(an ISO 4217 code such as EUR)",
        "orders.json:items[2].extension_attributes.shipping_assignments[0].shipping.address"
        ".country_id: unknown country 'Atlantis' (a 2-letter ISO code such as DE)",
        "orders.json:items[4].created_at: required",
    ]


def test_a_document_that_is_not_an_orders_response_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed, match="not a Magento orders response"):
        read_orders(save(tmp_path / "x.json", [1, 2]), None)


def test_rejects_are_a_magento_document_that_imports_once_fixed(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    document = copy.deepcopy(SAMPLE)
    document["items"][0]["items"][2]["qty_ordered"] = -2
    file = read_orders(save(tmp_path / "orders.json", document), None)

    done = import_orders(db, actor, file, partial=True)
    rejects = rejects_path(file, None)
    write_rejects(file, rejects)

    assert len(done.intake.created) == 3
    assert rejects.name == "orders.rejects.json"
    written = json.loads(rejects.read_text(encoding="utf-8"))
    assert written["total_count"] == 1
    assert written["items"][0]["increment_id"] == "000000101"
    written["items"][0]["items"][2]["qty_ordered"] = 2
    again = read_orders(save(rejects, written), None)
    assert [o.external_ref for o in again.orders] == ["000000101"]
    assert len(import_orders(db, actor, again, partial=False).intake.created) == 1


def test_importing_the_magento_sample_twice_creates_nothing_new(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    sample = str(SAMPLES / "magento_orders.json")

    assert cli(db, "import-orders", sample) == 0
    assert cli(db, "import-orders", sample, "--format", "magento") == 0

    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "imported 4 orders (4 on hold), 0 already present, 1 skipped"
    assert "imported 0 orders (0 on hold), 4 already present, 1 skipped" in lines
