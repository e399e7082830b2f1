"""The desk's daily backup: written off the UI thread, told in the status bar."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QStatusBar
from pytestqt.qtbot import QtBot

from app.context import Actor
from db.engine import Database
from ui.backup_scheduler import DailyBackupScheduler
from ui.context import UiContext
from ui.main_window import MainWindow


@pytest.fixture
def status_bar(qtbot: QtBot) -> QStatusBar:
    bar = QStatusBar()
    qtbot.addWidget(bar)
    return bar


def test_the_daily_backup_is_written_and_shown_in_the_status_bar(
    qtbot: QtBot, ui_context: UiContext, status_bar: QStatusBar, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    scheduler = DailyBackupScheduler(ui_context, status_bar, folder=folder, first_check_ms=0)

    assert scheduler.start()

    qtbot.waitUntil(lambda: status_bar.currentMessage().startswith("Daily backup saved: "))
    written = list(folder.iterdir())
    assert len(written) == 1
    assert str(written[0]) in status_bar.currentMessage()


def test_a_failed_daily_backup_is_shown_and_the_desk_carries_on(
    qtbot: QtBot, ui_context: UiContext, status_bar: QStatusBar, tmp_path: Path
) -> None:
    blocker = tmp_path / "backups"
    blocker.write_text("a file where the backup folder should be")
    scheduler = DailyBackupScheduler(ui_context, status_bar, folder=blocker, first_check_ms=0)

    scheduler.start()

    qtbot.waitUntil(lambda: status_bar.currentMessage().startswith("Daily backup failed: "))
    assert "cannot create the backup folder" in status_bar.currentMessage()
    assert scheduler.is_active()


def test_the_main_window_schedules_the_daily_backup(main_window: MainWindow) -> None:
    assert main_window.daily_backup.is_active()


@pytest.mark.postgres
def test_no_daily_backup_is_scheduled_on_postgresql(
    qapp: QApplication, pg_db: Database, actor: Actor, tmp_path: Path
) -> None:
    ctx = UiContext.open(pg_db, actor, station=None)
    try:
        scheduler = DailyBackupScheduler(ctx, folder=tmp_path / "backups", first_check_ms=0)
        assert not scheduler.start()
        assert not scheduler.is_active()
    finally:
        ctx.tasks.shutdown()
    assert not (tmp_path / "backups").exists()
