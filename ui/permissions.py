"""The GUI hides what the signed-in user may not do (the services refuse it anyway)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import QAction

from app.context import Actor
from app.domain.permissions import allowed


def hide_unless_allowed(actor: Actor, actions: Iterable[tuple[QAction, str]]) -> None:
    """Hide each action whose permission `actor`'s role lacks; in open mode (nobody
    logged in) everything stays, as the services allow it all."""
    for action, permission in actions:
        action.setVisible(actor.user_id is None or allowed(actor.role, permission))
