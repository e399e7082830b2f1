"""Manual phone and B2B orders: look-up by SKU, name or scan, validation, creation."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.services.demo_data import gtin13
from app.services.lookups import find_product
from app.services.orders import order_detail
from app.services.stats import stats
from db.engine import Database
from ui.dialogs.new_order_dialog import NewOrderDialog
from ui.main_window import MainWindow
from ui.views.orders_view import OrdersView


def _open_dialog(qtbot: QtBot, view: OrdersView) -> NewOrderDialog:
    view.action_controller.new_order_action.trigger()
    dialog = view.action_controller.dialog
    assert isinstance(dialog, NewOrderDialog)
    qtbot.waitUntil(lambda: dialog.isVisible() and dialog.channel_combo.count() > 0)
    return dialog


def _answer_warning(button: QMessageBox.StandardButton, seen: list[str]) -> None:
    box = QApplication.activeModalWidget()
    if isinstance(box, QMessageBox):
        seen.append(box.text())
        box.button(button).click()
    else:
        QTimer.singleShot(50, lambda: _answer_warning(button, seen))


def _look_up(qtbot: QtBot, dialog: NewOrderDialog, text: str, units: int) -> None:
    edit = dialog.lines_editor.lookup_edit
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: sum(line.quantity for line in dialog.lines_editor.lines()) == units)


def _fill_customer(dialog: NewOrderDialog) -> None:
    edits = dialog.edits
    edits["customer_name"].setText("Ingrid Bergström")
    edits["company"].setText("Bergström Café AB")
    edits["email"].setText("ingrid@bergstrom.example")
    edits["phone"].setText("+46 31 123 45 67")
    edits["address1"].setText("Kungsgatan 12")
    edits["postcode"].setText("411 38")
    edits["city"].setText("Göteborg")
    dialog.country_combo.setCurrentText("SE – Sweden")


def test_a_phone_order_with_looked_up_and_scanned_lines_is_created_and_opened(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database
) -> None:
    view = main_window.orders_view
    dialog = _open_dialog(qtbot, view)
    assert dialog.channel_combo.currentData() == "phone"
    _fill_customer(dialog)

    _look_up(qtbot, dialog, "sku-00005", units=1)  # a SKU, typed in lower case
    _look_up(qtbot, dialog, gtin13(7), units=2)  # an EAN-13 scan
    _look_up(qtbot, dialog, f"]E0{gtin13(7)}", units=3)  # the same, with its AIM prefix
    completer = dialog.lines_editor.lookup_edit.completer()
    qtbot.keyClicks(dialog.lines_editor.lookup_edit, "Alpine Tea")
    qtbot.waitUntil(lambda: completer.popup().isVisible())
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Down)
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.lines_editor.table.rowCount() == 3)

    lines = dialog.lines_editor.lines()
    assert [(line.sku, line.quantity) for line in lines] == [
        ("SKU-00005", 1), ("SKU-00007", 2), ("SKU-00009", 1)
    ]  # fmt: skip
    assert lines[0].unit_price == find_product(demo_db, "SKU-00005").price
    if dialog.lines_editor.short_lines():  # the desk is warned first; it goes ahead
        answered: list[str] = []
        QTimer.singleShot(0, lambda: _answer_warning(QMessageBox.StandardButton.Yes, answered))
    with qtbot.waitSignal(dialog.order_created, timeout=10_000) as created:
        dialog.create_button.click()

    number = str(created.args[0])
    qtbot.waitUntil(lambda: view.detail_panel.current_number() == number)
    detail = order_detail(demo_db, number)
    assert detail.external_ref.startswith("PHONE-") and detail.channel == "phone"
    assert detail.customer == "Ingrid Bergström" and detail.ship_to["country"] == "SE"
    assert [(line.sku, line.qty_ordered) for line in detail.lines] == [
        ("SKU-00005", 1), ("SKU-00007", 2), ("SKU-00009", 1)
    ]  # fmt: skip
    assert detail.grand_total == sum(
        (line.unit_price * line.quantity for line in lines), Decimal(0)
    )
    assert view.feedback_banner.toolTip().startswith(f"{number} created")


def test_an_empty_form_is_refused_naming_each_field_that_needs_attention(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database
) -> None:
    view = main_window.orders_view
    dialog = _open_dialog(qtbot, view)
    orders_before = stats(demo_db).orders_total

    dialog.create_button.click()

    slots = dialog.slots
    assert slots.message("customer_name") == "Customer name is required"
    assert slots.message("address1") == "Street address is required"
    assert slots.message("country").startswith("Choose the country")
    assert slots.message("email").startswith("Give an e-mail or a phone number")
    assert slots.message("lines").startswith("Add at least one product")
    assert slots.message("company") == ""
    assert dialog.summary_label.text() == "7 fields need attention: Customer name is required"
    assert dialog.isVisible() and dialog.edits["customer_name"].hasFocus()

    dialog.edits["customer_name"].setText("Ingrid")
    qtbot.keyClicks(dialog.edits["customer_name"], " Berg")
    assert slots.message("customer_name") == ""
    assert stats(demo_db).orders_total == orders_before


def test_a_bad_email_and_things_that_are_not_products_are_refused_on_their_field(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database
) -> None:
    dialog = _open_dialog(qtbot, main_window.orders_view)
    _fill_customer(dialog)
    dialog.edits["email"].setText("ingrid.bergstrom.example")
    editor = dialog.lines_editor

    qtbot.keyClicks(editor.lookup_edit, "L:A-01-01-A")
    qtbot.keyClick(editor.lookup_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(editor.message_label.isVisible)
    assert editor.message_label.text() == (
        "Location A-01-01-A is not a product: scan the product's barcode"
    )
    qtbot.keyClicks(editor.lookup_edit, "NO-SUCH-THING")
    qtbot.keyClick(editor.lookup_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "No product with" in editor.message_label.text())
    _look_up(qtbot, dialog, "SKU-00003", units=1)
    dialog.create_button.click()

    assert dialog.slots.message("email").startswith("This does not look like an e-mail")
    assert dialog.summary_label.text().startswith("1 field needs attention")
    assert dialog.isVisible()
