"""ReasonDialog: asks why before an order action runs; an empty answer is refused inline."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

_DANGER = "QPushButton { background: #b91c1c; color: white; padding: 5px 14px; }"


class ReasonDialog(QDialog):
    """One question, one required answer: a reason picked or typed, or a free note.

    `presets` offers common reasons in an editable list; `multiline` asks for a note
    instead. OK with nothing typed shows `required` under the field and stays open.
    """

    def __init__(
        self,
        *,
        title: str,
        prompt: str,
        ok_text: str,
        required: str,
        presets: Sequence[str] = (),
        multiline: bool = False,
        destructive: bool = False,
        cancel_text: str = "Back",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(440)
        self._required = required
        self.prompt_label = QLabel(prompt)
        self.prompt_label.setWordWrap(True)
        self.reason_combo: QComboBox | None = None
        self.note_edit: QPlainTextEdit | None = None
        if multiline:
            self.note_edit = QPlainTextEdit()
            self.note_edit.setFixedHeight(90)
            field: QWidget = self.note_edit
        else:
            self.reason_combo = QComboBox()
            self.reason_combo.setEditable(True)
            self.reason_combo.addItems(list(presets))
            self.reason_combo.setCurrentIndex(-1)
            line = self.reason_combo.lineEdit()
            assert line is not None
            line.setPlaceholderText("Pick or type a reason (required)")
            line.textEdited.connect(self._on_input_edited)
            field = self.reason_combo
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b91c1c;")
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(ok_text)
        if destructive:
            self.ok_button.setStyleSheet(_DANGER)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(cancel_text)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt_label)
        layout.addWidget(field)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        field.setFocus()

    def text(self) -> str:
        if self.note_edit is not None:
            return self.note_edit.toPlainText().strip()
        assert self.reason_combo is not None
        return self.reason_combo.currentText().strip()

    def set_text(self, text: str) -> None:
        if self.note_edit is not None:
            self.note_edit.setPlainText(text)
        elif self.reason_combo is not None:
            self.reason_combo.setCurrentText(text)

    def _on_input_edited(self, _text: str) -> None:
        self.error_label.hide()

    def _on_buttons_accepted(self) -> None:
        if not self.text():
            self.error_label.setText(self._required)
            self.error_label.show()
            (self.note_edit or self.reason_combo or self).setFocus()
            return
        self.accept()
