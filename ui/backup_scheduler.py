"""The desk's daily automatic backup of a SQLite database, run off the UI thread."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QStatusBar

from app.errors import OmsError
from app.services import backups
from ui.context import UiContext
from ui.operations import QueryOp

FIRST_CHECK_MS = 2 * 60 * 1000  # not while the desk is starting up
CHECK_EVERY_MS = 60 * 60 * 1000  # a desk left open overnight backs up the next day
MESSAGE_MS = 10_000

log = logging.getLogger(__name__)


class DailyBackupScheduler(QObject):
    """Writes today's backup into `folder` once a day, keeping the newest `keep` (by
    default as the site's backup.daily and backup.keep settings say).

    A backup reads the database, so it runs on the reader pool and never holds up the
    writes queued behind it. PostgreSQL is backed up on its server: there it does nothing.
    """

    def __init__(
        self,
        ctx: UiContext,
        status_bar: QStatusBar | None = None,
        *,
        folder: Path | None = None,
        keep: int | None = None,  # None: as the site's settings say
        first_check_ms: int = FIRST_CHECK_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._status_bar = status_bar
        self._folder = folder or backups.default_backup_folder()
        self._keep = keep
        self._running = False
        self._timer = QTimer(self)
        self._timer.setInterval(first_check_ms)
        self._timer.timeout.connect(self.run_now)

    def start(self) -> bool:
        """Start checking, unless the database is not a SQLite file; whether it started."""
        if not self._ctx.call(backups.supports_file_backups):
            return False
        self._timer.start()
        return True

    def is_active(self) -> bool:
        """Whether backups are scheduled."""
        return self._timer.isActive()

    def run_now(self) -> None:
        """Back up now unless today's backup exists or one is still being written."""
        self._timer.setInterval(CHECK_EVERY_MS)
        if self._running:
            return
        self._running = True
        if self._keep is None:
            op = QueryOp(None, self._ctx, backups.scheduled_daily_backup, self._folder)
        else:
            op = QueryOp(None, self._ctx, backups.rotate_daily_backup, self._folder, self._keep)
        op.success(self._done).failure(self._failed).run()

    def _done(self, result: backups.DailyBackup | None) -> None:
        self._running = False
        if result is not None and result.written is not None:
            size = backups.human_size(result.written.size)
            log.info("daily backup written: %s (%s)", result.written.path, size)
            self._tell(f"Daily backup saved: {result.written.path} ({size})")

    def _failed(self, exc: Exception) -> None:
        self._running = False
        log.warning(
            "daily backup failed: %s", exc, exc_info=None if isinstance(exc, OmsError) else exc
        )
        self._tell(f"Daily backup failed: {exc}")

    def _tell(self, message: str) -> None:
        if self._status_bar is not None:
            self._status_bar.showMessage(message, MESSAGE_MS)
