"""show-order --json carries the desk's history besides the documented keys: the
timeline, the payments and the customer's other orders."""

from __future__ import annotations

from pathlib import Path

from tests.cli.runner import Cli, sqlite_url
from tests.cli.test_cli import ORDER_KEYS, ok_json


def test_show_order_json_adds_the_timeline_payments_and_customer_orders(
    cli: Cli, demo_db: Path
) -> None:
    order = ok_json(cli(sqlite_url(demo_db), "show-order", "SO-100001", "--json"))

    assert set(order) >= ORDER_KEYS | {"timeline", "payments", "customer_orders", "zone"}
    first = order["timeline"][0]
    assert set(first) == {"at", "kind", "who", "station", "text"}
    assert first["text"].startswith("Created")
    assert [e["at"] for e in order["timeline"]] == sorted(e["at"] for e in order["timeline"])
    assert order["payments"][0]["kind"] == "payment"
    assert all(
        set(o) == {"number", "placed_at", "status", "total", "currency"}
        for o in order["customer_orders"]
    )
