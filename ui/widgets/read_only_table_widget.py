"""ReadOnlyTableWidget: a compact, non-editable table of text rows."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class ReadOnlyTableWidget(QTableWidget):
    """Headers given once; `set_rows` replaces the content. Numeric columns align right."""

    def __init__(
        self,
        headers: Sequence[str],
        *,
        numeric: Collection[int] = (),
        stretch: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(0, len(headers), parent)
        self._numeric = frozenset(numeric)
        self.setHorizontalHeaderLabels(list(headers))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        if stretch is not None:
            header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        for column in self._numeric:
            item = QTableWidgetItem(headers[column])
            item.setTextAlignment(_RIGHT)
            self.setHorizontalHeaderItem(column, item)

    def set_rows(
        self, rows: Sequence[Sequence[str]], row_tips: Sequence[str | None] | None = None
    ) -> None:
        """Each cell's tooltip is its own text, or its row's tip where `row_tips` has one."""
        self.setRowCount(len(rows))
        for r, values in enumerate(rows):
            tip = row_tips[r] if row_tips is not None else None
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(tip or value)
                if c in self._numeric:
                    item.setTextAlignment(_RIGHT)
                self.setItem(r, c, item)

    def cell_text(self, row: int, column: int) -> str:
        item = self.item(row, column)
        return item.text() if item is not None else ""
