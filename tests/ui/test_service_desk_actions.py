"""The desk's edit actions from the orders view, by keyboard: lines and a replacement."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.context import Actor
from app.services.orders import list_orders, order_detail
from app.services.pack_completion import pack_unverified
from app.services.shipping import ship_order
from db.engine import Database
from ui.dialogs.lines_edit_dialog import QUANTITY, LinesEditDialog
from ui.dialogs.reason_dialog import ReasonDialog
from ui.main_window import MainWindow
from ui.views.orders_view import OrdersView

CTRL = Qt.KeyboardModifier.ControlModifier


def _open(qtbot: QtBot, view: OrdersView, number: str) -> None:
    view.search_edit.setText(number)
    qtbot.keyClick(view.search_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.detail_panel.current_number() == number)


def test_ctrl_l_changes_a_quantity_and_the_order_is_allocated_again(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database
) -> None:
    view = main_window.orders_view
    number = list_orders(demo_db, status="allocated", limit=1)[0].number
    before = order_detail(demo_db, number).lines[0]
    _open(qtbot, view, number)
    qtbot.waitUntil(view.desk_actions.lines_action.isEnabled)

    qtbot.keyClick(view.table, Qt.Key.Key_L, CTRL)
    qtbot.waitUntil(lambda: isinstance(view.desk_actions.dialog, LinesEditDialog))
    dialog = view.desk_actions.dialog
    assert isinstance(dialog, LinesEditDialog)
    dialog._spin(0, QUANTITY).setValue(before.qty_ordered + 1)
    dialog.save_button.click()

    qtbot.waitUntil(lambda: view.feedback_banner.kind == "ok", timeout=10_000)
    assert f"{before.sku} {before.qty_ordered} → {before.qty_ordered + 1}" in (
        view.feedback_banner.toolTip()
    )
    after = order_detail(demo_db, number)
    assert after.lines[0].qty_ordered == before.qty_ordered + 1
    assert after.lines[0].qty_allocated in (0, before.qty_ordered + 1)
    qtbot.waitUntil(lambda: "Lines changed" in view.detail_panel.timeline_view.toPlainText())


def test_a_shipped_order_gets_a_free_replacement_from_the_keyboard(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database, actor: Actor
) -> None:
    view = main_window.orders_view
    number = list_orders(demo_db, status="allocated", limit=1)[0].number
    pack_unverified(demo_db, actor, number)
    ship_order(demo_db, actor, number)
    _open(qtbot, view, number)
    qtbot.waitUntil(view.desk_actions.replacement_action.isEnabled)
    assert not view.desk_actions.address_action.isEnabled()  # shipped: too late

    qtbot.keyClick(view.table, Qt.Key.Key_R, CTRL | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: isinstance(view.desk_actions.dialog, ReasonDialog))
    dialog = view.desk_actions.dialog
    assert isinstance(dialog, ReasonDialog) and dialog.reason_combo is not None
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClicks(dialog.reason_combo, "Parcel lost by the carrier")
    qtbot.keyClick(dialog.reason_combo, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: view.feedback_banner.kind == "ok", timeout=10_000)
    copy = list_orders(demo_db, limit=1)[0]
    assert view.feedback_banner.toolTip().startswith(f"{copy.number} created for {number}")
    assert copy.total == 0
    events = order_detail(demo_db, number).events
    assert events[-1].action == "replacement created"
