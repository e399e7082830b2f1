"""Who uses the GUI: asked before any window opens, once the database has users."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QDialog

from app.context import Actor
from app.services.access import OPEN_MODE_WARNING, needs_log_in
from app.services.database_setup import Database
from app.services.settings import get_setting
from ui.login.login_dialog import LoginDialog

log = logging.getLogger(__name__)
IDLE_KEY = "station.idle_lock_minutes"


def sign_in(db: Database, actor: Actor, station: str | None) -> Actor | None:
    """The signed-in actor (a badge and PIN at a station, name and password at the
    desk); `actor` itself while nobody has a log-in; None when the user gave up."""
    if not needs_log_in(db):
        log.warning(OPEN_MODE_WARNING)
        return actor
    dialog = LoginDialog(db, actor.station, badge=station is not None)
    return dialog.actor if dialog.exec() == QDialog.DialogCode.Accepted else None


def idle_lock_ms(db: Database) -> int:
    """The station's idle time before it locks, from the site's settings (0 = never)."""
    return int(get_setting(db, IDLE_KEY) or 0) * 60_000
