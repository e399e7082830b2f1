"""OrderLinesEditor: the lines of a manual order, added by product look-up or scan."""

from __future__ import annotations

from decimal import Decimal
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDoubleSpinBox,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.new_order import NewLine
from app.services.lookups import ProductHit
from ui.context import UiContext
from ui.views.product_lookup_edit import ProductLookupEdit

HEADERS = ("SKU", "Product", "Quantity", "Free stock", "Unit price", "Line total", "")
SKU, NAME, QUANTITY, FREE, PRICE, TOTAL, REMOVE = range(7)
MAX_QUANTITY = 9999
CENT = Decimal("0.01")
Spin = TypeVar("Spin", QSpinBox, QDoubleSpinBox)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_SHORT = QColor("#b91c1c")
_ENOUGH = QColor("#166534")


def _money(value: float) -> Decimal:
    return Decimal(str(value)).quantize(CENT)


class OrderLinesEditor(QWidget):
    """A look-up field above a table of lines; scanning a product again adds a unit."""

    lines_changed = Signal()

    def __init__(self, ctx: UiContext, currency: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._currency = currency
        self.lookup_edit = ProductLookupEdit(ctx)
        self.lookup_edit.setObjectName("productLookup")
        self.message_label = QLabel()
        self.message_label.setStyleSheet("color: #b91c1c;")
        self.message_label.hide()
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(32)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        self.subtotal_label = QLabel()
        self.subtotal_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self._update_subtotal()

        self.lookup_edit.product_chosen.connect(self._on_lookup_edit_product_chosen)
        self.lookup_edit.lookup_failed.connect(self._on_lookup_edit_lookup_failed)
        self.lookup_edit.textEdited.connect(self.message_label.hide)

        self.setFocusProxy(self.lookup_edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.lookup_edit)
        layout.addWidget(self.message_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.subtotal_label)

    def add_product(self, hit: ProductHit, units: int = 1) -> None:
        """A line for `hit`, or `units` more on its line if it is there already."""
        self.message_label.hide()
        row = self._row_of(hit.sku)
        if row is not None:
            spin = self._spin(row, QUANTITY, QSpinBox)
            spin.setValue(min(spin.value() + units, MAX_QUANTITY))
            return
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, SKU, QTableWidgetItem(hit.sku))
        name = hit.name if hit.active else f"{hit.name} (inactive)"
        self.table.setItem(row, NAME, QTableWidgetItem(name))
        quantity = QSpinBox()
        quantity.setRange(1, MAX_QUANTITY)
        quantity.setValue(min(units, MAX_QUANTITY))
        quantity.valueChanged.connect(self._on_spin_value_changed)
        price = QDoubleSpinBox()
        price.setRange(0, 999_999.99)
        price.setDecimals(2)
        price.setSuffix(f" {self._currency}")
        price.setValue(float(hit.price or 0))
        price.valueChanged.connect(self._on_spin_value_changed)
        self.table.setCellWidget(row, QUANTITY, quantity)
        self.table.setCellWidget(row, PRICE, price)
        free = QTableWidgetItem(f"{hit.available:,}")
        free.setData(Qt.ItemDataRole.UserRole, hit.available)
        for item, column in ((free, FREE), (QTableWidgetItem(), TOTAL)):
            item.setTextAlignment(_RIGHT)
            self.table.setItem(row, column, item)
        remove = QToolButton()
        remove.setText("✕")
        remove.setToolTip(f"Remove {hit.sku}")
        remove.clicked.connect(lambda: self._remove(hit.sku))
        self.table.setCellWidget(row, REMOVE, remove)
        self._on_spin_value_changed()

    def lines(self) -> tuple[NewLine, ...]:
        return tuple(
            NewLine(
                sku=self._text(row, SKU),
                quantity=self._spin(row, QUANTITY, QSpinBox).value(),
                unit_price=_money(self._spin(row, PRICE, QDoubleSpinBox).value()),
            )
            for row in range(self.table.rowCount())
        )

    def short_lines(self) -> list[tuple[str, int, int]]:
        """(SKU, wanted, free) of each line with less free stock than it asks for."""
        short = []
        for row, line in enumerate(self.lines()):
            free = self.table.item(row, FREE)
            available = int(free.data(Qt.ItemDataRole.UserRole)) if free is not None else 0
            if line.quantity > available:
                short.append((line.sku, line.quantity, available))
        return short

    def show_problem(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.show()

    def _on_lookup_edit_product_chosen(self, hit: ProductHit, units: int) -> None:
        self.add_product(hit, units)

    def _on_lookup_edit_lookup_failed(self, why: str) -> None:
        self.show_problem(why)

    def _on_spin_value_changed(self) -> None:
        for row, line in enumerate(self.lines()):
            total, free = self.table.item(row, TOTAL), self.table.item(row, FREE)
            if total is not None:
                total.setText(f"{line.unit_price * line.quantity:,.2f}")
            if free is not None:
                short = line.quantity > int(free.data(Qt.ItemDataRole.UserRole))
                free.setForeground(_SHORT if short else _ENOUGH)
                free.setToolTip(
                    "Not enough free stock: the order will wait for more (backordered)"
                    if short else "Enough free stock to allocate at once"
                )  # fmt: skip
        self._update_subtotal()
        self.lines_changed.emit()

    def _remove(self, sku: str) -> None:
        row = self._row_of(sku)
        if row is not None:
            self.table.removeRow(row)
            self._on_spin_value_changed()

    def _update_subtotal(self) -> None:
        subtotal = sum((line.unit_price * line.quantity for line in self.lines()), Decimal(0))
        units = sum(line.quantity for line in self.lines())
        self.subtotal_label.setText(
            f"{units} units   ·   subtotal <b>{subtotal:,.2f} {self._currency}</b>"
        )

    def _row_of(self, sku: str) -> int | None:
        return next((r for r in range(self.table.rowCount()) if self._text(r, SKU) == sku), None)

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def _spin(self, row: int, column: int, kind: type[Spin]) -> Spin:
        widget = self.table.cellWidget(row, column)
        assert isinstance(widget, kind)
        return widget
