"""StockCountDialog: set the counted quantity of one SKU at one location, with a reason."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.services.inventory import StockCount
from app.services.stock_queries import StockSlot

REASONS = ("Stock take", "Damaged", "Found", "Lost / missing", "Booking correction")
MAX_COUNT = 999_999


class StockCountDialog(QDialog):
    """Shows what the system holds at the location; `count()` is what was counted."""

    def __init__(self, slot: StockSlot, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._slot = slot
        self.setWindowTitle(f"Count {slot.sku} at {slot.location}")
        self.setMinimumWidth(420)
        held = QLabel(
            f"<b>{slot.sku}</b> at <b>{slot.location}</b> ({slot.warehouse}): "
            f"{slot.on_hand} on hand, {slot.reserved} reserved for orders"
        )
        held.setWordWrap(True)
        self.counted_spin = QSpinBox()
        self.counted_spin.setRange(0, MAX_COUNT)
        self.counted_spin.setValue(slot.on_hand)
        self.counted_spin.selectAll()
        self.reason_combo = QComboBox()
        self.reason_combo.setEditable(True)
        self.reason_combo.addItems(list(REASONS))
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b91c1c;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Set count")
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("Counted units", self.counted_spin)
        form.addRow("Reason", self.reason_combo)
        layout = QVBoxLayout(self)
        layout.addWidget(held)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.counted_spin.setFocus()

    def count(self) -> StockCount:
        return StockCount(self._slot.sku, self._slot.location, self.counted_spin.value())

    def reason(self) -> str:
        return self.reason_combo.currentText().strip()

    def _on_buttons_accepted(self) -> None:
        counted = self.counted_spin.value()
        if not self.reason():
            problem = "Give a reason for the adjustment."
        elif counted == self._slot.on_hand:
            problem = "That is what the system already holds: nothing to change."
        elif counted < self._slot.reserved:
            problem = (
                f"{self._slot.reserved} units here are reserved for orders: count at least "
                "that many, or cancel or re-allocate those orders first."
            )
        else:
            self.accept()
            return
        self.error_label.setText(problem)
        self.error_label.show()
