"""What the shop already did is shown, not dropped: units it shipped, cancelled or refunded
itself are on the order as handled elsewhere, and are never reserved, picked or shipped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.context import Actor
from app.errors import ValidationFailed
from app.imports import magento
from app.services.order_lines import LineEdit, edit_lines
from app.services.orders import order_detail
from db.engine import Database
from tests.factories import stock
from tests.imports.files import SAMPLES, cli, shopify_csv, shopify_order, write

HEADER = "external_ref,placed_at,name,address1,city,postcode,country,sku,quantity,shipped_quantity"


def own_csv(path: Path, *lines: str) -> Path:
    """Lines "REF,SKU,QUANTITY,SHIPPED" of orders to one address."""
    body = []
    for line in lines:
        ref, rest = line.split(",", 1)
        body.append(f"{ref},2024-03-05T10:00:00Z,Zoë,Str 1,Berlin,10115,DE,{rest}")
    return write(path, "\n".join([HEADER, *body]) + "\n")


def quantities(db: Database, ref: str) -> list[tuple[str, int, int, int, int]]:
    return [
        (x.sku, x.qty_ordered, x.qty_handled_elsewhere, x.qty_allocated, x.qty_shipped)
        for x in order_detail(db, ref).lines
    ]


def test_three_ordered_one_shipped_by_the_shop_reserves_picks_and_ships_two(
    db: Database, actor: Actor, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stock(db, actor, {"MUG": 10, "TEA": 10})
    path = own_csv(tmp_path / "o.csv", "A,MUG,3,1", "A,TEA,1,")
    assert cli(db, "import-orders", str(path), "--channel", "web") == 0
    assert cli(db, "allocate") == 0
    number = order_detail(db, "A").number

    assert quantities(db, "A") == [("MUG", 3, 1, 2, 0), ("TEA", 1, 0, 1, 0)]
    capsys.readouterr()
    assert cli(db, "show-order", number, "--json") == 0
    lines = json.loads(capsys.readouterr().out)["lines"]
    assert [(x["sku"], x["qty_ordered"], x["qty_handled_elsewhere"]) for x in lines] == [
        ("MUG", 3, 1),
        ("TEA", 1, 0),
    ]
    assert cli(db, "show-order", number) == 0
    assert "ordered 3 allocated 2 picked 0 packed 0 shipped 0 handled elsewhere 1" in (
        capsys.readouterr().out
    )

    assert cli(db, "pack", number) == 0 and cli(db, "ship", number) == 0

    assert order_detail(db, "A").status == "shipped"
    assert quantities(db, "A") == [("MUG", 3, 1, 2, 2), ("TEA", 1, 0, 1, 1)]
    assert cli(db, "verify") == 0


def test_an_order_the_shop_shipped_entirely_is_not_imported_and_one_here_is_cancelled(
    db: Database, actor: Actor, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stock(db, actor, {"MUG": 10})
    first = own_csv(tmp_path / "a.csv", "A,MUG,2,")
    assert cli(db, "import-orders", str(first), "--channel", "web") == 0
    assert cli(db, "allocate") == 0
    capsys.readouterr()

    later = own_csv(tmp_path / "b.csv", "A,MUG,2,2", "B,MUG,1,1")
    assert cli(db, "import-orders", str(later), "--channel", "web") == 0

    number = order_detail(db, "A").number
    assert capsys.readouterr().out.splitlines() == [
        "imported 0 orders (0 on hold), 1 already present, 1 skipped",
        "  already here: 0 unchanged, 0 updated, 1 cancelled, 0 held",
        f"  cancelled: {number} (A): every unit handled at the channel",
        "  skipped: B: every unit handled at the channel",
    ]
    # cancelled: the lifecycle's only end for an order that leaves no parcel from here;
    # the lines say why - every unit was handled elsewhere
    assert order_detail(db, "A").status == "cancelled"
    assert quantities(db, "A") == [("MUG", 2, 2, 0, 0)]
    assert cli(db, "verify") == 0


def test_magento_shipped_refunded_and_cancelled_quantities_are_handled_elsewhere(
    db: Database, actor: Actor, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(db, "import-products", str(SAMPLES / "products.csv")) == 0
    assert cli(db, "import-stock", str(SAMPLES / "stock.csv")) == 0
    assert cli(db, "import-orders", str(SAMPLES / "magento_orders.json")) == 0
    assert cli(db, "allocate") == 0
    capsys.readouterr()

    assert cli(db, "import-orders", str(SAMPLES / "magento_orders_later.json")) == 0

    tea, cancelled = order_detail(db, "000000102"), order_detail(db, "000000103")
    assert capsys.readouterr().out.splitlines()[:5] == [
        "imported 0 orders (0 on hold), 4 already present, 1 skipped",
        "  already here: 2 unchanged, 1 updated, 1 cancelled, 0 held",
        f"  updated: {tea.number} (000000102): TEA-EARL 1 handled elsewhere",
        f"  cancelled: {cancelled.number} (000000103): canceled in Magento",
        "  skipped: 000000104: complete in Magento",
    ]
    assert quantities(db, "000000102") == [("TEA-EARL", 3, 1, 2, 0)]
    assert cancelled.status == "cancelled"
    assert cli(db, "verify") == 0


def test_magento_handled_quantities_add_up_and_never_exceed_what_was_ordered(
    tmp_path: Path,
) -> None:
    document = json.loads((SAMPLES / "magento_orders.json").read_text(encoding="utf-8"))
    order = document["items"][1]  # 3 x TEA-EARL
    tea = next(item for item in order["items"] if item["sku"] == "TEA-EARL")
    tea.update(qty_shipped=1, qty_refunded=1, qty_canceled=0)
    path = tmp_path / "m.json"
    path.write_text(json.dumps({"items": [order], "total_count": 1}), encoding="utf-8")
    assert [
        (x.sku, x.handled_elsewhere) for x in magento.read_orders(path, None).orders[0].lines
    ] == [("TEA-EARL", 2)]
    tea.update(qty_shipped=3, qty_refunded=1)
    path.write_text(json.dumps({"items": [order], "total_count": 1}), encoding="utf-8")
    assert [x.handled_elsewhere for x in magento.read_orders(path, None).orders[0].lines] == [3]


def test_shopify_lines_fulfilled_elsewhere_come_in_handled_and_a_partial_line_is_held(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    stock(db, actor, {"MUG-BLU": 10, "TEA": 10})
    fulfilled = shopify_order("#1", [("MUG-BLU", "2"), ("TEA", "1")], Fulfillment_Status="partial")
    fulfilled[0]["Lineitem fulfillment status"] = "fulfilled"
    partial = shopify_order("#2", [("MUG-BLU", "3")], Fulfillment_Status="partial")
    partial[0]["Lineitem fulfillment status"] = "partial"
    path = write(tmp_path / "s.csv", shopify_csv(fulfilled, partial))

    assert cli(db, "import-orders", str(path)) == 0
    assert cli(db, "allocate") == 0

    assert quantities(db, "#1") == [("MUG-BLU", 2, 2, 0, 0), ("TEA", 1, 0, 1, 0)]
    held = order_detail(db, "#2")
    assert (held.status, held.hold_reason) == (
        "on_hold",
        "line 1 (MUG-BLU) partly fulfilled in Shopify; the export does not say how many units",
    )
    assert cli(db, "verify") == 0


def test_a_shipped_quantity_above_the_ordered_one_refuses_the_file(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = own_csv(tmp_path / "o.csv", "A,MUG,2,3")

    assert cli(db, "import-orders", str(path), "--channel", "web") == 1

    assert capsys.readouterr().err.splitlines() == [
        "error: 1 problem(s) in 1 of 1 orders; nothing imported",
        "  o.csv:2: shipped_quantity: 3 is more than the quantity 2",
    ]


def test_the_desk_cannot_set_a_line_below_what_the_shop_already_handled(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    stock(db, actor, {"MUG": 10})
    path = own_csv(tmp_path / "o.csv", "A,MUG,3,2")
    assert cli(db, "import-orders", str(path), "--channel", "web") == 0
    version = order_detail(db, "A").version

    with pytest.raises(ValidationFailed, match="the shop already handled 2 of its units"):
        edit_lines(db, actor, "A", version, [LineEdit("MUG", 1)])

    assert quantities(db, "A") == [("MUG", 3, 2, 0, 0)]
    edit_lines(db, actor, "A", version, [LineEdit("MUG", 4)])
    assert cli(db, "allocate") == 0
    assert quantities(db, "A") == [("MUG", 4, 2, 2, 0)]
