"""Starting the GUI: no display, a first run, and a database from a newer Shipshape."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from app.context import Actor
from app.services.database_setup import prepare_database
from app.services.stats import stats
from db.engine import Database, open_database
from db.schema import SchemaError, SchemaState, schema_state
from ui.launch import NO_DISPLAY

ROOT = Path(__file__).resolve().parents[2]


def _refuse_upgrade(question: str) -> bool:
    raise AssertionError(f"unexpected question: {question}")


def test_without_a_display_the_gui_prints_one_line_and_exits_with_2(tmp_path: Path) -> None:
    hidden = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    env = {name: value for name, value in os.environ.items() if name not in hidden}
    database = tmp_path / "shipshape.db"
    result = subprocess.run(
        [sys.executable, "main.py", "--db", f"sqlite:///{database}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [NO_DISPLAY]
    assert not database.exists()


def test_a_first_run_creates_the_schema_and_loads_a_demo_warehouse(
    tmp_path: Path, actor: Actor
) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'first.db'}")
    try:
        assert prepare_database(db, actor, confirm_upgrade=_refuse_upgrade)
        assert schema_state(db) is SchemaState.CURRENT
        assert stats(db).orders_total == 300
    finally:
        db.dispose()


def test_a_database_the_user_named_gets_the_schema_but_no_demo_orders(
    tmp_path: Path, actor: Actor
) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'named.db'}")
    try:
        assert prepare_database(db, actor, confirm_upgrade=_refuse_upgrade, demo_on_first_run=False)
        assert schema_state(db) is SchemaState.CURRENT
        assert stats(db).orders_total == 0
    finally:
        db.dispose()


def test_a_database_from_a_newer_shipshape_is_refused(sqlite_db: Database, actor: Actor) -> None:
    with sqlite_db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'from_the_future'"))
    with pytest.raises(SchemaError, match="newer Shipshape"):
        prepare_database(sqlite_db, actor, confirm_upgrade=_refuse_upgrade)


def test_a_first_launch_opens_the_window_on_a_demo_warehouse_and_exits_cleanly(
    tmp_path: Path,
) -> None:
    database = tmp_path / "shipshape" / "shipshape.db"  # the default file, under XDG_DATA_HOME
    script = (
        "import sys\n"
        "from PySide6.QtCore import QTimer\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from ui.launch import launch_gui\n"
        "app = QApplication([])\n"
        "QTimer.singleShot(1000, app.quit)\n"
        "sys.exit(launch_gui(db_url=None, station=None))\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_DATA_HOME": str(tmp_path)}
    env.pop("SHIPSHAPE_DB", None)
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    db = open_database(f"sqlite:///{database}", create=False)
    try:
        assert stats(db).orders_total == 300
    finally:
        db.dispose()
