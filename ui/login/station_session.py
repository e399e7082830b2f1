"""A station screen for whoever is logged in: it locks when nobody has touched it for
the idle time, and the next badge scan takes it over (a new user gets a fresh screen
for their name, and the audit trail records the change of hands)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from app.context import Actor
from app.services.database_setup import Database
from ui.login.login_dialog import LoginDialog

OpenScreen = Callable[[Database, Actor], QWidget]
ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class StationSession(QObject):
    """Owns the station screen; `idle_ms` 0 never locks."""

    def __init__(self, db: Database, actor: Actor, open_screen: OpenScreen, idle_ms: int) -> None:
        super().__init__()
        self.db, self.actor, self.open_screen = db, actor, open_screen
        self.screen = open_screen(db, actor)
        self.lock_dialog: LoginDialog | None = None
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(idle_ms)
        self.idle.timeout.connect(self.lock)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        if idle_ms > 0:
            self.idle.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY and self.lock_dialog is None and self.idle.interval() > 0:
            self.idle.start()
        return False

    def lock(self) -> None:
        """Cover the screen with the badge log-in; only a log-in opens it again."""
        dialog = LoginDialog(
            self.db, self.actor.station, badge=True, locked_from=self.actor, parent=self.screen
        )
        dialog.setModal(True)
        dialog.accepted.connect(self._unlocked)
        self.lock_dialog = dialog
        dialog.open()

    def _unlocked(self) -> None:
        assert self.lock_dialog is not None and self.lock_dialog.actor is not None
        new = self.lock_dialog.actor
        self.lock_dialog.deleteLater()
        self.lock_dialog = None
        if new.user_id != self.actor.user_id:
            old = self.screen
            self.screen = self.open_screen(self.db, new)
            self.screen.show()
            old.close()
        self.actor = new
        self.idle.start()

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.idle.stop()
