"""Parts the desk's list pages share (print jobs, e-mails): a toolbar action with its
shortcut, and a read-only, one-row-at-a-time table."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QToolBar, QWidget


def add_action(
    owner: QWidget, toolbar: QToolBar, text: str, keys: str, slot: Callable[[], None]
) -> QAction:
    """An action on `toolbar`; `keys` work while focus is anywhere in `owner`."""
    action = QAction(text, owner)
    action.setIconText(text)  # keep the "…" that says a dialog comes next
    if keys:
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(f"{text} ({QKeySequence(keys).toString()})")
    action.triggered.connect(slot)
    owner.addAction(action)
    toolbar.addAction(action)
    return action


def set_up_list_table(table: QTableView, model: QAbstractItemModel, stretch_column: int) -> None:
    """Whole rows, one at a time, compact; columns fit their contents but `stretch_column`."""
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(28)
    header = table.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
