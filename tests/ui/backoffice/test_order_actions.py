"""Service-desk actions on orders: allocate, hold, release, cancel, note."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.context import Actor
from app.services.inventory import StockCount, apply_counts
from app.services.order_actions import hold_order
from app.services.orders import list_orders, order_detail
from app.services.packing import open_for_packing
from app.services.stats import stats
from app.services.stock_queries import backordered_orders, stock_by_sku, stock_locations
from db.engine import Database
from tests.ui.backoffice.helpers import select_order, wait_for_banner
from ui.dialogs.reason_dialog import ReasonDialog
from ui.main_window import MainWindow
from ui.views.orders_view import OrdersView


def _reason_dialog(qtbot: QtBot, view: OrdersView) -> ReasonDialog:
    qtbot.waitUntil(lambda: isinstance(view.action_controller.dialog, ReasonDialog))
    dialog = view.action_controller.dialog
    assert isinstance(dialog, ReasonDialog)
    qtbot.waitUntil(dialog.isVisible)
    return dialog


def _allocated_order(db: Database) -> str:
    return next(
        row.number
        for row in list_orders(db, status="allocated")
        if all(line.qty_allocated for line in order_detail(db, row.number).lines)
    )


def test_allocate_reserves_the_stock_that_came_in_and_says_how_many_orders_got_it(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database, actor: Actor
) -> None:
    view = main_window.orders_view
    short = next(row for row in stock_by_sku(demo_db) if backordered_orders(demo_db, row.sku))
    location = stock_locations(demo_db, short.sku)[0].location
    apply_counts(demo_db, actor, [StockCount(short.sku, location, 500)], receive=True)
    before = stats(demo_db).orders_by_status

    view.action_controller.allocate_action.trigger()

    text = wait_for_banner(qtbot, view.feedback_banner, "ok")
    after = stats(demo_db).orders_by_status
    gained = after["allocated"] - before["allocated"]
    assert gained > 0
    assert text.startswith(f"Allocated {gained}, backordered {after['backordered']}")
    assert after["backordered"] == before["backordered"] - gained


def test_hold_needs_a_reason_and_the_timeline_shows_who_held_it_and_why(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database
) -> None:
    view = main_window.orders_view
    number = _allocated_order(demo_db)
    select_order(qtbot, view, number)

    view.action_controller.hold_action.trigger()
    dialog = _reason_dialog(qtbot, view)
    dialog.ok_button.click()
    assert dialog.isVisible()
    assert dialog.error_label.text() == "A reason is needed to put an order on hold."
    assert order_detail(demo_db, number).status == "allocated"

    dialog.set_text("Address to be confirmed")
    dialog.ok_button.click()

    assert wait_for_banner(qtbot, view.feedback_banner, "ok") == (
        f"{number} is on hold: Address to be confirmed"
    )
    detail = order_detail(demo_db, number)
    assert (detail.status, detail.hold_reason) == ("on_hold", "Address to be confirmed")
    panel = view.detail_panel
    qtbot.waitUntil(lambda: "Address to be confirmed" in panel.timeline_view.toPlainText())
    newest = panel.timeline_view.toPlainText().split("\n\n")[0]
    assert "Allocated → On hold" in newest and "tester @ test-station" in newest
    assert panel.hold_label.isVisible()
    assert view.action_controller.release_action.isEnabled()
    assert not view.action_controller.hold_action.isEnabled()


def test_release_hold_needs_a_note_and_records_who_released_it(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database, actor: Actor
) -> None:
    view = main_window.orders_view
    number = _allocated_order(demo_db)
    hold_order(demo_db, actor, number, "Payment to be checked")
    select_order(qtbot, view, number)

    view.action_controller.release_action.trigger()
    dialog = _reason_dialog(qtbot, view)
    dialog.ok_button.click()
    assert "A note is needed" in dialog.error_label.text()
    assert dialog.note_edit is not None
    qtbot.keyClicks(dialog.note_edit, "Bank confirmed the transfer")
    dialog.ok_button.click()

    assert wait_for_banner(qtbot, view.feedback_banner, "ok") == (
        f"{number} released, back to Allocated"
    )
    released = order_detail(demo_db, number).events[-1]
    assert (released.action, released.username, released.station) == (
        "hold released", "tester", "test-station"
    )  # fmt: skip
    assert released.reason == "Bank confirmed the transfer"
    qtbot.waitUntil(lambda: "Hold released" in view.detail_panel.timeline_view.toPlainText())


def test_cancel_asks_for_a_reason_and_confirmation_and_releases_the_orders_stock(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database
) -> None:
    view = main_window.orders_view
    number = _allocated_order(demo_db)
    units = sum(line.qty_allocated for line in order_detail(demo_db, number).lines)
    reserved = stats(demo_db).stock.reserved
    select_order(qtbot, view, number)

    view.action_controller.cancel_action.trigger()
    dialog = _reason_dialog(qtbot, view)
    assert dialog.ok_button.text() == "Cancel order"
    assert "cannot be undone" in dialog.prompt_label.text()
    dialog.reject()
    assert order_detail(demo_db, number).status == "allocated"

    view.action_controller.cancel_action.trigger()
    qtbot.waitUntil(lambda: view.action_controller.dialog is not dialog)
    dialog = _reason_dialog(qtbot, view)
    dialog.set_text("Customer cancelled")
    dialog.ok_button.click()

    wait_for_banner(qtbot, view.feedback_banner, "ok")
    assert order_detail(demo_db, number).status == "cancelled"
    assert stats(demo_db).stock.reserved == reserved - units
    qtbot.waitUntil(lambda: not view.action_controller.cancel_action.isEnabled())


def test_a_note_goes_on_the_orders_timeline(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database
) -> None:
    view = main_window.orders_view
    number = _allocated_order(demo_db)
    select_order(qtbot, view, number)

    view.action_controller.note_action.trigger()
    dialog = _reason_dialog(qtbot, view)
    dialog.set_text("Customer called: leave with the neighbour")
    dialog.ok_button.click()

    wait_for_banner(qtbot, view.feedback_banner, "ok")
    qtbot.waitUntil(
        lambda: "leave with the neighbour" in view.detail_panel.timeline_view.toPlainText()
    )
    assert "tester: Customer called" in order_detail(demo_db, number).notes[-1]


def test_a_refused_action_shows_the_services_own_message_inline(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database, actor: Actor
) -> None:
    view = main_window.orders_view
    number = _allocated_order(demo_db)
    select_order(qtbot, view, number)
    hold_order(demo_db, actor, number, "held at another desk a moment ago")

    view.action_controller.hold_action.trigger()
    dialog = _reason_dialog(qtbot, view)
    dialog.set_text("Suspected fraud")
    dialog.ok_button.click()

    text = wait_for_banner(qtbot, view.feedback_banner, "problem")
    assert text == f"Order {number} is on hold; it cannot become on hold"


def test_ctrl_h_on_the_order_table_opens_the_hold_dialog(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database
) -> None:
    view = main_window.orders_view
    select_order(qtbot, view, _allocated_order(demo_db))
    main_window.activateWindow()
    view.table.setFocus()

    qtbot.keyClick(view.table, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)

    dialog = _reason_dialog(qtbot, view)
    assert dialog.windowTitle().startswith("Hold SO-")
    dialog.reject()


def test_an_order_left_at_a_dead_station_is_freed_from_the_desk_with_a_reason(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database
) -> None:
    view = main_window.orders_view
    number = _allocated_order(demo_db)
    open_for_packing(demo_db, Actor(username="pat", station="pack-9"), number)
    select_order(qtbot, view, number)
    qtbot.waitUntil(view.action_controller.free_action.isEnabled)

    view.action_controller.free_action.trigger()
    dialog = _reason_dialog(qtbot, view)
    dialog.set_text("pack-9 crashed")
    dialog.ok_button.click()

    assert wait_for_banner(qtbot, view.feedback_banner, "ok") == (
        f"{number} freed from station pack-9"
    )
    assert order_detail(demo_db, number).packing is None
    qtbot.waitUntil(lambda: not view.action_controller.free_action.isEnabled())
