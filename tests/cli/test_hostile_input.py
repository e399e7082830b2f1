"""Hostile input on the command line, run as a user runs it, on SQLite and PostgreSQL.

Every command, given numbers past 64 bits, printers no one can reach, devices, folders
and missing folders as output files, or escape sequences as names, must end with one
line on stderr and a non-zero exit - never a traceback - and change nothing. What the
commands print is shown as text: an escape sequence in a customer's name cannot take
over the terminal, and JSON output still means exactly what is stored.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.cli import COMMANDS
from tests.cli.runner import (
    Cli,
    DemoTemplate,
    Result,
    assert_refused,
    fingerprint,
    run_cli,
    sqlite_url,
)
from tests.scratch_databases import scratch_pg_database

BEYOND_64_BITS = str(2**64)
ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x9b31m\u202e"

# {dir}: an existing folder; {missing}: a file in a folder that does not exist;
# {packed}, {allocated}, {list}: an order packed, an order allocated, a pick list.
HOSTILE: dict[str, list[tuple[str, ...]]] = {
    "init-db": [("init-db", ESCAPES)],
    "migrate": [("migrate", "--force")],
    "demo-data": [
        ("demo-data", "--orders", BEYOND_64_BITS),
        ("demo-data", "--seed", BEYOND_64_BITS),
        ("demo-data", "--skus", "0"),
    ],
    "allocate": [("allocate", ESCAPES)],
    "orders": [
        ("orders", "--limit", BEYOND_64_BITS),
        ("orders", "--limit", "0"),
        ("orders", "--status", f"shipped{ESCAPES}"),
    ],
    "show-order": [("show-order", f"SO-{ESCAPES}"), ("show-order", "#" + "9" * 300)],
    "stats": [("stats", "--limit", "5")],
    "verify": [("verify", "--fix")],
    "settings": [
        ("settings", "get", f"company.{ESCAPES}"),
        ("settings", "set", "label.dpi", ESCAPES),
        ("settings", "export", "{dir}"),
        ("settings", "export", "/dev/full"),
        ("settings", "export", "{missing}"),
        ("settings", "import", "{dir}"),
    ],
    "import-boxes": [("import-boxes", "{dir}"), ("import-boxes", "/dev/null")],
    "import-locations": [
        ("import-locations", "--generate", "A-ZZZZ:1-99999:1-99"),
        ("import-locations", "{dir}"),
    ],
    "pick-lists": [
        ("pick-lists", "--max-orders", BEYOND_64_BITS),
        ("pick-lists", "--print", "tcp://no such host:9100"),
        ("pick-lists", "--print", "tcp://[::1"),
        ("pick-lists", "--print", "tcp://printer:99999"),
    ],
    "pick-list": [
        ("pick-list", "{list}", "--out", "{dir}"),
        ("pick-list", "{list}", "--out", "/dev/full"),
        ("pick-list", "{list}", "--out", "{missing}"),
    ],
    "import-products": [("import-products", "{dir}"), ("import-products", "{missing}")],
    "import-stock": [
        ("import-stock", "{dir}"),
        ("import-stock", "/dev/null", "--receipt", ESCAPES),
        ("import-stock", "/dev/null", "--receive", "--receipt", "x" * 81),
    ],
    "import-orders": [
        ("import-orders", "{dir}"),
        ("import-orders", "/dev/null", "--format", "csv", "--channel", "x" * 40),
        ("import-orders", "/dev/null", "--format", "netsuite"),
        ("import-orders", "{dir}", "--format", "brightpearl"),
    ],
    "export-availability": [
        ("export-availability", "--out", "{dir}"),
        ("export-availability", "--out", "/dev/full"),
        ("export-availability", "--out", "{missing}"),
    ],
    "pack": [
        ("pack", "{allocated}", "--weight-g", BEYOND_64_BITS),
        ("pack", "{allocated}", "--weight-g", "0"),
        ("pack", ESCAPES),
    ],
    "ship": [("ship", "{allocated}")],
    "label": [
        ("label", "{packed}", "--out", "{dir}"),
        ("label", "{packed}", "--out", "/dev/full"),
        ("label", "{packed}", "--out", "{missing}"),
    ],
    "print": [
        ("print", "--job", BEYOND_64_BITS),
        ("print", "--job", "1", "--printer", "tcp://no such host:9100"),
        ("print", "--job", "1", "--printer", "tcp://[::1"),
        ("print", "--printer", "folder"),
    ],
    "backup": [("backup", "{dir}"), ("backup", "/dev/full"), ("backup", "{missing}")],
    "restore": [("restore", "/dev/null"), ("restore", "{dir}")],
    "demo": [("demo", "--orders", "5")],
    "return-create": [
        ("return-create", "{packed}", "--item", "X=1", "--reason", "damaged"),
        ("return-create", "{packed}", "--item", f"X={BEYOND_64_BITS}", "--reason", "damaged"),
        ("return-create", ESCAPES, "--item", "X=1", "--reason", "damaged"),
        ("return-create", "{packed}", "--item", "X=1", "--reason", ESCAPES),
    ],
    "return-receive": [
        ("return-receive", "RMA-999999", "--item", "X=1:sellable:restock"),
        ("return-receive", "{packed}", "--item", "X=1:fine:restock"),
        ("return-receive", "{packed}", "--item", "X=1:damaged:restock"),
        ("return-receive", ESCAPES, "--item", f"X={BEYOND_64_BITS}:sellable:restock"),
    ],
    "show-return": [("show-return", ESCAPES), ("show-return", "RMA-" + "9" * 300)],
    "returns": [("returns", "--status", ESCAPES), ("returns", "--limit", BEYOND_64_BITS)],
    "refund-issue": [("refund-issue", "RMA-999999"), ("refund-issue", ESCAPES)],
    "return-label": [
        ("return-label", "RMA-999999", "--out", "{missing}"),
        ("return-label", "RMA-100001", "--out", "{dir}"),
    ],
    "return-slip": [("return-slip", "RMA-100001", "--out", "/dev/full")],
    "edit-address": [
        ("edit-address", "{packed}", "--city", "Berlin"),
        ("edit-address", "{allocated}", "--postcode", ""),
        ("edit-address", "{allocated}", "--country", ESCAPES),
        ("edit-address", "{allocated}", "--city", "x", "--expect-version", BEYOND_64_BITS),
        ("edit-address", "{allocated}", "--city", "x", "--expect-version", "1"),
        ("edit-address", "{allocated}"),
    ],
    "edit-lines": [
        ("edit-lines", "{packed}", "--set", "X=1"),
        ("edit-lines", "{allocated}", "--set", f"X={BEYOND_64_BITS}"),
        ("edit-lines", "{allocated}", "--set", f"{ESCAPES}=1"),
        ("edit-lines", "{allocated}", "--substitute", "nothing"),
        ("edit-lines", ESCAPES, "--set", "X=1"),
    ],
    "split-order": [
        ("split-order", "{packed}", "--item", "X=1"),
        ("split-order", "{allocated}", "--item", "X=0"),
        ("split-order", "{allocated}", "--item", "NOT-ON-IT=1"),
    ],
    "replace-order": [
        ("replace-order", "{allocated}", "--reason", "lost"),
        ("replace-order", "{packed}", "--reason", " "),
        ("replace-order", ESCAPES, "--reason", ESCAPES),
    ],
    "put-away": [
        ("put-away", "{allocated}", "--item", "X=1", "--location", "A-01-01-A"),
        ("put-away", "{packed}", "--item", f"X={BEYOND_64_BITS}", "--location", "A"),
        ("put-away", "{packed}", "--item", "X=1", "--location", ESCAPES),
    ],
    "unpack-tasks": [("unpack-tasks", "--bogus")],
    "send-notifications": [
        ("send-notifications", "--interval", BEYOND_64_BITS),
        ("send-notifications", "--interval", "0"),
    ],
    "outbox": [
        ("outbox", "--status", ESCAPES),
        ("outbox", "--show", BEYOND_64_BITS),
        ("outbox", "--show", "999999"),
        ("outbox", "--resend", "999999"),
        ("outbox", "--limit", "0"),
    ],
    "import-tracking": [
        ("import-tracking", "{dir}"),
        ("import-tracking", "/dev/null"),
        ("import-tracking", "{missing}"),
        ("import-tracking", "/dev/null", "--format", ESCAPES),
    ],
    "users": [
        ("users", "disable", "nobody"),
        ("users", "set-role", "admin", "emperor"),
        ("users", "badge", "admin", "--out", "{dir}"),
        ("users", "badge", ESCAPES, "--out", "{missing}"),
        ("users", "add", "eve", "--role", "admin"),  # no password on stdin
        ("users", "add", ESCAPES, "--role", "packer"),
        ("users", "passwd"),
    ],
    "db-roles": [
        ("db-roles", ESCAPES),
        ("db-roles", "Pack-1"),
        ("db-roles", "pack_1"),  # SQLite: no log-ins; PostgreSQL: no password on stdin
    ],
    "report": [
        ("report", "daily", "--from", "2026-02-30"),
        ("report", "daily", "--from", "2026-11-20", "--to", "2026-11-01"),
        ("report", "daily", "--from", "2999-01-01"),
        ("report", "daily", "--from", "1900-01-01"),
        ("report", "daily", "--warehouse", ESCAPES),
        ("report", "stations", "--channel", "nope"),
        ("report", "daily", "--format", "pdf"),
        ("report", "all", "--format", "csv"),
        ("report", "all", "--format", "pdf", "--out", "{dir}"),
        ("report", "daily", "--format", "csv", "--out", "/dev/full"),
        ("report", "replenishment", "--format", "csv", "--out", "{missing}"),
        ("report", "replenishment", "--lead-time", BEYOND_64_BITS),
        ("report", "replenishment", "--service-level", "100%"),
        ("report", ESCAPES),
    ],
}
CASES = [
    pytest.param(args, id=f"{command}-{i}")
    for command, cases in HOSTILE.items()
    for i, args in enumerate(cases)
]


@dataclass(frozen=True)
class Prepared:
    """A demo warehouse with an order packed (its label and slip queued) and a pick list."""

    url: str
    packed: str
    allocated: str
    pick_list: str


def prepare(cli: Cli, url: str) -> Prepared:
    def numbers(status: str) -> list[str]:
        listed = cli(url, "orders", "--status", status, "--json", "--limit", "5")
        assert listed.code == 0, str(listed)
        return [row["number"] for row in json.loads(listed.out)]

    packed = numbers("allocated")[0]
    for args in (("pack", packed), ("pick-lists", "--single", "--max-orders", "1")):
        done = cli(url, *args)
        assert done.code == 0, str(done)
    return Prepared(url, packed, numbers("allocated")[0], "PL-000001")


def filled(args: tuple[str, ...], warehouse: Prepared, out: Path) -> list[str]:
    values = {
        "{dir}": str(out),
        "{missing}": str(out / "missing" / "file.pdf"),
        "{packed}": warehouse.packed,
        "{allocated}": warehouse.allocated,
        "{list}": warehouse.pick_list,
    }
    return [values.get(arg, arg) for arg in args]


def assert_one_clean_line(result: Result, out: Path) -> None:
    """Refused in one line, with nothing a terminal obeys, and no file left behind."""
    assert_refused(result)
    assert all(ch == "\n" or ch.isprintable() for ch in result.err), str(result)
    assert list(out.iterdir()) == [], str(result)


def test_every_command_has_hostile_cases() -> None:
    assert set(HOSTILE) == set(COMMANDS)


# -- SQLite ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sqlite_warehouse(
    demo_template: DemoTemplate, tmp_path_factory: pytest.TempPathFactory
) -> Prepared:
    path = tmp_path_factory.mktemp("prepared") / "shipshape.db"
    shutil.copy(demo_template.path, path)
    home = tmp_path_factory.mktemp("home")
    return prepare(lambda *a, **k: run_cli(*a, home=home, **k), sqlite_url(path))


@pytest.fixture
def sqlite_copy(sqlite_warehouse: Prepared, tmp_path: Path) -> tuple[Prepared, Path]:
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "shipshape.db"
    shutil.copy(make_url(sqlite_warehouse.url).database or "", path)
    return Prepared(
        sqlite_url(path),
        sqlite_warehouse.packed,
        sqlite_warehouse.allocated,
        sqlite_warehouse.pick_list,
    ), path


@pytest.mark.parametrize("args", CASES)
def test_hostile_input_is_refused_in_one_line_on_sqlite(
    cli: Cli, sqlite_copy: tuple[Prepared, Path], tmp_path: Path, args: tuple[str, ...]
) -> None:
    warehouse, path = sqlite_copy
    out = tmp_path / "out"
    out.mkdir()
    before = fingerprint(path.parent)

    result = cli(warehouse.url, *filled(args, warehouse, out))

    assert_one_clean_line(result, out)
    assert fingerprint(path.parent) == before


# -- PostgreSQL ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pg_warehouse(pg_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Prepared]:
    home = tmp_path_factory.mktemp("home")

    def cli(*args: str, **kwargs: Any) -> Result:
        return run_cli(*args, home=home, **kwargs)

    with scratch_pg_database(pg_url, "shipshape_hostile") as url:
        for args in (("init-db",), ("demo-data", "--orders", "40", "--seed", "3")):
            done = cli(url, *args)
            assert done.code == 0, str(done)
        yield prepare(cli, url)


def pg_state(url: str) -> tuple[Any, ...]:
    """Row counts and sums a refused command must leave alone."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return tuple(
                conn.execute(
                    text(
                        "SELECT (SELECT count(*) FROM orders), (SELECT count(*) FROM audit_events),"
                        " (SELECT count(*) FROM stock_moves), (SELECT count(*) FROM locations),"
                        " (SELECT count(*) FROM shipments), (SELECT count(*) FROM pick_lists),"
                        " (SELECT sum(attempts) FROM print_jobs), (SELECT count(*) FROM settings),"
                        " (SELECT sum(on_hand) FROM stock_levels),"
                        " (SELECT sum(reserved) FROM stock_levels)"
                    )
                ).one()
            )
    finally:
        engine.dispose()


@pytest.mark.postgres
@pytest.mark.parametrize("args", CASES)
def test_hostile_input_is_refused_in_one_line_on_postgresql(
    cli: Cli, pg_warehouse: Prepared, tmp_path: Path, args: tuple[str, ...]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    before = pg_state(pg_warehouse.url)

    result = cli(pg_warehouse.url, *filled(args, pg_warehouse, out))

    assert_one_clean_line(result, out)
    assert pg_state(pg_warehouse.url) == before


# -- what is printed -------------------------------------------------------------------------


def query(path: Path, sql: str, *params: Any) -> list[Any]:
    conn = sqlite3.connect(path)
    try:
        with conn:
            return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def test_escape_sequences_in_names_are_shown_not_obeyed_and_json_stays_exact(
    cli: Cli, sqlite_copy: tuple[Prepared, Path]
) -> None:
    warehouse, path = sqlite_copy
    name = f"Mallory {ESCAPES}\nerror: forged line"
    query(path, "UPDATE orders SET ship_name = ? WHERE number = ?", name, warehouse.allocated)

    # Written behind the services' back, so the search index does not know the name:
    # find the order by its number, and the listing shows the hostile name.
    listed = cli(warehouse.url, "orders", "--search", warehouse.allocated)
    shown = cli(warehouse.url, "show-order", warehouse.allocated)
    as_json = cli(warehouse.url, "show-order", warehouse.allocated, "--json")

    for result in (listed, shown, as_json):
        assert result.code == 0, str(result)
        assert all(ch == "\n" or ch.isprintable() for ch in result.out), repr(result.out)
    assert "Mallory \\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\u202e\\nerror: forged line" in shown.out
    assert warehouse.allocated in listed.out and "\\x1b" in listed.out
    assert json.loads(as_json.out)["ship_to"]["name"] == name


# -- files -----------------------------------------------------------------------------------


def test_a_label_is_written_whole_and_replaces_an_older_one(
    cli: Cli, sqlite_copy: tuple[Prepared, Path], tmp_path: Path
) -> None:
    warehouse, _ = sqlite_copy
    target = tmp_path / "label.zpl"
    target.write_text("old label")

    result = cli(warehouse.url, "label", warehouse.packed, "--format", "zpl", "--out", str(target))

    assert result.code == 0, str(result)
    assert target.read_bytes().startswith(b"^XA")
    assert [p.name for p in tmp_path.iterdir() if p.name != "data"] == ["label.zpl"]


def test_a_label_onto_dev_full_leaves_the_device_a_device(
    cli: Cli, sqlite_copy: tuple[Prepared, Path]
) -> None:
    warehouse, _ = sqlite_copy
    device = Path("/dev/full")
    if not device.exists():
        pytest.skip("no /dev/full here")

    result = cli(warehouse.url, "label", warehouse.packed, "--out", str(device))

    assert_refused(result)
    assert result.err.strip() == "error: /dev/full is not a regular file (a device, pipe or socket)"
    assert stat.S_ISCHR(device.stat().st_mode)


# -- printing --------------------------------------------------------------------------------


def test_a_print_that_fails_says_so_on_stderr_and_keeps_the_jobs_printer(
    cli: Cli, sqlite_copy: tuple[Prepared, Path]
) -> None:
    warehouse, path = sqlite_copy
    ((job, printer),) = query(  # the packed order's label: the demo's history printed
        path, "SELECT id, printer FROM print_jobs WHERE status = 'pending' ORDER BY id LIMIT 1"
    )

    result = cli(warehouse.url, "print", "--job", str(job), "--printer", "tcp://127.0.0.1:1")

    assert_refused(result)
    assert result.err.startswith("error: 1 of 1 print jobs NOT printed"), str(result)
    assert f"  job {job}: NOT printed on tcp://127.0.0.1:1" in result.err
    assert result.out == "0 printed, 1 still pending\n"
    assert query(path, "SELECT printer, status, attempts FROM print_jobs WHERE id = ?", job) == [
        (printer, "pending", 1)
    ]


def test_a_printer_that_cannot_exist_is_refused_before_any_attempt(
    cli: Cli, sqlite_copy: tuple[Prepared, Path]
) -> None:
    warehouse, path = sqlite_copy
    ((job,),) = query(path, "SELECT id FROM print_jobs WHERE status = 'pending' LIMIT 1")

    result = cli(warehouse.url, "print", "--job", str(job), "--printer", "tcp://[::1")

    assert_refused(result)
    assert "expected tcp://HOST:PORT" in result.err
    assert query(path, "SELECT attempts FROM print_jobs WHERE id = ?", job) == [(0,)]


# -- the database URL, and loading demo data again ----------------------------------------


def test_a_read_only_url_reads_and_refuses_every_write(
    cli: Cli, sqlite_copy: tuple[Prepared, Path]
) -> None:
    _, path = sqlite_copy
    url = f"{sqlite_url(path)}?mode=ro"
    before = path.read_bytes()

    stats = cli(url, "stats", "--json")
    renamed = cli(url, "settings", "set", "company.name", "Read Only Ltd")
    demo = cli(url, "demo-data", "--orders", "5")

    assert stats.code == 0 and json.loads(stats.out)["orders_total"] == 200, str(stats)
    for refused in (renamed, demo):
        assert_refused(refused)
        assert "read-only" in refused.err
    assert path.read_bytes() == before
    wal = path.with_name(f"{path.name}-wal")  # a read-only reader cannot remove it
    assert not wal.exists() or wal.stat().st_size == 0


def test_a_sqlite_option_that_would_be_ignored_is_refused(
    cli: Cli, sqlite_copy: tuple[Prepared, Path]
) -> None:
    _, path = sqlite_copy

    result = cli(f"{sqlite_url(path)}?mode=rwc&cache=shared", "stats")

    assert_refused(result)
    assert "the only one is ?mode=ro" in result.err


def test_demo_data_again_with_the_same_arguments_loads_nothing_twice(
    cli: Cli, demo_db: Path
) -> None:
    again = cli(sqlite_url(demo_db), "demo-data", "--orders", "200", "--seed", "3")

    assert again.code == 0, str(again)
    assert "0 orders loaded" in again.out and "200 loaded before" in again.out, str(again)
    assert query(demo_db, "SELECT count(*) FROM orders") == [(200,)]
