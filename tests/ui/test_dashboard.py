"""The Dashboard on the hand-made week of tests/services/reports/history.py: charts with
the numbers the reports compute, a filter change, a refused range, a drill-down."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.context import Actor
from db.engine import Database
from tests.services.reports.history import build
from ui.context import UiContext
from ui.main_window import MainWindow
from ui.theme import apply_theme
from ui.views.dashboard_view import DashboardView


@pytest.fixture
def week_context(sqlite_db: Database, actor: Actor, qapp: QApplication) -> Iterator[UiContext]:
    build(sqlite_db)
    apply_theme(qapp)
    ctx = UiContext.open(sqlite_db, actor, station=None)
    yield ctx
    ctx.tasks.shutdown()


@pytest.fixture
def dashboard(qtbot: QtBot, week_context: UiContext) -> DashboardView:
    view = DashboardView(week_context)
    qtbot.addWidget(view)
    view.set_range(date(2026, 10, 24), date(2026, 10, 26))
    view.resize(1280, 900)
    with qtbot.waitSignal(view.reports_loaded, timeout=15_000):
        view.show()
    return view


def bars(view: DashboardView, kind: str, series: str) -> list[float]:
    bar_set = view.panels[kind].bar_sets[series]
    return [bar_set.at(i) for i in range(bar_set.count())]


def test_the_dashboard_draws_each_report_as_a_chart(dashboard: DashboardView) -> None:
    assert bars(dashboard, "daily", "received") == [1, 2, 1]
    assert bars(dashboard, "daily", "shipped") == [0, 1, 1]
    assert bars(dashboard, "daily", "late") == [0, 1, 1]
    assert bars(dashboard, "late", "late") == [1, 1]
    assert bars(dashboard, "cycle-times", "median_hours") == [1, 2, 2, 18, 23]
    assert bars(dashboard, "stations", "packed") == [2, 0]
    assert bars(dashboard, "stock-outs", "units_short") == [4]
    assert bars(dashboard, "return-reasons", "returns") == [1, 1]
    for panel in dashboard.panels.values():
        assert panel.pages.currentWidget() is panel.chart_view
    assert dashboard.problem_label.isHidden()


def test_a_channel_filter_redraws_every_chart_for_that_channel(
    qtbot: QtBot, dashboard: DashboardView
) -> None:
    qtbot.waitUntil(lambda: dashboard.channel_combo.count() == 3)  # All, shop, web
    dashboard.channel_combo.setCurrentText("shop")
    with qtbot.waitSignal(dashboard.reports_loaded, timeout=15_000):
        dashboard.refresh_button.click()
    assert bars(dashboard, "daily", "received") == [0, 1, 0]
    cycle = dashboard.panels["cycle-times"]
    assert cycle.report is None
    assert cycle.message_label.text() == "No orders were shipped in " + (
        "24 Oct 2026 - 26 Oct 2026 (Europe/London), channel shop."
    )


def test_a_range_that_ends_before_it_starts_is_said_in_words_not_drawn(
    qtbot: QtBot, dashboard: DashboardView
) -> None:
    dashboard.set_range(date(2026, 10, 26), date(2026, 10, 20))
    with qtbot.waitSignal(dashboard.reports_loaded, timeout=15_000):
        dashboard.refresh_button.click()
    assert dashboard.problem_label.isVisible()
    assert dashboard.problem_label.text() == (
        "Cannot report: the range starts on 2026-10-26, after it ends on 2026-10-20."
    )
    assert all(p.report is None for p in dashboard.panels.values())


def test_a_click_on_a_bar_lists_its_orders_and_a_double_click_opens_one(
    qtbot: QtBot, dashboard: DashboardView
) -> None:
    # The 25th's "received" bar: o2 (00:30 London) and o3.
    dashboard.panels["daily"].bar_sets["received"].clicked.emit(1)
    qtbot.waitUntil(lambda: dashboard.drill_table.rowCount() == 2)
    numbers = [dashboard.drill_table.item(r, 0).text() for r in range(2)]
    assert numbers == ["SO-2", "SO-3"]
    assert dashboard.drill_title.text().startswith("Received on 25 Oct 2026: 2 orders")
    dashboard.panels["daily"].bar_sets["late"].clicked.emit(2)  # due on the 26th, late: o3
    qtbot.waitUntil(lambda: dashboard.drill_table.rowCount() == 1)
    assert dashboard.drill_table.item(0, 0).text() == "SO-3"
    with qtbot.waitSignal(dashboard.order_opened) as opened:
        dashboard.drill_table.cellDoubleClicked.emit(0, 0)
    assert opened.args == ["SO-3"]


def test_the_main_window_opens_a_drilled_order_in_the_orders_queue(
    qtbot: QtBot, week_context: UiContext
) -> None:
    window = MainWindow(week_context)
    qtbot.addWidget(window)
    window.show()
    titles = [window.sidebar_list.item(i).text() for i in range(window.sidebar_list.count())]
    assert "Dashboard" in titles
    dashboard = window.dashboard_view
    assert dashboard is not None
    dashboard.order_opened.emit("SO-3")
    assert window.pages.currentWidget() is window.orders_view
    qtbot.waitUntil(
        lambda: window.orders_view.detail_panel.current_number() == "SO-3", timeout=10_000
    )
    # "Received on 25 Oct" is a placed window the queue's filters can say exactly.
    dashboard.set_range(date(2026, 10, 24), date(2026, 10, 26))
    with qtbot.waitSignal(dashboard.reports_loaded, timeout=15_000):
        dashboard.refresh()
    dashboard.panels["daily"].bar_sets["received"].clicked.emit(1)
    qtbot.waitUntil(lambda: dashboard.drill_table.rowCount() == 2)
    assert dashboard.queue_button.isVisibleTo(dashboard)
    dashboard.queue_button.click()
    assert window.pages.currentWidget() is window.orders_view
    model = window.orders_view.model
    qtbot.waitUntil(lambda: not model.is_loading() and model.rowCount() == 2, timeout=10_000)
    assert sorted(model.order_at(r).number for r in range(2)) == ["SO-2", "SO-3"]
    # Shipped on a day is not a queue filter: only the list under the charts shows it.
    dashboard.panels["daily"].bar_sets["shipped"].clicked.emit(1)
    qtbot.waitUntil(lambda: dashboard.drill_table.rowCount() == 1)
    assert not dashboard.queue_button.isVisibleTo(dashboard)
    window.close()
