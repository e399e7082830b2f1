"""BoxTable: box types edited in place, one row each; refused cells are marked red."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from app.services.master_data import BoxInput

FIELDS = ("code", "name", "length_mm", "width_mm", "height_mm", "tare_g", "max_weight_g")
HEADERS = (
    "Code", "Name", "Length mm", "Width mm", "Height mm", "Tare g", "Max weight g (0: none)",
)  # fmt: skip
NUMBERS = range(2, len(FIELDS))
BAD_CELL = QColor("#fee2e2")
INACTIVE_TEXT = QColor("#98a2b3")
_ROW = re.compile(r"^row (\d+): ")
_FIELD = [(field, re.compile(rf"\b{field}\b")) for field in FIELDS]


class BoxTable(QTableWidget):
    """Rows are saved boxes (code fixed) or new ones; `boxes()` reads the active rows back.

    An inactive box shows greyed and read-only, with "inactive" after its name.
    """

    def __init__(self) -> None:
        super().__init__(0, len(FIELDS))
        self.setHorizontalHeaderLabels(list(HEADERS))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(28)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self._active: list[bool] = []
        self._stored: list[BoxInput | None] = []  # as loaded, for rows already saved

    def set_boxes(self, boxes: Sequence[tuple[BoxInput, bool]]) -> None:
        """Stored boxes with their active flag."""
        self.setRowCount(0)
        self._active, self._stored = [], []
        for box, active in boxes:
            self._append(box, active=active, stored=box)

    def add_box(self, box: BoxInput | None = None) -> int:
        """A new row (blank, or `box`), selected with its first empty cell being edited."""
        row = self._append(box or BoxInput("", "", 0, 0, 0), active=True, stored=None)
        self.setCurrentCell(row, 0 if box is None else 1)
        if box is None:
            self.editItem(self._cell(row, 0))
        return row

    def is_active(self, row: int) -> bool:
        return self._active[row]

    def stored_box(self, row: int) -> BoxInput | None:
        """The row's box as loaded; None for a row not saved yet."""
        return self._stored[row]

    def selected_row(self) -> int | None:
        rows = self.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def remove_row(self, row: int) -> None:
        self.removeRow(row)
        del self._active[row], self._stored[row]

    def box_at(self, row: int) -> BoxInput:
        def number(column: int) -> int:
            value = self._cell(row, column).data(Qt.ItemDataRole.EditRole)
            return int(value) if isinstance(value, int) else 0

        max_weight = number(6)
        return BoxInput(
            code=self._cell(row, 0).text().strip().upper(),
            name=self._cell(row, 1).text().strip(),
            length_mm=number(2),
            width_mm=number(3),
            height_mm=number(4),
            tare_g=number(5),
            max_weight_g=max_weight or None,
            where=f"row {row + 1}",
        )

    def boxes(self) -> list[BoxInput]:
        """The active rows, leaving out new rows nobody typed into."""
        found = [self.box_at(row) for row in range(self.rowCount()) if self._active[row]]
        return [box for box in found if not _is_blank(box)]

    def show_problems(self, problems: Iterable[str]) -> None:
        """Mark the cell each `row N: CODE: field ...` problem names, its text as tip."""
        for row in range(self.rowCount()):
            for column in range(len(FIELDS)):
                item = self._cell(row, column)
                item.setData(Qt.ItemDataRole.BackgroundRole, None)
                item.setToolTip("")
        for problem in problems:
            match = _ROW.match(problem)
            if not match or int(match.group(1)) > self.rowCount():
                continue
            column = next((i for i, (_, word) in enumerate(_FIELD) if word.search(problem)), 0)
            item = self._cell(int(match.group(1)) - 1, column)
            item.setBackground(BAD_CELL)
            item.setToolTip(problem)

    def _cell(self, row: int, column: int) -> QTableWidgetItem:
        item = self.item(row, column)
        assert item is not None  # every cell gets an item when its row is added
        return item

    def _append(self, box: BoxInput, *, active: bool, stored: BoxInput | None) -> int:
        row = self.rowCount()
        self.insertRow(row)
        self._active.append(active)
        self._stored.append(stored)
        name = box.name if active else f"{box.name}  (inactive)"
        values: list[object] = [box.code, name, box.length_mm, box.width_mm, box.height_mm]
        values += [box.tare_g, box.max_weight_g or 0]
        for column, value in enumerate(values):
            item = QTableWidgetItem()
            item.setData(Qt.ItemDataRole.EditRole, value)
            if column in NUMBERS:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if not active or (stored is not None and column == 0):
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            if not active:
                item.setForeground(INACTIVE_TEXT)
            self.setItem(row, column, item)
        return row


def _is_blank(box: BoxInput) -> bool:
    sizes = (box.length_mm, box.width_mm, box.height_mm, box.tare_g, box.max_weight_g)
    return not box.code and not box.name and not any(sizes)
