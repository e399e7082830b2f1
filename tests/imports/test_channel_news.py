"""A later export of an order already here is news: cancelled, changed, or unchanged.

Before picking starts the order follows the channel (cancelled with its stock released,
or updated and allocated again); once picking has started it is held with the reason.
Every change is audited with the file and line it came from, and importing the same
file again changes nothing.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.context import Actor
from app.services.intake import create_manual_order
from app.services.order_actions import hold_order, release_hold
from app.services.orders import order_detail
from db.engine import Database
from db.models import AuditEvent, Order, StockLevel
from db.uow import read
from tests.factories import new_order, stock
from tests.imports.files import SAMPLES, cli, write

HEADER = "external_ref,placed_at,name,address1,city,postcode,country,cancelled,sku,quantity"


def audit_count(db: Database) -> int:
    return read(db, lambda s: s.scalar(select(func.count()).select_from(AuditEvent)) or 0)


def reserved(db: Database) -> int:
    return read(db, lambda s: s.scalar(select(func.sum(StockLevel.reserved))) or 0)


def events(db: Database, ref: str, action: str) -> list[tuple[str | None, object]]:
    def work(session: object) -> list[tuple[str | None, object]]:
        order_id = select(Order.id).where(Order.external_ref == ref).scalar_subquery()
        rows = session.execute(  # type: ignore[attr-defined]
            select(AuditEvent.reason, AuditEvent.details)
            .where(AuditEvent.entity_id == order_id, AuditEvent.action == action)
            .order_by(AuditEvent.id)
        )
        return [tuple(row) for row in rows]

    return read(db, work)


def own_file(path: Path, *orders: tuple[str, str, str]) -> Path:
    """Orders (ref, street, cancelled) with one MUG and one TEA each."""
    rows = [
        f"{ref},2024-03-05T10:00:00Z,Zoë Müller,{street},Berlin,10115,DE,{cancelled},{sku},{qty}"
        for ref, street, cancelled in orders
        for sku, qty in (("MUG", 2), ("TEA", 1))
    ]
    return write(path, "\n".join([HEADER, *rows]) + "\n")


def test_a_later_shopify_export_cancels_updates_and_is_then_idempotent(
    db: Database, actor: Actor, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(db, "import-products", str(SAMPLES / "products.csv")) == 0
    assert cli(db, "import-stock", str(SAMPLES / "stock.csv")) == 0
    assert cli(db, "import-orders", str(SAMPLES / "shopify_orders.csv")) == 0
    assert cli(db, "allocate") == 0
    before = reserved(db)
    capsys.readouterr()

    assert cli(db, "import-orders", str(SAMPLES / "shopify_orders_later.csv")) == 0

    out = capsys.readouterr().out.splitlines()
    number = {ref: order_detail(db, ref).number for ref in ("#1001", "#1002", "#1004", "#1006")}
    number["#1011"] = order_detail(db, "#1011").number
    assert out == [
        "imported 0 orders (0 on hold), 14 already present, 2 skipped",
        "  already here: 9 unchanged, 4 updated, 1 cancelled, 0 held",
        f"  updated: {number['#1002']} (#1002): street",
        f"  updated: {number['#1004']} (#1004): JAR-HONEY 2 -> 3",
        f"  updated: {number['#1006']} (#1006): MUG-RED 1 handled elsewhere",
        f"  updated: {number['#1011']} (#1011): service level express -> overnight",
        f"  cancelled: {number['#1001']} (#1001): cancelled in Shopify",
        "  skipped: #1009: already fulfilled in Shopify",
        "  skipped: #1016: cancelled in Shopify",
    ]
    cancelled = order_detail(db, "#1001")
    assert cancelled.status == "cancelled"
    assert [line.qty_allocated for line in cancelled.lines] == [0, 0]
    assert order_detail(db, "#1002").ship_to["address1"] == "14, rue de la Paix"
    honey = [x for x in order_detail(db, "#1004").lines if x.sku == "JAR-HONEY"]
    assert [(x.qty_ordered, x.qty_allocated) for x in honey] == [(3, 3)]
    mug = [x for x in order_detail(db, "#1006").lines if x.sku == "MUG-RED"]
    assert [(x.qty_ordered, x.qty_handled_elsewhere, x.qty_allocated) for x in mug] == [(1, 1, 0)]
    assert order_detail(db, "#1011").service_level == "overnight"
    # #1001's 3 units and #1006's mug given back, one more honey jar reserved
    assert reserved(db) == before - 3 - 1 + 1
    assert events(db, "#1002", "changed at the channel") == [
        (
            "changed at the channel: street",
            {"source": "shopify_orders_later.csv:4", "changes": ["street"]},
        )
    ]
    assert events(db, "#1001", "cancelled at the channel") == [
        ("cancelled in Shopify", {"source": "shopify_orders_later.csv:2", "changes": []})
    ]

    audited = audit_count(db)
    assert cli(db, "import-orders", str(SAMPLES / "shopify_orders_later.csv")) == 0

    assert capsys.readouterr().out.splitlines()[:2] == [
        "imported 0 orders (0 on hold), 14 already present, 2 skipped",
        "  already here: 14 unchanged, 0 updated, 0 cancelled, 0 held",
    ]
    assert audit_count(db) == audited
    assert cli(db, "verify") == 0


def test_after_picking_started_the_change_holds_the_order_and_a_shipped_one_is_reported(
    db: Database, actor: Actor, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stock(db, actor, {"MUG": 20, "TEA": 20})
    first = own_file(tmp_path / "a.csv", ("A", "Str 1", ""), ("B", "Str 2", ""), ("C", "Str 3", ""))
    assert cli(db, "import-orders", str(first), "--channel", "web") == 0
    assert cli(db, "allocate") == 0
    packed, shipped = order_detail(db, "A").number, order_detail(db, "B").number
    waiting = order_detail(db, "C").number
    assert cli(db, "pack", packed) == 0
    assert cli(db, "pack", shipped) == 0 and cli(db, "ship", shipped) == 0
    capsys.readouterr()
    later = own_file(
        tmp_path / "b.csv", ("A", "Str 11", ""), ("B", "Str 2", "true"), ("C", "Str 3", "true")
    )

    assert cli(db, "import-orders", str(later), "--channel", "web") == 0

    assert capsys.readouterr().out.splitlines() == [
        "imported 0 orders (0 on hold), 3 already present",
        "  already here: 0 unchanged, 0 updated, 1 cancelled, 1 held, 1 not applied",
        f"  cancelled: {waiting} (C): cancelled at the channel",
        f"  held: {packed} (A): changed at the channel after picking started: street",
        f"  not applied: {shipped} (B): cancelled at the channel, but it is shipped here",
    ]
    held = order_detail(db, "A")
    assert (held.status, held.hold_reason) == (
        "on_hold",
        "changed at the channel after picking started: street",
    )
    assert held.ship_to["address1"] == "Str 1"  # the desk decides, not the import
    assert order_detail(db, "C").status == "cancelled"
    assert [(x.qty_allocated, x.qty_handled_elsewhere) for x in order_detail(db, "C").lines] == [
        (0, 0),
        (0, 0),
    ]
    assert events(db, "A", "held by channel news")[0][1] == {
        "source": "b.csv:2",
        "changes": ["street"],
    }

    assert release_hold(db, actor, packed, "customer phoned: old street is right") == "packed"
    audited = audit_count(db)
    assert cli(db, "import-orders", str(later), "--channel", "web") == 0

    assert capsys.readouterr().out.splitlines()[1] == (
        "  already here: 2 unchanged, 0 updated, 0 cancelled, 0 held, 1 not applied"
    )
    assert order_detail(db, "A").status == "packed"
    assert audit_count(db) == audited
    assert cli(db, "verify") == 0


def test_a_cancellation_of_an_order_on_hold_before_picking_cancels_it(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    stock(db, actor, {"MUG": 20, "TEA": 20})
    first = own_file(tmp_path / "a.csv", ("A", "Str 1", ""))
    assert cli(db, "import-orders", str(first), "--channel", "web") == 0
    assert cli(db, "allocate") == 0
    hold_order(db, actor, "A", "fraud check")

    again = own_file(tmp_path / "b.csv", ("A", "Str 1", "true"))
    assert cli(db, "import-orders", str(again), "--channel", "web") == 0

    assert order_detail(db, "A").status == "cancelled"
    assert reserved(db) == 0
    assert cli(db, "verify") == 0


def test_the_desk_finds_an_updated_order_by_its_new_name(
    db: Database, actor: Actor, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stock(db, actor, {"MUG": 20, "TEA": 20})
    first = own_file(tmp_path / "a.csv", ("A", "Str 1", ""))
    assert cli(db, "import-orders", str(first), "--channel", "web") == 0
    renamed = (tmp_path / "a.csv").read_text(encoding="utf-8").replace("Zoë Müller", "Zoë Weber")

    assert (
        cli(db, "import-orders", str(write(tmp_path / "b.csv", renamed)), "--channel", "web") == 0
    )

    capsys.readouterr()
    assert cli(db, "orders", "--search", "Weber", "--json") == 0
    found = json.loads(capsys.readouterr().out)
    assert [row["external_ref"] for row in found] == ["A"]


def test_an_order_typed_at_the_desk_again_under_the_same_reference_changes_nothing(
    db: Database, actor: Actor
) -> None:
    stock(db, actor, {"MUG": 5})
    typed = new_order({"MUG": 1}, ref="PHONE-20240305-100000", channel="phone")
    create_manual_order(db, actor, typed)
    other_street = replace(typed, ship_to=replace(typed.ship_to, address1="Elsewhere 1"))

    result = create_manual_order(db, actor, other_street)

    assert (result.created, result.already_present) == ([], ["PHONE-20240305-100000"])
    assert order_detail(db, "PHONE-20240305-100000").ship_to["address1"] == "Torstraße 12"


def test_a_line_added_at_the_channel_for_an_unknown_sku_updates_and_holds_the_order(
    db: Database, actor: Actor, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stock(db, actor, {"MUG": 20, "TEA": 20})
    first = own_file(tmp_path / "a.csv", ("A", "Str 1", ""))
    assert cli(db, "import-orders", str(first), "--channel", "web") == 0
    assert cli(db, "allocate") == 0
    text = first.read_text(encoding="utf-8") + "A,,,,,,,,POT,1\n"

    capsys.readouterr()
    assert cli(db, "import-orders", str(write(tmp_path / "b.csv", text)), "--channel", "web") == 0

    held = order_detail(db, "A")
    assert capsys.readouterr().out.splitlines()[1:] == [
        "  already here: 0 unchanged, 0 updated, 0 cancelled, 1 held",
        f"  held: {held.number} (A): unknown SKU POT on line 3",
    ]
    assert (held.status, held.hold_reason) == ("on_hold", "unknown SKU POT on line 3")
    assert [(x.sku, x.qty_allocated) for x in held.lines] == [("MUG", 0), ("TEA", 0), ("POT", 0)]
    assert reserved(db) == 0
    assert cli(db, "verify") == 0
