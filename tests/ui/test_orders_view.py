"""Finding orders: search, status filter, the detail panel and the keyboard."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QModelIndex, Qt
from pytestqt.qtbot import QtBot

from app.context import Actor
from app.services.demo_data import load_demo
from app.services.orders import list_orders, order_detail
from app.services.stats import stats
from db.engine import Database
from ui.context import UiContext
from ui.main_window import MainWindow
from ui.operations import DbOp
from ui.views.orders_view import OrdersView


def _numbers(view: OrdersView) -> list[str]:
    return [view.model.order_at(r).number for r in range(view.model.rowCount())]


def _load_all(qtbot: QtBot, view: OrdersView) -> None:
    model = view.model
    while True:
        qtbot.waitUntil(lambda: not model.is_loading())
        if not model.canFetchMore(QModelIndex()):
            return
        model.fetchMore(QModelIndex())


def test_searching_by_order_number_narrows_the_table_to_that_order(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    view = main_window.orders_view
    number = view.model.order_at(7).number
    qtbot.keyClicks(view.search_edit, number)
    qtbot.waitUntil(lambda: _numbers(view) == [number])


def test_searching_by_email_narrows_the_table_to_that_customers_orders(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database
) -> None:
    view = main_window.orders_view
    email = order_detail(demo_db, view.model.order_at(3).number).email
    assert email
    expected = [row.number for row in list_orders(demo_db, search=email)]
    assert 0 < len(expected) < 120
    view.search_edit.setText(email)
    qtbot.waitUntil(lambda: _numbers(view) == expected)
    qtbot.waitUntil(lambda: view.result_label.text() == f"{len(expected)} orders")


def test_the_status_filter_shows_only_that_status_and_its_count_matches_stats(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database
) -> None:
    view = main_window.orders_view
    expected = stats(demo_db).orders_by_status["backordered"]
    chip = view.filter_bar.chip("backordered")
    qtbot.waitUntil(chip.isVisible)
    chip.click()
    qtbot.waitUntil(lambda: {view.model.order_at(r).status for r in range(3)} == {"backordered"})
    _load_all(qtbot, view)
    statuses = {view.model.order_at(r).status for r in range(view.model.rowCount())}
    assert statuses == {"backordered"}
    assert view.model.rowCount() == expected
    assert chip.text() == f"Backordered  {expected}"


def test_selecting_a_row_shows_its_address_lines_and_timeline(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database
) -> None:
    view = main_window.orders_view
    number = view.model.order_at(5).number
    view.table.selectRow(5)
    panel = view.detail_panel
    qtbot.waitUntil(lambda: panel.current_number() == number)
    detail = order_detail(demo_db, number)
    table = panel.lines_table
    assert [table.cell_text(r, 0) for r in range(table.rowCount())] == [
        line.sku for line in detail.lines
    ]
    assert table.cell_text(0, 2) == str(detail.lines[0].qty_ordered)
    assert table.cell_text(0, 3) == str(detail.lines[0].qty_allocated)
    assert escape(str(detail.ship_to["address1"])) in panel.address_label.text()  # rich text
    assert detail.email and panel.address_label.toolTip() == detail.email  # whole, if cut
    timeline = panel.timeline_view.toPlainText()
    assert len(detail.events) >= 2
    for event in detail.events:  # each says who did it, where
        assert f"{event.username} @ {event.station}" in timeline
    assert "Created" in timeline


def test_enter_with_an_exact_order_number_opens_that_order(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    view = main_window.orders_view
    row = view.model.order_at(42)
    qtbot.keyClicks(view.search_edit, row.external_ref)
    qtbot.keyClick(view.search_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.detail_panel.current_number() == row.number)
    qtbot.waitUntil(lambda: view.table.currentIndex().row() == view.model.row_of(row.number))


def test_ctrl_f_puts_the_cursor_in_the_search_box(qtbot: QtBot, main_window: MainWindow) -> None:
    view = main_window.orders_view
    main_window.activateWindow()
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(view.search_edit.hasFocus)


def test_a_finished_change_refreshes_the_counts_and_the_table(
    qtbot: QtBot, main_window: MainWindow, ui_context: UiContext, actor: Actor, demo_db: Database
) -> None:
    view = main_window.orders_view
    before = stats(demo_db).orders_total
    qtbot.waitUntil(lambda: view.filter_bar.chip(None).text() == f"All  {before:,}")
    with qtbot.waitSignal(ui_context.hub.changes_applied, timeout=10_000):
        DbOp(None, ui_context, load_demo, actor, orders=5, skus=40, seed=11).run(initiator=view)
    total = stats(demo_db).orders_total
    newest = list_orders(demo_db, limit=1)[0].number
    assert total > before
    qtbot.waitUntil(lambda: view.filter_bar.chip(None).text() == f"All  {total:,}")
    qtbot.waitUntil(lambda: view.model.order_at(0).number == newest)
