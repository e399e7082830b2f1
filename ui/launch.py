"""Start the GUI: open and prepare the database (through app/), then show the main
window or a station screen."""

from __future__ import annotations

import logging
import os
import socket
import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from app.config import ENV_VAR, database_url, is_default_location
from app.context import Actor, system_actor
from app.services.database_setup import (
    Database,
    describe_failure,
    is_one_line_error,
    open_database,
    prepare_database,
)
from ui.context import UiContext
from ui.login.first_admin import FirstAdminDialog
from ui.login.start import idle_lock_ms, sign_in
from ui.login.station_session import StationSession
from ui.main_thread_gc import MainThreadCollector
from ui.main_window import MainWindow
from ui.settings.first_run import offer_first_run_setup
from ui.station import STATION_SCREENS
from ui.theme import apply_theme

NO_DISPLAY = (
    "No display found: run `python main.py demo` for a headless tour, "
    "or set QT_QPA_PLATFORM=offscreen"
)
STATION_VAR = "SHIPSHAPE_STATION"

log = logging.getLogger(__name__)


def station_name(kind: str | None) -> str:
    """This station's name in the audit trail: $SHIPSHAPE_STATION, else kind-hostname,
    so two pack stations are never confused."""
    if os.environ.get(STATION_VAR):
        return os.environ[STATION_VAR]
    return f"{kind or 'desk'}-{socket.gethostname()}"


def has_display() -> bool:
    """False on Linux without X11, Wayland or an explicit Qt platform plugin."""
    if not sys.platform.startswith("linux"):
        return True
    return any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def _ask_upgrade(question: str) -> bool:
    answer = QMessageBox.question(None, "Upgrade the database?", question)
    return answer == QMessageBox.StandardButton.Yes


def _refuse(exc: Exception) -> int:
    """Report a database that cannot be opened or prepared; the exit code."""
    if not is_one_line_error(exc):
        log.error("cannot open the database", exc_info=exc)
    message = describe_failure(exc)
    print(f"error: {message}", file=sys.stderr)
    QMessageBox.critical(None, "Shipshape cannot open the database", message)
    return 1


def launch_gui(db_url: str | None, station: str | None) -> int:
    """Run the desk GUI until its window closes; the process exit code.

    `station` (pack, pick or returns) is shown in the status bar; the station screens
    arrive with their own issue, so for now every station opens the main window.
    """
    if not has_display():
        print(NO_DISPLAY, file=sys.stderr)
        return 2
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Shipshape")
    MainThreadCollector(app)
    apply_theme(app)
    if station is not None and station not in STATION_SCREENS:
        print(
            f"error: the {station} station screen is not built yet; "
            f"stations available: {', '.join(sorted(STATION_SCREENS))}",
            file=sys.stderr,
        )
        return 2
    actor = system_actor(station_name(station))
    try:
        url = database_url(db_url)
        db = open_database(url, station=actor.station, private_folder=is_default_location(url))
    except Exception as exc:  # whatever the driver raises: told, not crashed
        return _refuse(exc)
    for notice in db.notices:
        log.warning(notice)
    try:
        db_named = bool(db_url or os.environ.get(ENV_VAR))
        return _run(app, db, actor, station, db_named=db_named)
    finally:
        db.dispose()


def _run(
    app: QApplication, db: Database, actor: Actor, station: str | None, *, db_named: bool
) -> int:
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        ready = prepare_database(
            db, actor, confirm_upgrade=_ask_upgrade, demo_on_first_run=not db_named
        )
    except Exception as exc:  # whatever the driver or Alembic raises: told, not crashed
        return _refuse(exc)
    finally:
        QGuiApplication.restoreOverrideCursor()
    if not ready:
        return 1
    signed_in = sign_in(db, actor, station)
    if signed_in is None:
        return 1
    if station is not None:
        # Nobody can log in yet (open mode): nothing to lock the station for.
        idle = idle_lock_ms(db) if signed_in.user_id is not None else 0
        session = StationSession(db, signed_in, STATION_SCREENS[station], idle)
        session.screen.show()
        try:
            return app.exec()  # the station window stops its own workers when it closes
        finally:
            session.stop()
    desk = _Desk(db, station)
    desk.open(signed_in)
    assert desk.window is not None and desk.ctx is not None
    offer_first_run_setup(desk.ctx, desk.window)
    if signed_in.user_id is None:
        first = FirstAdminDialog(db, signed_in, signed_in.station, parent=desk.window)
        first.accepted.connect(lambda: desk.open(first.actor or signed_in))
        first.open()
    try:
        return app.exec()
    finally:
        desk.close()


class _Desk:
    """The desk's main window for one actor; reopened for the first administrator."""

    def __init__(self, db: Database, station: str | None) -> None:
        self.db, self.station = db, station
        self.window: MainWindow | None = None
        self.ctx: UiContext | None = None

    def open(self, actor: Actor) -> None:
        previous, previous_ctx = self.window, self.ctx
        self.ctx = UiContext.open(self.db, actor, station=self.station)
        self.window = MainWindow(self.ctx)
        self.window.resize(1400, 850)
        self.window.show()
        if previous is not None and previous_ctx is not None:
            previous.close()
            previous_ctx.tasks.shutdown()

    def close(self) -> None:
        if self.ctx is not None:
            self.ctx.tasks.shutdown()
