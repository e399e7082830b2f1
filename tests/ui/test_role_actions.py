"""The desk hides what the signed-in user's role may not do (the services refuse it too)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.context import Actor
from db.engine import Database
from ui.context import UiContext
from ui.views.feedback_banner import FeedbackBanner
from ui.views.order_actions import OrderActionsController
from ui.views.service_desk_actions import ServiceDeskActions


def _visible(role: str, db: Database, qtbot: QtBot, user_id: int | None = 7) -> set[str]:
    ctx = UiContext.open(db, Actor("someone", "desk-1", user_id, role), station=None)
    host = QWidget()
    qtbot.addWidget(host)
    banner = FeedbackBanner(host)
    try:
        orders = OrderActionsController(ctx, host, banner)
        desk = ServiceDeskActions(ctx, host, banner)
        actions = [*orders.toolbar_actions(), *desk.actions()]
        return {a.iconText() for a in actions if a.isVisible()}
    finally:
        ctx.tasks.shutdown()


@pytest.mark.usefixtures("qapp")
def test_each_role_sees_only_the_order_actions_it_may_use(
    sqlite_db: Database, qtbot: QtBot
) -> None:
    everything = _visible("admin", sqlite_db, qtbot)
    assert {"Cancel order…", "Hold…", "Edit address…", "Free from station…"} <= everything
    packer = _visible("packer", sqlite_db, qtbot)
    assert packer == {"Allocate", "Add note…"}
    service = _visible("service", sqlite_db, qtbot)
    assert "Cancel order…" in service and "Free from station…" not in service
    assert _visible("packer", sqlite_db, qtbot, user_id=None) == everything  # open mode
    QApplication.processEvents()
