"""RmaDialog: authorise a return (RMA) of a shipped order at the service desk.

The agent sets how many units of each line come back (never more than shipped less
returned or already authorised), the reason from the site's list and the resolution
the customer wants. The service has the last word: what it refuses shows in the
dialog, in its words, and nothing is saved.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.returns import Resolution, reason_label
from app.services.return_parcels import ReturnOptions, return_options
from app.services.return_views import ReturnView
from app.services.returns import authorise_return
from ui.context import UiContext
from ui.operations import DbOp, QueryOp

COLUMNS = ("SKU", "Item", "Shipped", "Returned or open", "Return now")
RESOLUTIONS = {
    Resolution.REFUND: "Refund",
    Resolution.EXCHANGE: "Exchange (send the same again)",
    Resolution.CREDIT: "Store credit",
}


class RmaDialog(QDialog):
    """`authorised(view)` once the RMA exists; the dialog then closes."""

    authorised = Signal(object)  # ReturnView

    def __init__(self, ctx: UiContext, number: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._number = number
        self._options: ReturnOptions | None = None
        self.setWindowTitle(f"Return (RMA) for {number}")
        self.setMinimumWidth(640)
        self.lines_table = QTableWidget(0, len(COLUMNS))
        self.lines_table.setHorizontalHeaderLabels(list(COLUMNS))
        self.lines_table.verticalHeader().hide()
        self.lines_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.lines_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.lines_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.spins: dict[str, QSpinBox] = {}
        self.reason_combo = QComboBox()
        self.resolution_combo = QComboBox()
        for resolution, text in RESOLUTIONS.items():
            self.resolution_combo.addItem(text, resolution.value)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b91c1c;")
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Authorise return")
        self.ok_button.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Back")
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

        prompt = QLabel(
            "How many units of each line come back? The customer gets an e-mail with the "
            "return label; the return closes when every unit is received."
        )
        prompt.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Reason", self.reason_combo)
        form.addRow("Customer wants", self.resolution_combo)
        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        layout.addWidget(self.lines_table, 1)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        QueryOp(self, ctx, return_options, number).success(self._on_options_loaded).failure(
            self._show_error
        ).run()

    def items(self) -> dict[str, int]:
        return {sku: spin.value() for sku, spin in self.spins.items() if spin.value()}

    def _on_options_loaded(self, options: ReturnOptions) -> None:
        self._options = options
        self.reason_combo.clear()
        for code in options.reasons:
            self.reason_combo.addItem(reason_label(code), code)
        self.lines_table.setRowCount(len(options.lines))
        for row, (line, name) in enumerate(options.lines):
            done = line.returned + line.outstanding
            for col, text in enumerate((line.sku, name, str(line.shipped), str(done))):
                self.lines_table.setItem(row, col, QTableWidgetItem(text))
            spin = QSpinBox()
            spin.setRange(0, max(line.returnable, 0))
            spin.setEnabled(line.returnable > 0)
            spin.setAccessibleName(f"Return now {line.sku}")
            spin.valueChanged.connect(self._on_spin_value_changed)
            self.lines_table.setCellWidget(row, len(COLUMNS) - 1, spin)
            self.spins[line.sku] = spin
        if not any(line.returnable > 0 for line, _ in options.lines):
            self._show_message(f"Nothing on {options.order} can be returned any more")

    def _on_spin_value_changed(self) -> None:
        self.ok_button.setEnabled(bool(self.items()))
        self.error_label.hide()

    def _on_buttons_accepted(self) -> None:
        items = self.items()
        if not items:
            self._show_message("Set how many units come back on at least one line")
            return
        self.ok_button.setEnabled(False)
        DbOp(
            self,
            self._ctx,
            authorise_return,
            self._ctx.actor,
            self._number,
            items,
            str(self.reason_combo.currentData()),
            str(self.resolution_combo.currentData()),
        ).success(self._on_authorised).failure(self._show_error).run(initiator=self)

    def _on_authorised(self, view: ReturnView) -> None:
        self.authorised.emit(view)
        self.accept()

    def _show_error(self, exc: Exception) -> None:
        self._show_message(str(exc))
        self.ok_button.setEnabled(bool(self.items()))

    def _show_message(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
