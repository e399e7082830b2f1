"""Settings fixtures: a UI context on an empty database (no demo: nothing set up yet)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.context import Actor
from db.engine import Database
from ui.context import UiContext
from ui.settings.settings_view import SettingsView
from ui.theme import apply_theme


@pytest.fixture
def empty_context(sqlite_db: Database, actor: Actor, qapp: QApplication) -> Iterator[UiContext]:
    apply_theme(qapp)
    ctx = UiContext.open(sqlite_db, actor, station=None)
    yield ctx
    ctx.tasks.shutdown()


@pytest.fixture
def settings_view(qtbot: QtBot, empty_context: UiContext) -> Iterator[SettingsView]:
    view = SettingsView(empty_context)
    qtbot.addWidget(view)
    view.resize(1260, 800)
    view.show()
    yield view
    view.close()


@pytest.fixture
def host(qtbot: QtBot) -> Iterator[QWidget]:
    """A window for the wizard to open over, as in the GUI, deleted for good afterwards:
    a QWizard still alive when the next test re-applies the theme (QApplication.setStyle)
    crashes Qt 6.11."""
    window = QWidget()
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()
    window.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
