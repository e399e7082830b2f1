"""The desk's e-mail sender: drains the outbox every little while, off the UI thread."""

from __future__ import annotations

import logging
import os
import socket

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QStatusBar

from app.services.email_sender import SendReport, send_pass
from ui.context import UiContext
from ui.operations import QueryOp

SEND_EVERY_MS = 30_000
MESSAGE_MS = 10_000

log = logging.getLogger(__name__)


class EmailSenderScheduler(QObject):
    """Runs one sender pass at a time on the reader pool, never on the writer thread
    (an SMTP server that is slow to answer must not hold up a scan). Several desks
    may run one each: claims keep them apart."""

    def __init__(
        self,
        ctx: UiContext,
        status_bar: QStatusBar | None = None,
        *,
        every_ms: int = SEND_EVERY_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._status_bar = status_bar
        self._running = False
        self._worker = f"{socket.gethostname()}:{os.getpid()}:desk"
        self.last_report: SendReport | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(every_ms)
        self._timer.timeout.connect(self.run_now)

    def start(self) -> None:
        self._timer.start()

    def run_now(self) -> None:
        """Send what is due now, unless a pass is still running."""
        if self._running:
            return
        self._running = True
        QueryOp(None, self._ctx, send_pass, self._ctx.actor, worker=self._worker).success(
            self._done
        ).failure(self._failed).run()

    def _done(self, report: SendReport) -> None:
        self._running = False
        self.last_report = report
        if report.server_down:
            self._tell(f"E-mails waiting: {report.server_down}")
        elif report.failed:
            self._tell(f"{report.failed} e-mail(s) failed - see E-mails")

    def _failed(self, exc: Exception) -> None:
        self._running = False
        log.warning("e-mail sender pass failed: %s", exc)
        self._tell(f"E-mail sending stopped: {exc}")

    def _tell(self, message: str) -> None:
        if self._status_bar is not None:
            self._status_bar.showMessage(message, MESSAGE_MS)
