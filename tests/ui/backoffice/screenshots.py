"""Render the inventory view and the new-order dialog on a demo warehouse for the docs.

QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.ui.backoffice.screenshots [DIR]
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit

from app.context import Actor
from app.services.demo_data import gtin13, load_demo
from app.services.orders import list_orders, order_detail
from app.services.stock_queries import stock_by_sku, stock_locations
from db.engine import Database, open_database
from db.schema import upgrade
from ui.context import UiContext
from ui.dialogs.new_order_dialog import NewOrderDialog
from ui.main_window import MainWindow
from ui.theme import apply_theme

SIZE = (1400, 850)
DOCS = Path(__file__).resolve().parents[3] / "docs"


def _wait_until(ready: Callable[[], bool], timeout_ms: int = 10_000) -> None:
    """Run the event loop (which lets the workers run) until `ready()`."""
    clock = QElapsedTimer()
    clock.start()
    while not ready():
        if clock.elapsed() > timeout_ms:
            raise TimeoutError("the view did not finish loading")
        loop = QEventLoop()
        QTimer.singleShot(20, loop.quit)
        loop.exec()


def _scan(edit: QLineEdit, code: str) -> None:
    edit.setText(code)
    edit.returnPressed.emit()


def _sku_that_frees_a_backorder(db: Database) -> str:
    """A SKU that is the only thing some backordered order still waits for."""
    free = {row.sku: row.available for row in stock_by_sku(db)}
    for number in (row.number for row in list_orders(db, status="backordered")):
        short = [
            line.sku
            for line in order_detail(db, number).lines
            if line.qty_ordered - line.qty_allocated > free.get(line.sku, 0)
        ]
        if len(short) == 1:
            return short[0]
    raise LookupError("no backorder waits for a single SKU")


def _shoot_inventory(window: MainWindow, db: Database, out: Path) -> None:
    """A receipt by scan that allocated backorders, and the SKU's locations beside it."""
    view = window.inventory_view
    window.sidebar_list.setCurrentRow(window.pages.indexOf(view))
    _wait_until(lambda: view.model.rowCount() > 0)
    short = _sku_that_frees_a_backorder(db)
    panel = view.receive_panel
    _scan(panel.note_edit, "DN-2291")
    _scan(panel.product_edit, gtin13(int(short.removeprefix("SKU-"))))
    _wait_until(lambda: panel.product_label.text().startswith(short))
    _scan(panel.quantity_edit, "24")
    _scan(panel.location_edit, f"L:{stock_locations(db, short)[0].location}")
    _wait_until(lambda: panel.feedback.isVisible())
    _wait_until(lambda: view.slots_title.text().endswith(short))
    view.select_sku(short)
    _wait_until(lambda: view.slots_table.rowCount() > 0)
    window.grab().save(str(out))


def _shoot_new_order(window: MainWindow, out: Path) -> None:
    """A phone order half-way: customer typed in, three lines found by SKU, name and scan."""
    window.sidebar_list.setCurrentRow(0)
    window.orders_view.action_controller.new_order_action.trigger()
    dialog = window.orders_view.action_controller.dialog
    assert isinstance(dialog, NewOrderDialog)
    dialog.resize(*SIZE)
    _wait_until(lambda: dialog.channel_combo.count() > 0)
    for name, value in {
        "customer_name": "Ingrid Bergström", "company": "Bergström Café AB",
        "email": "ingrid@bergstrom-cafe.se", "phone": "+46 31 123 45 67",
        "address1": "Kungsgatan 12", "postcode": "411 38", "city": "Göteborg",
    }.items():  # fmt: skip
        dialog.edits[name].setText(value)
    dialog.country_combo.setCurrentText("SE – Sweden")
    lookup = dialog.lines_editor.lookup_edit
    editor = dialog.lines_editor
    for units, code in enumerate(("SKU-00016", "Nordic Tea Tin", gtin13(21), gtin13(21)), 1):
        _scan(lookup, code)
        _wait_until(lambda units=units: sum(x.quantity for x in editor.lines()) == units)
    lookup.setFocus(Qt.FocusReason.OtherFocusReason)
    dialog.grab().save(str(out))
    dialog.done(0)


def render_backoffice(db: Database, actor: Actor, folder: Path) -> list[Path]:
    """docs/inventory.png and docs/new-order.png (into `folder`) at 1400x850."""
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app)
    ctx = UiContext.open(db, actor, station=None)
    window = MainWindow(ctx)
    shots = [folder / "inventory.png", folder / "new-order.png"]
    try:
        window.resize(*SIZE)
        window.show()
        folder.mkdir(parents=True, exist_ok=True)
        _shoot_inventory(window, db, shots[0])
        _shoot_new_order(window, shots[1])
    finally:
        window.close()
        ctx.tasks.shutdown()
    return shots


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    folder = Path(argv[0]) if argv else DOCS
    with tempfile.TemporaryDirectory() as temp:
        db = open_database(f"sqlite:///{Path(temp) / 'shipshape.db'}")
        try:
            upgrade(db)
            actor = Actor(username="cara", station="desk")
            load_demo(db, actor, orders=300)
            for shot in render_backoffice(db, actor, folder):
                print(f"saved {shot}")
        finally:
            db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
