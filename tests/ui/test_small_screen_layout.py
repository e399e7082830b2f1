"""The desk on a 1024x600 screen: every area fits, nothing the user clicks is cut off."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QFileDialog,
    QToolButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.context import Actor
from db.engine import Database
from ui.context import UiContext
from ui.main_window import MainWindow
from ui.theme import apply_theme

SMALL = (1024, 600)


@pytest.fixture
def admin_window(qtbot: QtBot, demo_db: Database, qapp: QApplication) -> Iterator[MainWindow]:
    """An administrator's desk, so that every area (Users too) is there."""
    apply_theme(qapp)  # its paddings count in the sizes
    admin = Actor(username="ada", station="desk", role="admin")
    # A database deep in someone's folders: the status bar must not widen the window.
    ctx = replace(
        UiContext.open(demo_db, admin, station=None),
        database_label=f"sqlite:///home/{'warehouse-office/' * 8}shipshape.db",
    )
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(*SMALL)
    window.show()
    model = window.orders_view.model
    qtbot.waitUntil(lambda: model.rowCount() > 0 and not model.is_loading())
    yield window
    window.close()
    ctx.tasks.shutdown()


def _scroll_area_of(widget: QWidget, page: QWidget) -> QAbstractScrollArea | None:
    """The nearest scroll area around `widget`, inside `page`."""
    parent = widget.parentWidget()
    while parent is not None and parent is not page:
        if isinstance(parent, QAbstractScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def _open_first_order(qtbot: QtBot, window: MainWindow) -> None:
    view = window.orders_view
    view.table.selectRow(0)
    number = view.model.order_at(0).number
    qtbot.waitUntil(lambda: view.detail_panel.current_number() == number)


def _cut_off_buttons(page: QWidget) -> list[str]:
    """Buttons shown on `page` that reach past its edges (scrolling content aside)."""
    bounds = page.rect()
    return [
        button.text() or button.toolTip()
        for button in page.findChildren(QAbstractButton)
        if button.isVisible()
        and _scroll_area_of(button, page) is None
        and not bounds.contains(QRect(button.mapTo(page, button.rect().topLeft()), button.size()))
    ]


def test_every_area_fits_a_1024_by_600_screen(qtbot: QtBot, admin_window: MainWindow) -> None:
    _open_first_order(qtbot, admin_window)
    sidebar = admin_window.sidebar_list
    areas = [sidebar.item(i).text() for i in range(sidebar.count())]
    assert "Users" in areas and "Returns" in areas
    for row, area in enumerate(areas):
        sidebar.setCurrentRow(row)
        page = admin_window.pages.currentWidget()
        assert page is not None
        qtbot.waitUntil(page.isVisible)
        hint = admin_window.minimumSizeHint()
        assert hint.width() <= SMALL[0] and hint.height() <= SMALL[1], (area, hint)
        assert admin_window.size().toTuple() == SMALL, area
        assert _cut_off_buttons(page) == [], area
    assert "warehouse-office/" * 8 in admin_window.status_label.toolTip()


def test_a_saved_report_named_on_the_dashboard_leaves_the_window_within_1024(
    qtbot: QtBot, admin_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dashboard = admin_window.dashboard_view
    assert dashboard is not None
    admin_window.sidebar_list.setCurrentRow(admin_window.pages.indexOf(dashboard))
    path = tmp_path / f"replenishment-{'all-warehouses-all-channels-' * 3}2026-11-29.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args: (str(path), "CSV"))
    dashboard.reorder_button.click()
    qtbot.waitUntil(dashboard.saved_label.isVisible)
    assert path.exists()
    assert dashboard.saved_label.toolTip() == str(path)
    assert admin_window.statusBar().currentMessage() == f"Saved {path}"  # seen when no room
    hint = admin_window.minimumSizeHint()
    assert hint.width() <= SMALL[0], hint
    assert admin_window.size().toTuple() == SMALL
    assert _cut_off_buttons(dashboard) == []


def test_a_database_error_in_the_orders_area_is_one_line_within_1024_by_600(
    qtbot: QtBot, admin_window: MainWindow, demo_db: Database
) -> None:
    with demo_db.engine.begin() as connection:  # the queue's next query fails, at length
        connection.exec_driver_sql("ALTER TABLE orders RENAME TO orders_elsewhere")
    view = admin_window.orders_view
    view.search_edit.setText("SO-1")
    qtbot.waitUntil(view.problem_label.isVisible)
    problem = view.problem_label
    assert "no such table: orders" in problem.text() and "[SQL:" in problem.toolTip()
    assert problem.height() < 3 * problem.fontMetrics().height()  # one line, not the SQL
    hint = admin_window.minimumSizeHint()
    assert hint.width() <= SMALL[0] and hint.height() <= SMALL[1], hint
    assert admin_window.size().toTuple() == SMALL


def test_the_order_detail_buttons_are_all_on_screen_at_1024_by_600(
    qtbot: QtBot, admin_window: MainWindow
) -> None:
    _open_first_order(qtbot, admin_window)
    row = admin_window.orders_view.detail_panel.actions_row
    qtbot.waitUntil(row.isVisible)
    buttons = [b for b in row.findChildren(QToolButton) if not b.isHidden()]
    texts = {b.text() for b in buttons}
    assert {"Cancel order…", "Add note…", "Edit address…", "Edit lines…"} <= texts, texts
    window_rect = admin_window.rect()
    scroller = _scroll_area_of(row, admin_window)
    assert scroller is not None  # the order scrolls on a short screen
    viewport = scroller.viewport()
    for button in buttons:
        on_window = QRect(button.mapTo(admin_window, button.rect().topLeft()), button.size())
        on_viewport = QRect(button.mapTo(viewport, button.rect().topLeft()), button.size())
        assert window_rect.contains(on_window), (button.text(), on_window)
        assert viewport.rect().contains(on_viewport), (button.text(), on_viewport)
    rows = {b.y() for b in buttons}
    assert len(rows) > 1  # at 1024 wide they wrap instead of widening the window
