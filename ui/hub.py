"""AppHub: one place where finished changes are announced, so every view can refresh."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class AppHub(QObject):
    """Broadcasts finished changes (Anki's `operation_did_execute`).

    `changes_applied(changes, initiator)`: `changes` is what the mutation returned,
    `initiator` the widget that asked for it (or None), so it can skip its own echo.
    """

    changes_applied = Signal(object, object)
