"""Back-office test helpers; the fixtures (a demo warehouse, the main window) are tests/ui's."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.context import Actor
from app.services.orders import list_orders
from app.services.pack_completion import pack_unverified
from db.engine import Database
from ui.main_window import MainWindow
from ui.views.feedback_banner import FeedbackBanner
from ui.views.orders_view import OrdersView


def wait_for_banner(qtbot: QtBot, banner: FeedbackBanner, kind: str, timeout: int = 10_000) -> str:
    """Wait until `banner` shows a message of `kind` ("ok" or "problem"); its text."""
    qtbot.waitUntil(lambda: banner.isVisible() and banner.kind == kind, timeout=timeout)
    return banner.text()


def select_order(qtbot: QtBot, view: OrdersView, number: str) -> None:
    """Open `number` in the orders view and wait until its detail shows."""
    view.open_order(number)
    qtbot.waitUntil(lambda: view.detail_panel.current_number() == number)


def pack_orders(db: Database, actor: Actor, count: int, label_format: str = "zpl") -> list[str]:
    """Pack `count` fully allocated orders at once, as a supervisor may; their numbers."""
    numbers = [row.number for row in list_orders(db, status="allocated", limit=count)]
    for number in numbers:
        pack_unverified(db, actor, number, label_format=label_format)
    return numbers


def show_page(qtbot: QtBot, window: MainWindow, view: QWidget) -> None:
    """Choose `view`'s area in the sidebar (wherever the areas a role sees put it)."""
    page = window.pages.indexOf(view)
    window.sidebar_list.setCurrentRow(page)
    qtbot.waitUntil(lambda: window.pages.currentIndex() == page)
