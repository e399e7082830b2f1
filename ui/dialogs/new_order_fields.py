"""Form helpers for the manual order dialog: per-field messages and the country list."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QComboBox, QDateTimeEdit, QLabel, QLineEdit, QVBoxLayout, QWidget

COUNTRIES = (
    ("AT", "Austria"), ("BE", "Belgium"), ("CH", "Switzerland"), ("CZ", "Czechia"),
    ("DE", "Germany"), ("DK", "Denmark"), ("ES", "Spain"), ("FI", "Finland"),
    ("FR", "France"), ("GB", "United Kingdom"), ("GR", "Greece"), ("HU", "Hungary"),
    ("IE", "Ireland"), ("IT", "Italy"), ("LU", "Luxembourg"), ("NL", "Netherlands"),
    ("NO", "Norway"), ("PL", "Poland"), ("PT", "Portugal"), ("SE", "Sweden"),
    ("US", "United States"), ("CA", "Canada"), ("AU", "Australia"),
)  # fmt: skip
_INVALID = "border: 1px solid #dc2626; border-radius: 3px;"


def country_code(text: str) -> str:
    """ "DE – Germany", "de" or "Germany" -> "DE"; what was typed, upper-cased, otherwise."""
    text = text.strip()
    by_name = {name.casefold(): code for code, name in COUNTRIES}
    if text.casefold() in by_name:
        return by_name[text.casefold()]
    return text.split(" ", 1)[0].upper() if text else ""


def _changed_signal(field: QWidget) -> SignalInstance | None:
    if isinstance(field, QLineEdit):
        return field.textEdited
    if isinstance(field, QComboBox):
        return field.currentTextChanged
    if isinstance(field, QDateTimeEdit):
        return field.dateTimeChanged
    return None


class FieldSlots:
    """Each field with a red message under it, shown while the field is wrong."""

    def __init__(self) -> None:
        self._fields: dict[str, QWidget] = {}
        self._messages: dict[str, QLabel] = {}

    def add(self, name: str, field: QWidget, changed: SignalInstance | None = None) -> QWidget:
        """`field` in a slot with room for its message; editing it clears the message."""
        message = QLabel()
        message.setObjectName(f"{name}Problem")
        message.setStyleSheet("color: #b91c1c;")
        message.setWordWrap(True)
        message.hide()
        slot = QWidget()
        layout = QVBoxLayout(slot)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(field)
        layout.addWidget(message)
        self._fields[name], self._messages[name] = field, message
        signal = changed or _changed_signal(field)
        if signal is not None:
            signal.connect(lambda *_: self._clear(name))
        return slot

    def message(self, name: str) -> str:
        """The problem shown under `name`, or "" if none is."""
        label = self._messages[name]
        return label.text() if not label.isHidden() else ""

    def flag(self, found: Mapping[str, str]) -> None:
        """Show these problems (field -> message), clear the others, focus the first."""
        for name in self._fields:
            if name in found:
                self._messages[name].setText(found[name])
                self._messages[name].show()
                if isinstance(self._fields[name], QLineEdit | QComboBox | QDateTimeEdit):
                    self._fields[name].setStyleSheet(_INVALID)
            else:
                self._clear(name)
        if found:
            self._fields[next(iter(found))].setFocus()

    def _clear(self, name: str) -> None:
        self._messages[name].hide()
        self._fields[name].setStyleSheet("")
