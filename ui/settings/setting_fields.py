"""SettingFields: catalogue settings as labelled fields, with each key's help and, after a
refused save, the check's message under the field it concerns."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from zoneinfo import available_timezones

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.services.settings import SettingView

ERROR_STYLE = "color: #b91c1c;"
BAD_FIELD = "border: 1px solid #dc2626; border-radius: 3px;"


def split_problem(problem: str) -> tuple[str, str]:
    """`key: message` as the catalogue words it -> (key, message); ("", problem) if none."""
    key, sep, message = problem.partition(": ")
    return (key, message) if sep and "." in key and " " not in key else ("", problem)


class _Field:
    """One key's editor, help line and error line."""

    def __init__(self, view: SettingView, *, compact: bool) -> None:
        self.view = view
        self.editor: QLineEdit | QComboBox
        if view.choices:
            combo = QComboBox()
            combo.addItems(list(view.choices))
            self.editor = combo
        else:
            edit = QLineEdit()
            edit.setMaxLength(500)
            if view.key.endswith(".timezone"):
                completer = QCompleter(sorted(available_timezones()), edit)
                completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
                completer.setFilterMode(Qt.MatchFlag.MatchContains)
                edit.setCompleter(completer)
            if compact and view.help:
                edit.setPlaceholderText(view.help)
            if view.secret:
                edit.setEchoMode(QLineEdit.EchoMode.Password)
            self.editor = edit
        self.editor.setObjectName(view.key)
        self.editor.setToolTip(f"{view.key}" + (f" - {view.help}" if view.help else ""))
        self.help = QLabel(view.help)
        self.help.setObjectName("muted")
        self.help.setWordWrap(True)
        self.help.setVisible(bool(view.help) and not compact)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.box = QWidget()
        column = QVBoxLayout(self.box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        for widget in (self.editor, self.help, self.error):
            column.addWidget(widget)
        self.set_value(view.value)

    def value(self) -> str:
        if isinstance(self.editor, QComboBox):
            return self.editor.currentText()
        return self.editor.text().strip()

    def set_value(self, value: str) -> None:
        if isinstance(self.editor, QComboBox):
            if self.editor.findText(value) < 0:
                self.editor.addItem(value)
            self.editor.setCurrentText(value)
        else:
            self.editor.setText(value)
            self.editor.setCursorPosition(0)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.setVisible(bool(message))
        self.editor.setStyleSheet(BAD_FIELD if message else "")


class SettingFields(QWidget):
    """The given keys' fields, grouped by their label's prefix ("Sender: Name" goes to
    the Sender box, keys without one to the `ungrouped` box) and laid out in `columns`
    columns of boxes. `compact` puts each key's help in its empty field instead of under it.
    """

    def __init__(
        self,
        views: Sequence[SettingView],
        *,
        columns: int = 1,
        compact: bool = False,
        ungrouped: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._fields = {view.key: _Field(view, compact=compact) for view in views}
        self._loaded = {view.key: view.value for view in views}
        groups: dict[str, list[_Field]] = {}
        for field in self._fields.values():
            group, _, _ = field.view.label.rpartition(": ")
            groups.setdefault(group, []).append(field)
        if "" in groups:  # the keys without a group of their own come last
            groups[ungrouped] = groups.pop("")
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(16)
        for index, (title, fields) in enumerate(groups.items()):
            grid.addWidget(self._group(title, fields), index // columns, index % columns)
        grid.setRowStretch(grid.rowCount(), 1)

    def setting_keys(self) -> list[str]:
        return list(self._fields)

    def editor(self, key: str) -> QLineEdit | QComboBox:
        return self._fields[key].editor

    def error_text(self, key: str) -> str:
        field = self._fields[key]
        return field.error.text() if field.error.isVisibleTo(self) else ""

    def set_text(self, key: str, value: str) -> None:
        self._fields[key].set_value(value)

    def values(self) -> dict[str, str]:
        return {key: field.value() for key, field in self._fields.items()}

    def changed(self) -> dict[str, str]:
        """Keys whose field differs from what was loaded."""
        return {k: v for k, v in self.values().items() if v != self._loaded[k]}

    def load(self, views: Iterable[SettingView]) -> None:
        """Show these current values (keys not in this widget are ignored)."""
        for view in views:
            if view.key in self._fields:
                self._fields[view.key].set_value(view.value)
                self._loaded[view.key] = view.value
        self.show_problems([])

    def show_problems(self, problems: Iterable[str]) -> list[str]:
        """Put each `key: message` problem under its field; the ones that fit no field."""
        messages: dict[str, list[str]] = {}
        elsewhere = []
        for problem in problems:
            key, message = split_problem(problem)
            if key in self._fields:
                messages.setdefault(key, []).append(message)
            else:
                elsewhere.append(problem)
        for key, field in self._fields.items():
            field.show_error("\n".join(messages.get(key, [])))
        first = next((k for k in self._fields if k in messages), None)
        if first is not None:
            self._fields[first].editor.setFocus()
        return elsewhere

    def _group(self, title: str, fields: list[_Field]) -> QGroupBox:
        box = QGroupBox(title)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        for field in fields:
            text = field.view.label.rpartition(": ")[2]
            label = QLabel(text + (" *" if field.view.required else ""))
            label.setBuddy(field.editor)
            label.setContentsMargins(0, 4, 0, 0)
            form.addRow(label, field.box)
        return box
