"""The audit viewer as a supervisor uses it: filters, CSV export, scan accuracy."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QApplication, QTableWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from app.context import Actor
from app.services import users
from app.services.order_actions import add_note, hold_order
from app.services.scan_log import record_scan
from db.engine import Database
from db.models import AuditEvent
from db.uow import run_in_transaction
from tests.factories import place, stock
from ui.context import UiContext
from ui.views.audit_view import AuditView

PASSWORD = "correct horse 42"


@pytest.fixture
def trail(sqlite_db: Database, actor: Actor) -> dict[str, object]:
    users.add_user(sqlite_db, actor, "alex", "admin", PASSWORD)
    alex = users.log_in(sqlite_db, "alex", PASSWORD, "office")
    users.add_user(sqlite_db, alex, "cara", "service", PASSWORD)
    cara = users.log_in(sqlite_db, "cara", PASSWORD, "desk-2")
    stock(sqlite_db, alex, {"MUG": 5})
    first = place(sqlite_db, alex, {"MUG": 1})
    second = place(sqlite_db, alex, {"MUG": 1})
    hold_order(sqlite_db, cara, first, "customer asked to wait")
    add_note(sqlite_db, cara, second, '=HYPERLINK("http://evil.example","click")')
    packer = Actor("alex", "pack-1", alex.user_id, "admin")
    for raw, accepted in (("4006381333931", True), ("123", False), ("4006381333931", True)):
        record_scan(sqlite_db, packer, raw, message="test", accepted=accepted)
    # One old event, to filter out by date.
    run_in_transaction(
        sqlite_db,
        lambda s: s.execute(
            update(AuditEvent)
            .where(AuditEvent.action == "user_added")
            .values(occurred_at=datetime.now(UTC) - timedelta(days=30))
        ),
    )
    return {"alex": alex, "first": first, "second": second}


@pytest.fixture
def view(
    qtbot: QtBot, sqlite_db: Database, trail: dict[str, object], qapp: QApplication
) -> Iterator[AuditView]:
    alex = trail["alex"]
    assert isinstance(alex, Actor)
    ctx = UiContext.open(sqlite_db, alex, station=None)
    widget = AuditView(ctx)
    qtbot.addWidget(widget)
    widget.resize(1024, 600)
    widget.show()
    qtbot.waitUntil(lambda: widget.table.rowCount() > 0 and widget.accuracy.rowCount() > 0)
    yield widget
    ctx.tasks.shutdown()


def _column(table: QTableWidget, column: int) -> list[str]:
    return [_cell(table, row, column) for row in range(table.rowCount())]


def test_the_filters_narrow_the_trail(
    qtbot: QtBot, view: AuditView, trail: dict[str, object]
) -> None:
    assert {"login", "user_added", "on_hold", "note", "created"} <= set(_column(view.table, 4))

    view.user_edit.setText("CARA")  # any case
    view.refresh()
    qtbot.waitUntil(lambda: set(_column(view.table, 1)) == {"cara"})
    assert set(_column(view.table, 4)) == {"login", "on_hold", "note"}

    view.user_edit.clear()
    view.order_edit.setText(str(trail["first"]))
    view.refresh()
    qtbot.waitUntil(lambda: set(_column(view.table, 3)) == {trail["first"]})
    assert _column(view.table, 4) == ["on_hold", "created"]

    view.order_edit.clear()
    view.action_box.setCurrentText("note")
    view.station_edit.setText("desk-2")
    view.refresh()
    qtbot.waitUntil(lambda: _column(view.table, 4) == ["note"])
    assert _column(view.table, 2) == ["desk-2"]

    view.action_box.setCurrentIndex(0)
    view.station_edit.clear()
    view.use_dates.setChecked(True)
    view.from_date.setDate(QDate.currentDate().addDays(-31))
    view.to_date.setDate(QDate.currentDate().addDays(-29))
    view.refresh()
    qtbot.waitUntil(lambda: _column(view.table, 4) == ["user_added", "user_added"])


def test_scan_accuracy_per_user_and_a_csv_no_spreadsheet_runs(
    qtbot: QtBot, view: AuditView, tmp_path: Path
) -> None:
    assert [_cell(view.accuracy, 0, c) for c in range(5)] == ["alex", "3", "1", "0", "66.7%"]
    target = tmp_path / "audit.csv"
    view.export_to(target)
    rows = list(csv.reader(target.open(encoding="utf-8")))
    assert rows[0][:5] == ["time_utc", "user", "station", "subject", "action"]
    reasons = [row[7] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil.example","click")' in reasons
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert len(rows) - 1 == view.table.rowCount()


def _cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None, (row, column)
    return item.text()
