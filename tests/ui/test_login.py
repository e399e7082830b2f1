"""Logging in as a user would: the desk's password, a packer's badge and PIN on the
keyboard alone, a station locking when idle and a badge taking it over."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.context import Actor
from app.services import users
from db.engine import Database
from db.models import AuditEvent
from db.uow import read
from ui.login.login_dialog import LoginDialog
from ui.login.station_session import StationSession
from ui.station import PackStationWindow, open_pack_station

PASSWORD = "correct horse 42"


@pytest.fixture
def staff(sqlite_db: Database, actor: Actor) -> dict[str, users.UserView]:
    admin = users.add_user(sqlite_db, actor, "alex", "admin", PASSWORD)
    lead = users.log_in(sqlite_db, "alex", PASSWORD, "desk-1")
    pat = users.add_user(sqlite_db, lead, "pat", "packer", PASSWORD, pin="4071")
    pia = users.add_user(sqlite_db, lead, "pia", "packer", PASSWORD, pin="5182")
    return {"alex": admin, "pat": pat, "pia": pia}


def _scan(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """What a keyboard-wedge scanner does: the characters, then Enter."""
    QTest.keyClicks(widget, text)
    QTest.keyClick(widget, Qt.Key.Key_Return)


def test_the_desk_logs_in_with_name_and_password(
    qtbot: QtBot, sqlite_db: Database, staff: dict[str, users.UserView]
) -> None:
    dialog = LoginDialog(sqlite_db, "desk-1", badge=False)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    _scan(qtbot, dialog.name_edit, "alex")
    assert dialog.secret_edit.hasFocus()
    _scan(qtbot, dialog.secret_edit, "not the password")
    assert "wrong password for alex" in dialog.message.text()
    assert dialog.secret_edit.text() == ""  # typed again, never kept
    assert dialog.actor is None
    dialog.name_edit.setText("alex")
    _scan(qtbot, dialog.secret_edit, PASSWORD)
    assert dialog.result() == LoginDialog.DialogCode.Accepted
    assert dialog.actor is not None and (dialog.actor.username, dialog.actor.role) == (
        "alex",
        "admin",
    )


def test_a_packer_logs_in_with_badge_and_pin_without_the_mouse(
    qtbot: QtBot, sqlite_db: Database, staff: dict[str, users.UserView]
) -> None:
    dialog = LoginDialog(sqlite_db, "pack-1", badge=True)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    _scan(qtbot, dialog.name_edit, "4071")
    assert dialog.message.text() == "that looks like a PIN - scan your badge (U:...) first"
    dialog.name_edit.clear()
    _scan(qtbot, dialog.name_edit, staff["pat"].badge or "")
    assert dialog.secret_edit.hasFocus()
    _scan(qtbot, dialog.secret_edit, "9999")
    assert "wrong PIN for pat" in dialog.message.text()
    assert dialog.name_edit.hasFocus()  # ready for the badge again
    _scan(qtbot, dialog.name_edit, staff["pat"].badge or "")
    _scan(qtbot, dialog.secret_edit, "4071")
    assert dialog.actor is not None
    assert (dialog.actor.username, dialog.actor.station) == ("pat", "pack-1")
    QTest.keyClick(dialog, Qt.Key.Key_Escape)  # no way round the log-in at a station
    assert dialog.result() == LoginDialog.DialogCode.Accepted


@pytest.fixture
def session_screens() -> Iterator[list[tuple[Actor, QWidget]]]:
    opened: list[tuple[Actor, QWidget]] = []
    yield opened
    for _, screen in opened:
        screen.close()


def test_an_idle_station_locks_and_the_next_badge_takes_it_over(
    qtbot: QtBot,
    sqlite_db: Database,
    staff: dict[str, users.UserView],
    session_screens: list[tuple[Actor, QWidget]],
) -> None:
    def open_screen(db: Database, actor: Actor) -> QWidget:
        screen = QLabel(f"packing as {actor.username}")
        session_screens.append((actor, screen))
        screen.show()
        return screen

    pat = users.log_in_with_badge(sqlite_db, staff["pat"].badge or "", "4071", "pack-1")
    session = StationSession(sqlite_db, pat, open_screen, idle_ms=300)
    try:
        # Activity keeps it open ...
        for _ in range(3):
            qtbot.wait(150)
            QTest.keyClick(session.screen, Qt.Key.Key_Shift)
        assert session.lock_dialog is None
        # ... and nobody touching it locks it.
        qtbot.waitUntil(lambda: session.lock_dialog is not None, timeout=3000)
        dialog = session.lock_dialog
        assert dialog is not None
        assert "Locked - pat was logged in here" in dialog.findChild(QLabel, "loginHeading").text()
        _scan(qtbot, dialog.name_edit, staff["pia"].badge or "")
        _scan(qtbot, dialog.secret_edit, "5182")
        qtbot.waitUntil(lambda: session.actor.username == "pia")
        assert [actor.username for actor, _ in session_screens] == ["pat", "pia"]
        assert not session_screens[0][1].isVisible()
        assert session.screen is session_screens[1][1]
        events = read(
            sqlite_db,
            lambda s: list(
                s.execute(
                    select(AuditEvent.username, AuditEvent.details).where(
                        AuditEvent.action == "station_taken_over"
                    )
                )
            ),
        )
        assert [tuple(e) for e in events] == [("pia", {"from": "pat", "station": "pack-1"})]
        assert session.idle.isActive()
    finally:
        session.stop()
    QApplication.processEvents()


def test_the_real_pack_station_locks_and_reopens_for_the_packer_who_takes_it_over(
    qtbot: QtBot, sqlite_db: Database, staff: dict[str, users.UserView]
) -> None:
    pat = users.log_in_with_badge(sqlite_db, staff["pat"].badge or "", "4071", "pack-1")
    session = StationSession(sqlite_db, pat, open_pack_station, idle_ms=400)
    first = session.screen
    qtbot.addWidget(first)  # pytest-qt closes and deletes the windows in order
    try:
        first.show()
        qtbot.waitUntil(lambda: session.lock_dialog is not None, timeout=5000)
        dialog = session.lock_dialog
        assert dialog is not None and dialog.parent() is first
        _scan(qtbot, dialog.name_edit, staff["pia"].badge or "")
        _scan(qtbot, dialog.secret_edit, "5182")
        qtbot.waitUntil(lambda: session.screen is not first)
        qtbot.addWidget(session.screen)
        assert isinstance(session.screen, PackStationWindow)
        assert session.screen._ctx.actor.username == "pia"
        assert not first.isVisible()
    finally:
        session.stop()
