"""`pack ORDER --ship`: pack and dispatch in one command and one transaction."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.cli.runner import Cli, assert_refused, sqlite_url


def _first_allocated(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        (number,) = conn.execute(
            "SELECT number FROM orders WHERE status = 'allocated' ORDER BY id LIMIT 1"
        ).fetchone()
    finally:
        conn.close()
    return str(number)


def test_pack_with_ship_leaves_the_order_shipped_and_the_ledger_agreeing(
    cli: Cli, demo_db: Path
) -> None:
    url = sqlite_url(demo_db)
    number = _first_allocated(demo_db)

    packed = cli(url, "pack", number, "--ship")
    order = json.loads(cli(url, "show-order", number, "--json").out)
    checked = cli(url, "verify")

    assert packed.code == 0, str(packed)
    assert packed.out.rstrip().endswith("; shipped"), str(packed)
    assert order["status"] == "shipped"
    (shipment,) = order["shipments"]
    assert shipment["tracking_number"] in packed.out
    assert all(line["qty_shipped"] == line["qty_packed"] > 0 for line in order["lines"])
    assert checked.code == 0, str(checked)
    # Dispatched already: a second `ship` is refused and changes nothing.
    assert_refused(cli(url, "ship", number))


def test_pack_without_ship_still_stops_at_packed(cli: Cli, demo_db: Path) -> None:
    url = sqlite_url(demo_db)
    number = _first_allocated(demo_db)

    packed = cli(url, "pack", number)
    order = json.loads(cli(url, "show-order", number, "--json").out)

    assert packed.code == 0, str(packed)
    assert "shipped" not in packed.out
    assert order["status"] == "packed"
