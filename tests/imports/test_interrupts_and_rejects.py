"""Ctrl-C during an import, a rejects target that cannot be written, PostgreSQL's COPY errors:
one line, and nothing half-imported."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from subprocess import PIPE
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

import app.cli.imports as import_commands
import app.services.intake as intake
from db.base import Base
from db.bulk import COPY_MIN_ROWS, insert_rows
from db.engine import Database
from db.models import Channel, Customer, Order, Product
from db.uow import read, run_in_transaction
from tests.cli.runner import ROOT, run_cli
from tests.imports.files import cli, write

HEADER = "external_ref,placed_at,name,address1,city,postcode,country,sku,quantity,unit_price"


def orders_file(path: Path, count: int, *, bad: int | None = None) -> Path:
    """`count` orders with e-mail addresses (so customers are created too); `bad` has quantity 0."""
    rows = [
        f"I-{n},2024-03-05,Zoë {n},Str {n},Berlin,10115,DE,MUG,{0 if n == bad else 1},2.50"
        for n in range(count)
    ]
    return write(
        path, f"{HEADER},email\n" + "".join(f"{r},z{i}@example.de\n" for i, r in enumerate(rows))
    )


def counts(db: Database) -> list[int]:
    """Orders, customers and channels: what an order import creates."""

    def work(session: Session) -> list[int]:
        models: list[type[Base]] = [Order, Customer, Channel]
        return [session.scalar(select(func.count()).select_from(m)) or 0 for m in models]

    return read(db, work)


def test_ctrl_c_while_rows_are_being_written_exits_130_in_one_line_and_keeps_nothing(
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    written: list[str] = []

    def interrupted(session: Session, model: type[Base], rows: list[dict[str, Any]]) -> None:
        written.append(model.__name__)
        raise KeyboardInterrupt

    monkeypatch.setattr(intake, "insert_rows", interrupted)
    path = orders_file(tmp_path / "o.csv", 2 * COPY_MIN_ROWS)

    assert cli(db, "import-orders", str(path), "--channel", "web") == 130

    assert capsys.readouterr().err == "error: import interrupted - nothing imported\n"
    assert written == ["OrderLine"]  # the orders and customers were already inserted
    assert counts(db) == [0, 0, 0]


def test_ctrl_c_after_the_commit_says_the_import_was_saved(
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(import_commands, "_report", interrupted)

    assert (
        cli(db, "import-orders", str(orders_file(tmp_path / "o.csv", 3)), "--channel", "w") == 130
    )

    assert capsys.readouterr().err == "error: interrupted after the import was saved\n"
    assert counts(db) == [3, 3, 1]


@pytest.mark.parametrize("bad", [0, 2])
def test_a_rejects_folder_is_refused_before_anything_is_imported(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str], bad: int
) -> None:
    path = orders_file(tmp_path / "o.csv", 3, bad=bad)
    folder = tmp_path / "rejects"
    folder.mkdir()

    assert (
        cli(
            db,
            "import-orders",
            str(path),
            "--channel",
            "web",
            "--partial",
            "--rejects",
            str(folder),
        )
        == 1
    )

    assert capsys.readouterr().err == (
        f"error: the rejects file {folder} is a folder; name a file in it\n"
    )
    assert counts(db) == [0, 0, 0]


def test_a_file_without_rejected_orders_never_asks_where_rejects_would_go(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = orders_file(tmp_path / "o.csv", 3)
    folder = tmp_path / "rejects"
    folder.mkdir()

    assert (
        cli(
            db,
            "import-orders",
            str(path),
            "--channel",
            "web",
            "--partial",
            "--rejects",
            str(folder),
        )
        == 0
    )

    out, err = capsys.readouterr()
    assert (out.splitlines()[0], err) == ("imported 3 orders (3 on hold), 0 already present", "")
    assert counts(db) == [3, 3, 1]
    assert list(folder.iterdir()) == []


def test_a_rejects_file_that_cannot_be_written_is_refused_before_anything_is_imported(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'shop.db'}"
    assert run_cli(url, "init-db", home=tmp_path).code == 0
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    path = orders_file(tmp_path / "o.csv", 3, bad=1)

    result = run_cli(
        url,
        "import-orders",
        str(path),
        "--channel",
        "web",
        "--partial",
        "--rejects",
        str(locked / "r.csv"),
        home=tmp_path,
        obey_permissions=True,
    )

    assert (result.code, result.err) == (
        1,
        f"error: the rejects file {locked / 'r.csv'} cannot be written (permission denied)\n",
    )
    listed = run_cli(url, "orders", "--json", home=tmp_path)
    assert listed.out.strip() == "[]"


def products(count: int, **first: object) -> list[dict[str, Any]]:
    now = datetime.now(UTC)
    rows = [
        {"sku": f"C-{n}", "name": f"n{n}", "active": True, "updated_at": now} for n in range(count)
    ]
    rows[0].update(first)
    return rows


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("rows", "error"),
    [
        (products(COPY_MIN_ROWS, name="nul \x00 byte"), DataError),
        (products(COPY_MIN_ROWS, sku="C-1"), IntegrityError),
    ],
)
def test_postgresql_copy_errors_come_out_as_sqlalchemy_errors_and_leave_nothing(
    pg_db: Database, rows: list[dict[str, Any]], error: type[Exception]
) -> None:
    with pytest.raises(error):
        run_in_transaction(pg_db, lambda session: insert_rows(session, Product, rows))

    assert read(pg_db, lambda s: s.scalar(select(func.count()).select_from(Product))) == 0


INTERRUPTED_LINE = "error: import interrupted - nothing imported\n"


@pytest.mark.postgres
def test_ctrl_c_while_waiting_for_another_import_on_postgresql_exits_130(
    pg_db: Database, tmp_path: Path
) -> None:
    url = pg_db.url.render_as_string(hide_password=False)
    path = orders_file(tmp_path / "o.csv", 3)
    engine = create_engine(url)
    watching = engine.execution_options(isolation_level="AUTOCOMMIT")  # fresh statistics
    waiting = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE application_name = 'shipshape:cli' AND wait_event_type = 'Lock'"
    )
    command = [
        sys.executable,
        "main.py",
        "--db",
        url,
        "import-orders",
        str(path),
        "--channel",
        "web",
    ]
    with watching.connect() as watcher, engine.connect() as holder, holder.begin():
        holder.execute(text("SELECT next_value FROM sequences WHERE name = 'order' FOR UPDATE"))
        child = subprocess.Popen(command, cwd=ROOT, stdout=PIPE, stderr=PIPE, text=True)
        deadline = time.monotonic() + 8  # the CLI's lock_timeout is 10 s
        while not (blocked := watcher.scalar(waiting)) and time.monotonic() < deadline:
            time.sleep(0.05)
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=30)
    engine.dispose()

    assert blocked, "the import never waited for the lock"
    assert (child.returncode, out, err) == (130, "", INTERRUPTED_LINE)
    assert counts(pg_db) == [0, 0, 0]
