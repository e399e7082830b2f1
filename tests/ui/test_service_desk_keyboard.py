"""What an agent trips over, fixed: the detail panel always shows a row of the result,
Enter opens a lone result, the keyboard does the day's work, and messages neither move
the buttons nor outlive their order."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.services.orders import order_detail
from db.engine import Database
from ui.dialogs.reason_dialog import ReasonDialog
from ui.main_window import MainWindow
from ui.views.orders_view import OrdersView, orders_count

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def _shown(view: OrdersView) -> str | None:
    return view.detail_panel.current_number()


def _numbers(view: OrdersView) -> list[str]:
    return [view.model.order_at(r).number for r in range(view.model.rowCount())]


def test_a_search_that_leaves_the_shown_order_out_empties_the_panel_and_its_actions(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    view = main_window.orders_view
    first, other = view.model.order_at(3), view.model.order_at(40)
    view.table.selectRow(3)
    qtbot.waitUntil(lambda: _shown(view) == first.number)
    assert view.action_controller.note_action.isEnabled()

    view.search_edit.setText(other.external_ref)
    qtbot.waitUntil(lambda: _numbers(view) == [other.number])

    assert _shown(view) is None
    assert not view.action_controller.cancel_action.isEnabled()
    assert not view.action_controller.note_action.isEnabled()
    assert view.result_label.text() == "1 order"


def test_enter_opens_the_lone_order_found_whatever_matched(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database
) -> None:
    view = main_window.orders_view
    first, second = view.model.order_at(17), view.model.order_at(33)
    # The agent types the number as the customer reads it out: no prefix, lower case.
    for row, typed in (
        (first, first.number.removeprefix("SO-")),
        (second, second.number.lower().replace("-", " ")),
    ):
        view.focus_search()
        qtbot.keyClicks(view.search_edit, typed)
        qtbot.keyClick(view.search_edit, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda row=row: _shown(view) == row.number)
        assert row.number in _numbers(view)
        assert view.table.currentIndex().row() == view.model.row_of(row.number)


def test_keyboard_only_find_step_through_and_hold_an_order(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database
) -> None:
    view = main_window.orders_view
    main_window.activateWindow()
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_F, CTRL)
    qtbot.waitUntil(view.search_edit.hasFocus)
    target = view.model.order_at(0)
    qtbot.keyClicks(view.search_edit, target.external_ref)
    qtbot.keyClick(view.search_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: _shown(view) == target.number)

    view.search_edit.clear()
    qtbot.waitUntil(lambda: view.model.rowCount() > 2 and view.model.row_of(target.number) == 0)
    qtbot.waitUntil(lambda: view.table.currentIndex().row() == 0)
    qtbot.keyClick(view.table, Qt.Key.Key_Down, ALT)
    second = view.model.order_at(1).number
    qtbot.waitUntil(lambda: _shown(view) == second)
    qtbot.keyClick(view.table, Qt.Key.Key_Down, ALT)
    qtbot.keyClick(view.table, Qt.Key.Key_Up, ALT)
    qtbot.waitUntil(lambda: view.table.currentIndex().row() == 1 and _shown(view) == second)
    assert "Alt+Down" in view.next_action.toolTip()

    status = order_detail(demo_db, second).status
    if not view.action_controller.hold_action.isEnabled():
        return  # a status that cannot be held (covered elsewhere); nothing more to type
    qtbot.keyClick(view.table, Qt.Key.Key_H, CTRL)
    qtbot.waitUntil(lambda: isinstance(view.action_controller.dialog, ReasonDialog))
    dialog = view.action_controller.dialog
    assert isinstance(dialog, ReasonDialog) and dialog.reason_combo is not None
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClicks(dialog.reason_combo, "Customer asked us to wait")
    qtbot.keyClick(dialog.reason_combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: order_detail(demo_db, second).status == "on_hold", timeout=10_000)
    assert status != "on_hold"
    qtbot.waitUntil(lambda: view.feedback_banner.kind == "ok")


def test_a_message_does_not_move_the_buttons_and_goes_with_its_order(
    qtbot: QtBot, main_window: MainWindow
) -> None:
    view = main_window.orders_view
    view.table.selectRow(2)
    qtbot.waitUntil(lambda: _shown(view) == view.model.order_at(2).number)
    button_y = view.detail_panel.mapTo(main_window, view.detail_panel.rect().topLeft()).y()

    view.feedback_banner.show_ok("A message about this order " * 8)
    qtbot.wait(50)
    assert view.detail_panel.mapTo(main_window, view.detail_panel.rect().topLeft()).y() == button_y
    assert view.feedback_banner.toolTip().startswith("A message about this order")

    qtbot.keyClick(view.table, Qt.Key.Key_Down, ALT)
    qtbot.waitUntil(lambda: _shown(view) == view.model.order_at(3).number)
    assert not view.feedback_banner.isVisible()
    assert view.detail_panel.mapTo(main_window, view.detail_panel.rect().topLeft()).y() == button_y


def test_counts_read_as_english() -> None:
    assert (orders_count(0), orders_count(1), orders_count(1200)) == (
        "0 orders",
        "1 order",
        "1,200 orders",
    )


def test_product_names_get_the_room_of_stages_no_line_has_reached(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database
) -> None:
    view = main_window.orders_view
    number = view.model.order_at(4).number
    view.table.selectRow(4)
    qtbot.waitUntil(lambda: _shown(view) == number)
    lines = order_detail(demo_db, number).lines
    table = view.detail_panel.lines_table
    assert table.isColumnHidden(7) == (not any(li.qty_returned for li in lines))
    assert table.isColumnHidden(8) == (not any(li.qty_handled_elsewhere for li in lines))
    names = [table.cell_text(row, 1) for row in range(table.rowCount())]
    assert names == [li.name for li in lines]
    widths = table.fontMetrics()
    assert table.columnWidth(1) > max(widths.horizontalAdvance(name) for name in names)
