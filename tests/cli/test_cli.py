"""The headless command line, run as a user runs it: `python main.py --db URL COMMAND`.

DESIGN.md makes it a contract: JSON keys stay stable, and bad input gives one human
line on stderr, a non-zero exit, and no change to any data.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from app.domain.order_workflow import OrderStatus
from tests.cli.runner import (
    Cli,
    DemoTemplate,
    Result,
    assert_refused,
    fingerprint,
    sqlite_url,
    stamp_newer,
    still_writable,
)

SHIP_TO_KEYS = {"name", "address1", "address2", "city", "postcode", "region", "country"}
LINE_KEYS = {
    "sku",
    "name",
    "qty_ordered",
    "qty_allocated",
    "qty_picked",
    "qty_packed",
    "qty_shipped",
    "qty_returned",
}
ORDER_KEYS = {
    "number",
    "external_ref",
    "channel",
    "status",
    "priority",
    "hold_reason",
    "ship_to",
    "lines",
    "shipments",
    "packing",
}


def ok_json(result: Result) -> Any:
    assert result.code == 0, str(result)
    assert result.err == "", str(result)
    return json.loads(result.out)


def query(path: Path, sql: str) -> list[Any]:
    """Read a database file directly: to pick test data, or to tamper with it."""
    conn = sqlite3.connect(path)
    try:
        with conn:
            return conn.execute(sql).fetchall()
    finally:
        conn.close()


# -- a working warehouse -------------------------------------------------------------------


def test_init_db_and_demo_data_build_a_warehouse_and_a_second_init_db_says_it_is_ready(
    cli: Cli, demo_template: DemoTemplate, demo_db: Path
) -> None:
    made, loaded = demo_template.init_db, demo_template.demo_data
    assert made.code == 0, str(made)
    assert made.out.startswith("created the Shipshape schema in sqlite:///"), str(made)
    assert loaded.code == 0, str(loaded)
    assert "200 orders loaded" in loaded.out, str(loaded)
    # Nothing is left beside the file once the commands have finished.
    assert [p.name for p in demo_template.path.parent.iterdir()] == ["shipshape.db"]

    again = cli(sqlite_url(demo_db), "init-db")

    assert again.code == 0, str(again)
    assert "ready (schema up to date)" in again.out


def test_stats_json_counts_add_up(cli: Cli, demo_db: Path) -> None:
    stats = ok_json(cli(sqlite_url(demo_db), "stats", "--json"))

    assert stats["orders_total"] == 200
    assert set(stats["orders_by_status"]) == {s.value for s in OrderStatus}
    assert sum(stats["orders_by_status"].values()) == stats["orders_total"]
    assert stats["orders_by_status"]["allocated"] > 0
    stock = stats["stock"]
    assert set(stock) >= {"on_hand", "reserved", "available"}
    assert stock["available"] == stock["on_hand"] - stock["reserved"]
    assert 0 < stock["reserved"] <= stock["on_hand"]


def test_orders_json_lists_orders_and_filters_by_status(cli: Cli, demo_db: Path) -> None:
    url = sqlite_url(demo_db)
    everything = ok_json(cli(url, "orders", "--json", "--limit", "1000"))
    allocated = ok_json(cli(url, "orders", "--json", "--status", "allocated", "--limit", "1000"))

    assert len(everything) == 200
    assert all({"number", "external_ref", "status"} <= set(row) for row in everything)
    assert len({row["number"] for row in everything}) == 200
    assert allocated
    assert {row["status"] for row in allocated} == {"allocated"}
    assert len(allocated) == sum(row["status"] == "allocated" for row in everything)


def test_show_order_json_has_the_documented_keys(cli: Cli, demo_db: Path) -> None:
    order = ok_json(cli(sqlite_url(demo_db), "show-order", "SO-100001", "--json"))

    assert set(order) >= ORDER_KEYS
    assert order["number"] == "SO-100001"
    assert set(order["ship_to"]) >= SHIP_TO_KEYS
    assert order["lines"]
    for line in order["lines"]:
        assert set(line) >= LINE_KEYS
        assert line["qty_ordered"] >= line["qty_allocated"] >= line["qty_picked"] >= 0
    (shipment,) = order["shipments"]  # the demo's oldest order was delivered long ago
    assert shipment["status"] == "delivered" and shipment["tracking_number"]
    assert order["packing"] is None


def test_show_order_finds_an_order_by_the_reference_the_customer_quotes(
    cli: Cli, demo_db: Path
) -> None:
    """The demo's web shop numbers its orders like Shopify: #1000, #1001, ..."""
    ((ref, number),) = query(
        demo_db,
        "SELECT o.external_ref, o.number FROM orders o JOIN channels c ON c.id = o.channel_id "
        "WHERE c.code = 'web' ORDER BY o.id LIMIT 1",
    )
    assert ref.startswith("#")
    url = sqlite_url(demo_db)

    by_ref = ok_json(cli(url, "show-order", ref, "--json"))
    without_hash = ok_json(cli(url, "show-order", ref.lstrip("#"), "--json"))

    assert (by_ref["number"], by_ref["external_ref"], by_ref["channel"]) == (number, ref, "web")
    assert without_hash["number"] == number


def test_a_packed_and_shipped_order_shows_its_shipment_and_verify_stays_clean(
    cli: Cli, demo_db: Path
) -> None:
    url = sqlite_url(demo_db)
    ((number,),) = query(demo_db, "SELECT number FROM orders WHERE status = 'allocated' LIMIT 1")

    packed = cli(url, "pack", number)
    assert packed.code == 0, str(packed)
    shipped = cli(url, "ship", number)
    assert shipped.code == 0, str(shipped)
    order = ok_json(cli(url, "show-order", number, "--json"))
    checked = cli(url, "verify")

    (shipment,) = order["shipments"]
    assert shipment["carrier"]
    assert shipment["tracking_number"] and shipment["tracking_number"] in packed.out
    assert shipment["packages"]
    assert all(package["sscc"] in packed.out for package in shipment["packages"])
    assert shipped.out.strip() == f"{number}: {order['status'].replace('_', ' ')}"
    assert all(line["qty_shipped"] == line["qty_packed"] for line in order["lines"])
    assert sum(line["qty_shipped"] for line in order["lines"]) > 0
    assert checked.code == 0, str(checked)
    assert checked.out.startswith("verify: ledger, stock, allocations and line quantities agree")


def test_verify_exits_non_zero_and_names_what_disagrees(cli: Cli, demo_db: Path) -> None:
    query(demo_db, "UPDATE stock_levels SET on_hand = on_hand + 5 WHERE id = 1")

    result = cli(sqlite_url(demo_db), "verify")

    assert result.code == 1, str(result)
    assert "on hand" in result.out and "but ledger sums to" in result.out, str(result)
    assert result.err.strip() == "verify: 1 problem(s) found"


# -- bad input: one line, non-zero, nothing changed ----------------------------------------


def test_a_url_that_is_not_a_database_is_refused(cli: Cli) -> None:
    result = cli("nonsense://x", "stats")

    assert_refused(result)
    assert "database" in result.err.splitlines()[0]


def test_an_unreachable_postgresql_server_is_refused_within_seconds(cli: Cli) -> None:
    result = cli("postgresql+psycopg://postgres@127.0.0.1:1/none", "stats", timeout=30)

    assert_refused(result)
    assert "127.0.0.1" in result.err
    assert result.seconds < 10


@pytest.fixture
def read_only_db(demo_db: Path) -> Iterator[Path]:
    """The demo database with the file and its folder read-only (WAL creates files beside it).

    Root ignores permissions, so as root the CLI runs with CAP_DAC_OVERRIDE and friends
    dropped from its capability bounding set (runner.drop_file_override). A probe checks
    that the file really is unwritable for such a process; if it is not, the test skips.
    """
    folder = demo_db.parent
    demo_db.chmod(0o444)
    folder.chmod(0o555)
    try:
        writable = still_writable(demo_db)
        if writable:
            pytest.skip(f"cannot make a file read-only for the CLI here: {writable}")
        yield demo_db
    finally:
        folder.chmod(0o755)
        demo_db.chmod(0o644)


@pytest.mark.parametrize(
    "args", [("allocate",), ("demo-data", "--orders", "5")], ids=["allocate", "demo-data"]
)
def test_a_read_only_database_file_is_refused_and_left_as_it_was(
    cli: Cli, read_only_db: Path, args: tuple[str, ...]
) -> None:
    before = fingerprint(read_only_db.parent)

    result = cli(sqlite_url(read_only_db), *args, obey_permissions=True)

    assert_refused(result)
    assert "read-only" in result.err
    assert fingerprint(read_only_db.parent) == before


def garble(path: Path, *, keep_header: bool) -> None:
    """Random bytes: the whole file, or every page after SQLite's first."""
    data = bytearray(path.read_bytes()) if keep_header else bytearray(8192)
    rng = random.Random(3)
    for i in range(4096 if keep_header else 0, len(data)):
        data[i] = rng.randrange(256)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("keep_header", "args"),
    [(False, ("init-db",)), (True, ("allocate",))],
    ids=["random-bytes", "garbled-pages"],
)
def test_a_corrupt_database_file_is_refused_and_left_as_it_was(
    cli: Cli, demo_db: Path, keep_header: bool, args: tuple[str, ...]
) -> None:
    garble(demo_db, keep_header=keep_header)
    before = fingerprint(demo_db.parent)

    result = cli(sqlite_url(demo_db), *args)

    assert_refused(result)
    assert "damaged or not a Shipshape database" in result.err
    assert fingerprint(demo_db.parent) == before


@pytest.mark.parametrize("args", [("allocate",), ("migrate",)], ids=["allocate", "migrate"])
def test_a_database_from_a_newer_shipshape_is_refused_and_left_as_it_was(
    cli: Cli, demo_db: Path, args: tuple[str, ...]
) -> None:
    stamp_newer(sqlite_url(demo_db))
    before = fingerprint(demo_db.parent)

    result = cli(sqlite_url(demo_db), *args)

    assert_refused(result)
    assert "created by a newer Shipshape" in result.err
    assert "9999_future" in result.err
    assert fingerprint(demo_db.parent) == before


def test_showing_an_order_that_does_not_exist_is_refused(cli: Cli, demo_db: Path) -> None:
    before = fingerprint(demo_db.parent)

    result = cli(sqlite_url(demo_db), "show-order", "SO-999999", "--json")

    assert_refused(result)
    assert result.err.strip() == "error: no order SO-999999"
    assert result.out == ""
    assert fingerprint(demo_db.parent) == before


def test_showing_an_order_in_a_missing_database_creates_no_file(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "shipshape.db"

    result = cli(sqlite_url(path), "show-order", "SO-100001")

    assert_refused(result)
    assert "run init-db" in result.err
    assert not path.parent.exists()


def test_an_unknown_status_is_refused_with_the_known_ones(cli: Cli, demo_db: Path) -> None:
    before = fingerprint(demo_db.parent)

    result = cli(sqlite_url(demo_db), "orders", "--status", "lost", "--json")

    assert_refused(result)
    assert "unknown status 'lost'" in result.err
    assert all(status.value in result.err for status in OrderStatus)
    assert result.out == ""
    assert fingerprint(demo_db.parent) == before


def test_a_database_path_whose_folder_cannot_be_made_is_refused(cli: Cli, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("keep me")

    result = cli(sqlite_url(blocker / "shipshape.db"), "init-db")

    assert_refused(result)
    assert blocker.read_text() == "keep me"


def test_a_negative_order_count_for_demo_data_is_refused(cli: Cli, demo_db: Path) -> None:
    before = fingerprint(demo_db.parent)

    result = cli(sqlite_url(demo_db), "demo-data", "--orders", "-5")

    assert_refused(result)
    assert fingerprint(demo_db.parent) == before


# -- the same on PostgreSQL ------------------------------------------------------------------


def pg_totals(url: str) -> tuple[Any, ...]:
    """Row counts and stock sums: what a refused command must leave alone."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return tuple(
                conn.execute(
                    text(
                        "SELECT (SELECT count(*) FROM orders), (SELECT count(*) FROM audit_events),"
                        " (SELECT count(*) FROM stock_moves), (SELECT version_num FROM"
                        " alembic_version)"
                    )
                ).one()
            )
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_on_postgresql_init_db_and_stats_work_and_a_newer_schema_is_refused(
    cli: Cli, fresh_pg_url: str
) -> None:
    too_early = cli(fresh_pg_url, "stats")
    assert_refused(too_early)
    assert "has no Shipshape schema: run init-db" in too_early.err

    created = cli(fresh_pg_url, "init-db")
    assert created.code == 0, str(created)
    assert "created the Shipshape schema in postgresql+psycopg://" in created.out
    empty = ok_json(cli(fresh_pg_url, "stats", "--json"))
    assert empty["orders_total"] == 0
    assert set(empty["orders_by_status"]) == {s.value for s in OrderStatus}
    assert empty["stock"] == {"on_hand": 0, "reserved": 0, "available": 0}

    stamp_newer(fresh_pg_url)
    before = pg_totals(fresh_pg_url)
    refused = cli(fresh_pg_url, "allocate")

    assert_refused(refused)
    assert "created by a newer Shipshape" in refused.err
    assert pg_totals(fresh_pg_url) == before
