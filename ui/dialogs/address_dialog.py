"""AddressDialog: change where an order goes and how to reach the customer.

Saved with the order version the agent saw: if a packer opened the order or someone
else saved first, the dialog says so, keeps what the agent typed, and overwrites nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.domain.contact_details import FIELDS, ContactDetails
from app.domain.new_order import SERVICE_PRIORITY
from app.dto import OrderDetail
from app.errors import ConcurrencyConflict, OmsError
from app.services.order_contact import edit_contact
from ui.context import UiContext
from ui.operations import DbOp, show_error
from ui.views.feedback_banner import refusal_text


class AddressDialog(QDialog):
    """`saved(number)` once the change is stored."""

    saved = Signal(str)

    def __init__(self, ctx: UiContext, detail: OrderDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._number = detail.number
        self._version = detail.version
        self.setWindowTitle(f"Address and contact of {detail.number}")
        self.setMinimumWidth(460)
        values = {**detail.ship_to, "email": detail.email}
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for name, (label, limit, required) in FIELDS.items():
            edit = QLineEdit(str(values.get(name) or ""))
            edit.setMaxLength(limit)
            edit.setObjectName(f"{name}Edit")
            self.edits[name] = edit
            form.addRow(label.capitalize() + (" *" if required else ""), edit)
        self.service_combo = QComboBox()
        self.service_combo.addItems(list(SERVICE_PRIORITY))
        self.service_combo.setCurrentText(detail.service_level)
        form.addRow("Service level", self.service_combo)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("problemBanner")
        self.problem_label.setWordWrap(True)
        self.problem_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        note = QLabel("Until packing starts. The label prints what is saved here.")
        note.setObjectName("muted")
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)
        self.edits["name"].setFocus()

    def details(self) -> ContactDetails:
        text = {name: edit.text() for name, edit in self.edits.items()}
        return ContactDetails(service_level=self.service_combo.currentText(), **text)

    def _on_buttons_accepted(self) -> None:
        self.save_button.setEnabled(False)
        DbOp(
            self, self._ctx, edit_contact, self._ctx.actor, self._number, self._version,
            self.details(),
        ).success(self._on_saved).failure(self._on_refused).run(initiator=self)  # fmt: skip

    def _on_saved(self, _version: int) -> None:
        self.saved.emit(self._number)
        self.accept()

    def _on_refused(self, exc: Exception) -> None:
        self.save_button.setEnabled(not isinstance(exc, ConcurrencyConflict))
        if isinstance(exc, OmsError):
            self.problem_label.setText(refusal_text(exc))
            self.problem_label.show()
        else:
            show_error(self, exc)
