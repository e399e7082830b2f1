"""LinesEditDialog: change an order's lines before picking, or split some off.

Quantities (0 removes a line), a substitute SKU per line, products added by look-up or
scan. "Save lines" re-allocates the order at once; "Split off" moves the units in the
"Move" column to a new linked order. Saved against the version the agent saw.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.dto import OrderDetail
from app.errors import OmsError
from app.services.lookups import ProductHit
from app.services.order_copies import OrderCopy, split_order
from app.services.order_lines import MAX_QUANTITY, LineEdit, LinesEdited, edit_lines
from ui.context import UiContext
from ui.operations import DbOp, show_error
from ui.views.feedback_banner import refusal_text
from ui.views.product_lookup_edit import ProductLookupEdit

HEADERS = ("SKU", "Product", "Quantity", "Substitute with SKU", "Move to new order")
SKU, NAME, QUANTITY, SUBSTITUTE, MOVE = range(5)


class LinesEditDialog(QDialog):
    """`done_text(message)` once lines were saved or split off."""

    done_text = Signal(str)

    def __init__(self, ctx: UiContext, detail: OrderDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._number = detail.number
        self._version = detail.version
        self._ordered: dict[str, int] = {}
        self.setWindowTitle(f"Lines of {detail.number}")
        self.resize(820, 420)
        self.lookup_edit = ProductLookupEdit(ctx)
        self.lookup_edit.setPlaceholderText("Add a product: SKU, name or barcode, then Enter")
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("problemBanner")
        self.problem_label.setWordWrap(True)
        self.problem_label.hide()
        self.save_button = QPushButton("Save lines")
        self.split_button = QPushButton("Split off")
        self.split_button.setToolTip("Move the units in the last column to a new linked order")
        close = QPushButton("Close")
        for button in (self.save_button, self.split_button, close):
            button.setAutoDefault(False)  # Enter ends a scan in the look-up, nothing else
        for line in detail.lines:
            self._add_row(line.sku, line.name, line.qty_ordered, existing=True)

        self.lookup_edit.product_chosen.connect(self._on_lookup_edit_product_chosen)
        self.lookup_edit.lookup_failed.connect(self._show_problem)
        self.save_button.clicked.connect(self._on_save_button_clicked)
        self.split_button.clicked.connect(self._on_split_button_clicked)
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        note = QLabel("Until picking starts. The order is allocated again when saved.")
        note.setObjectName("muted")
        layout.addWidget(note)
        layout.addWidget(self.lookup_edit)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problem_label)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.save_button, self.split_button, close):
            buttons.addWidget(button)
        layout.addLayout(buttons)

    def edits(self) -> list[LineEdit]:
        """What differs from the order as it was opened."""
        found = []
        for row in range(self.table.rowCount()):
            sku = self._item_text(row, SKU)
            quantity = self._spin(row, QUANTITY).value()
            substitute = self._substitute(row).text().strip() or None
            if quantity != self._ordered.get(sku) or substitute:
                found.append(LineEdit(sku, quantity, substitute))
        return found

    def moves(self) -> dict[str, int]:
        return {
            self._item_text(row, SKU): self._spin(row, MOVE).value()
            for row in range(self.table.rowCount())
            if self._spin(row, MOVE).value()
        }

    def _add_row(self, sku: str, name: str, quantity: int, *, existing: bool) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, SKU, QTableWidgetItem(sku))
        self.table.setItem(row, NAME, QTableWidgetItem(name))
        spin = QSpinBox()
        spin.setRange(0, MAX_QUANTITY)
        spin.setValue(quantity)
        spin.setSpecialValueText("remove")
        self.table.setCellWidget(row, QUANTITY, spin)
        substitute = QLineEdit()
        substitute.setPlaceholderText("SKU" if existing else "")
        substitute.setEnabled(existing)
        self.table.setCellWidget(row, SUBSTITUTE, substitute)
        move = QSpinBox()
        move.setRange(0, quantity if existing else 0)
        self.table.setCellWidget(row, MOVE, move)
        if existing:
            self._ordered[sku] = quantity

    def _on_lookup_edit_product_chosen(self, hit: ProductHit, units: int) -> None:
        self.problem_label.hide()
        for row in range(self.table.rowCount()):
            if self._item_text(row, SKU).upper() == hit.sku.upper():
                spin = self._spin(row, QUANTITY)
                spin.setValue(min(spin.value() + units, MAX_QUANTITY))
                return
        self._add_row(hit.sku, hit.name, units, existing=False)

    def _on_save_button_clicked(self) -> None:
        edits = self.edits()
        if not edits:
            self._show_problem("Nothing changed: change a quantity, substitute or add a product")
            return
        self._busy(True)
        op = DbOp(self, self._ctx, edit_lines, self._ctx.actor, self._number, self._version, edits)
        op.success(self._on_lines_saved).failure(self._on_refused).run(initiator=self)

    def _on_split_button_clicked(self) -> None:
        moves = self.moves()
        if not moves:
            self._show_problem("Set how many units of which line move to the new order")
            return
        self._busy(True)
        op = DbOp(self, self._ctx, split_order, self._ctx.actor, self._number, self._version, moves)
        op.success(self._on_split_done).failure(self._on_refused).run(initiator=self)

    def _on_lines_saved(self, result: LinesEdited) -> None:
        self.done_text.emit(f"{result.number}: {result.summary}; now {result.status}")
        self.accept()

    def _on_split_done(self, result: OrderCopy) -> None:
        self.done_text.emit(
            f"{result.original} split: {result.number} created ({result.status}), "
            f"{result.original} is {result.original_status}"
        )
        self.accept()

    def _on_refused(self, exc: Exception) -> None:
        self._busy(False)
        if isinstance(exc, OmsError):
            self._show_problem(refusal_text(exc))
        else:
            show_error(self, exc)

    def _busy(self, busy: bool) -> None:
        self.save_button.setEnabled(not busy)
        self.split_button.setEnabled(not busy)

    def _show_problem(self, text: str) -> None:
        self.problem_label.setText(text)
        self.problem_label.show()

    def _item_text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def _spin(self, row: int, column: int) -> QSpinBox:
        widget = self.table.cellWidget(row, column)
        assert isinstance(widget, QSpinBox)
        return widget

    def _substitute(self, row: int) -> QLineEdit:
        widget = self.table.cellWidget(row, SUBSTITUTE)
        assert isinstance(widget, QLineEdit)
        return widget
