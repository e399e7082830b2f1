"""Qt fixtures: the real services on a temporary SQLite file holding a demo warehouse."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.context import Actor
from app.services.demo_data import load_demo
from db.engine import Database
from ui.context import UiContext
from ui.main_window import MainWindow
from ui.theme import apply_theme

# Read when pytest-qt creates the QApplication, which happens after this module loads.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def demo_db(sqlite_db: Database, actor: Actor) -> Database:
    load_demo(sqlite_db, actor, orders=120, skus=40, returns=False, history=False)  # nothing picked
    return sqlite_db


@pytest.fixture
def ui_context(demo_db: Database, actor: Actor, qapp: QApplication) -> Iterator[UiContext]:
    apply_theme(qapp)
    ctx = UiContext.open(demo_db, actor, station="pack")
    yield ctx
    ctx.tasks.shutdown()


@pytest.fixture
def main_window(qtbot: QtBot, ui_context: UiContext) -> Iterator[MainWindow]:
    window = MainWindow(ui_context)
    qtbot.addWidget(window)
    window.resize(1400, 850)
    window.show()
    model = window.orders_view.model
    qtbot.waitUntil(lambda: model.rowCount() > 0 and not model.is_loading())
    yield window
    window.close()
