"""The main window on a demo warehouse: the shell, the queue model and its paging."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.context import Actor
from app.services.stats import stats
from db.engine import Database
from tests.ui.screenshot import SIZE, render_main_window
from ui.main_window import MainWindow
from ui.models.order_queue_model import PAGE_SIZE, Column
from ui.status_style import LATE_COLOUR, is_late


def test_the_main_window_opens_on_demo_data_and_fills_the_orders_table(
    main_window: MainWindow, demo_db: Database
) -> None:
    assert main_window.windowTitle() == "Shipshape"
    sidebar = main_window.sidebar_list
    assert [sidebar.item(i).text() for i in range(sidebar.count())] == [
        "Orders",
        "Dashboard",
        "Inventory",
        "Print jobs",
        "E-mails",
        "Returns",
        "Settings",
        "Audit",  # the fixture's actor is a supervisor: no Users area
    ]
    status = main_window.status_label.text()
    assert demo_db.describe() in status
    assert "Station: pack" in status
    model = main_window.orders_view.model
    assert model.rowCount() == PAGE_SIZE
    assert model.order_at(0).id > model.order_at(PAGE_SIZE - 1).id


def test_the_status_chips_show_live_counts_from_stats(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database
) -> None:
    bar = main_window.orders_view.filter_bar
    counts = stats(demo_db).orders_by_status
    qtbot.waitUntil(lambda: bar.chip(None).text() == f"All  {sum(counts.values())}")
    assert bar.chip("allocated").text() == f"To pick  {counts['allocated']}"
    assert bar.chip("shipped").isHidden()


@pytest.mark.qt_log_level_fail("WARNING")
@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
def test_the_order_queue_model_passes_the_model_tester_before_and_after_fetching_more(
    qtbot: QtBot, main_window: MainWindow, qtmodeltester: ModelTester, demo_db: Database
) -> None:
    model = main_window.orders_view.model
    total = stats(demo_db).orders_total
    qtmodeltester.check(model)
    model.fetchMore(QModelIndex())
    qtbot.waitUntil(lambda: model.rowCount() == total and not model.is_loading())
    assert not model.canFetchMore(QModelIndex())
    qtmodeltester.check(model)


def test_late_orders_show_their_ship_by_time_in_red(main_window: MainWindow) -> None:
    model = main_window.orders_view.model
    rows = range(model.rowCount())
    late = [r for r in rows if is_late(model.order_at(r).status, model.order_at(r).ship_by)]
    on_time = [r for r in rows if r not in late]
    assert late and on_time
    colour = Qt.ItemDataRole.ForegroundRole
    assert model.index(late[0], Column.SHIP_BY).data(colour) == LATE_COLOUR
    assert model.index(on_time[0], Column.SHIP_BY).data(colour) is None


def test_the_readme_screenshot_renders_the_window_at_1400_by_850(
    demo_db: Database, actor: Actor, qapp: QApplication, tmp_path: Path
) -> None:
    out = tmp_path / "shot.png"
    render_main_window(demo_db, actor, out)
    image = QImage(str(out))
    assert (image.width(), image.height()) == SIZE
