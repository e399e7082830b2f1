"""Manual order entry as the desk needs it: a known customer's address comes back, shipping
and tax count, a line without stock is warned about, and the order is allocated on save."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox, QSpinBox
from pytestqt.qtbot import QtBot

from app.services.orders import list_orders, order_detail
from db.engine import Database
from tests.ui.backoffice.test_new_order_dialog import _answer_warning, _look_up, _open_dialog
from ui.dialogs.order_lines_editor import QUANTITY
from ui.main_window import MainWindow


def test_a_known_customers_email_brings_their_address_and_the_order_is_allocated_on_save(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database
) -> None:
    view = main_window.orders_view
    known = order_detail(demo_db, list_orders(demo_db, status="allocated", limit=1)[0].number)
    assert known.email
    dialog = _open_dialog(qtbot, view)
    dialog.edits["email"].setText(known.email.upper())
    dialog.edits["email"].editingFinished.emit()
    qtbot.waitUntil(lambda: dialog.edits["address1"].text() == known.ship_to["address1"])
    assert dialog.edits["postcode"].text() == known.ship_to["postcode"]
    assert dialog.form().country == known.ship_to["country"]
    assert "Known customer" in dialog.known_label.text()

    _look_up(qtbot, dialog, "sku-00005", units=1)
    dialog.shipping_spin.setValue(4.95)
    dialog.tax_spin.setValue(1.10)
    with qtbot.waitSignal(dialog.order_created, timeout=10_000) as created:
        dialog.create_button.click()

    number, hold, allocation = (str(arg) for arg in created.args)
    detail = order_detail(demo_db, number)
    line = dialog.lines_editor.lines()[0]
    assert detail.grand_total == line.unit_price + Decimal("4.95") + Decimal("1.10")
    assert hold == "" and allocation == detail.status == "allocated"
    qtbot.waitUntil(lambda: view.feedback_banner.text() == f"{number} created and allocated")


def test_a_line_without_stock_is_warned_about_before_anything_is_saved(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database
) -> None:
    view = main_window.orders_view
    dialog = _open_dialog(qtbot, view)
    dialog.edits["customer_name"].setText("Nobody Known Yet")
    dialog.edits["email"].setText("nobody@example.org")
    dialog.edits["address1"].setText("Kungsgatan 12")
    dialog.edits["postcode"].setText("411 38")
    dialog.edits["city"].setText("Göteborg")
    dialog.country_combo.setCurrentText("SE – Sweden")
    _look_up(qtbot, dialog, "sku-00005", units=1)
    dialog.lines_editor._spin(0, QUANTITY, QSpinBox).setValue(9999)  # beyond any free stock
    before = len(list_orders(demo_db, limit=500))

    seen: list[str] = []
    QTimer.singleShot(0, lambda: _answer_warning(QMessageBox.StandardButton.No, seen))
    dialog.create_button.click()

    qtbot.waitUntil(lambda: bool(seen))
    assert seen[0].startswith("Not enough free stock for:\nSKU-00005: 9999 wanted,")
    assert dialog.isVisible() and len(list_orders(demo_db, limit=500)) == before
