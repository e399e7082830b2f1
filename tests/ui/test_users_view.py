"""The first administrator at the GUI's first start, and the administrator's Users area."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QTableWidget
from pytestqt.qtbot import QtBot

from app.context import Actor
from app.services import users
from app.services.access import login_required
from db.engine import Database
from db.uow import read
from tests.documents.pdfcheck import found, scan_pages
from ui.context import UiContext
from ui.login.first_admin import FirstAdminDialog
from ui.views.users_view import UsersView

PASSWORD = "correct horse 42"


def test_the_first_start_creates_the_administrator_and_logs_them_in(
    qtbot: QtBot, sqlite_db: Database, actor: Actor
) -> None:
    dialog = FirstAdminDialog(sqlite_db, actor, "desk-1")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.username.setText("alex")
    dialog.password.setText(PASSWORD)
    dialog.again.setText(PASSWORD + "x")
    dialog._create()
    assert dialog.message.text() == "the two passwords differ - type them again"
    assert not read(sqlite_db, login_required)
    dialog.again.setText(PASSWORD)
    dialog._create()
    assert dialog.result() == FirstAdminDialog.DialogCode.Accepted
    assert dialog.actor is not None and (dialog.actor.username, dialog.actor.role) == (
        "alex",
        "admin",
    )
    assert read(sqlite_db, login_required)


@pytest.fixture
def admin_view(
    qtbot: QtBot, sqlite_db: Database, actor: Actor, qapp: QApplication
) -> Iterator[UsersView]:
    users.add_user(sqlite_db, actor, "alex", "admin", PASSWORD)
    alex = users.log_in(sqlite_db, "alex", PASSWORD, "desk-1")
    users.add_user(sqlite_db, alex, "pat", "packer", PASSWORD, pin="4071")
    ctx = UiContext.open(sqlite_db, alex, station=None)
    view = UsersView(ctx)
    qtbot.addWidget(view)
    view.show()
    qtbot.waitUntil(lambda: view.table.rowCount() == 2)
    yield view
    ctx.tasks.shutdown()


def test_an_administrator_disables_a_user_and_prints_a_badge_that_scans(
    qtbot: QtBot, admin_view: UsersView, sqlite_db: Database, tmp_path: Path
) -> None:
    view = admin_view
    assert [_cell(view.table, r, 4) for r in range(2)] == ["password", "password + PIN"]
    view._disable()
    assert view.banner.text() == "choose a user in the list first"
    view.table.selectRow(1)
    view._disable()
    qtbot.waitUntil(lambda: _cell(view.table, 1, 3) == "disabled")
    with pytest.raises(users.LoginRefused, match="pat's account is disabled"):
        users.log_in(sqlite_db, "pat", PASSWORD, "desk-1")

    pat = view.found[1]
    target = tmp_path / "pat.pdf"
    view.write_badge(pat, target)
    qtbot.waitUntil(target.exists)
    [page] = scan_pages(target.read_bytes())
    assert found(page) == {("Code 128", pat.badge)}


def test_a_supervisor_is_refused_the_users_list_in_one_line(
    qtbot: QtBot, sqlite_db: Database, actor: Actor, qapp: QApplication
) -> None:
    users.add_user(sqlite_db, actor, "alex", "admin", PASSWORD)
    alex = users.log_in(sqlite_db, "alex", PASSWORD, "desk-1")
    users.add_user(sqlite_db, alex, "sam", "supervisor", PASSWORD)
    sam = users.log_in(sqlite_db, "sam", PASSWORD, "desk-1")
    ctx = UiContext.open(sqlite_db, sam, station=None)
    try:
        view = UsersView(ctx)
        qtbot.addWidget(view)
        qtbot.waitUntil(lambda: view.banner.text() == "A supervisor may not manage users")
        assert view.table.rowCount() == 0
    finally:
        ctx.tasks.shutdown()


def _cell(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None, (row, column)
    return item.text()
