"""Pieces every Settings page uses: its heading, a row of buttons, the problems list and
the file choosers."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.settings.setting_fields import ERROR_STYLE

PRIMARY = "font-weight: 600; padding: 5px 16px;"


def heading(text: str, note: str = "") -> QLabel:
    label = QLabel(f"<b style='font-size:15px'>{text}</b>" + (f"<br>{note}" if note else ""))
    label.setWordWrap(True)
    return label


def button(
    text: str, slot: Callable[[], None], *, keys: str = "", primary: bool = False
) -> QPushButton:
    """A plain push button (never the default: Enter in a table edits, it saves nothing)."""
    widget = QPushButton(text)
    widget.setAutoDefault(False)
    if keys:
        widget.setShortcut(QKeySequence(keys))
        widget.setToolTip(QKeySequence(keys).toString())
    if primary:
        widget.setStyleSheet(PRIMARY)
    widget.clicked.connect(slot)
    return widget


def button_row(*widgets: QWidget, stretch_at: int = -1) -> QHBoxLayout:
    """Widgets in a row; a stretch before `stretch_at` (default: all pushed left)."""
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    for index, widget in enumerate(widgets):
        if index == stretch_at:
            row.addStretch(1)
        row.addWidget(widget)
    if stretch_at < 0:
        row.addStretch(1)
    return row


class ProblemsLabel(QLabel):
    """A red list of what the service refused, one line each; hidden when empty."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(ERROR_STYLE)
        self.setWordWrap(True)
        self.hide()

    def show_problems(self, problems: Iterable[str]) -> None:
        lines = list(problems)
        self.setText("\n".join(f"• {line}" for line in lines))
        self.setVisible(bool(lines))


def ask_open_path(parent: QWidget, title: str, filters: str) -> Path | None:
    name, _ = QFileDialog.getOpenFileName(parent, title, "", filters)
    return Path(name) if name else None


def ask_save_path(parent: QWidget, title: str, suggested: str, filters: str) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, title, suggested, filters)
    return Path(name) if name else None


def table_and_editor(
    page: QWidget,
    title: tuple[str, str],
    banner: QWidget,
    table: QWidget,
    editor: Iterable[QWidget],
    save: QPushButton,
) -> None:
    """Lay `page` out as a master-detail page: its heading and banner above, the table on
    the left, and on the right the editor's group boxes with the save button below."""
    side = QVBoxLayout()
    for widget in editor:
        side.addWidget(widget)
    side.addLayout(button_row(save, stretch_at=0))
    side.addStretch(1)
    body = QHBoxLayout()
    body.addWidget(table, 3)
    body.addLayout(side, 2)
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(heading(*title))
    layout.addWidget(banner)
    layout.addLayout(body, 1)
