"""PackLinesModel: the lines of the order on the pack screen, updated in place per scan."""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPixmap

from app.dto import PackLine, PackState

AnyIndex = QModelIndex | QPersistentModelIndex
IMAGE_SIZE = 52
DONE_TEXT = QColor("#98a2b3")
DONE_BACKGROUND = QColor("#f2f4f7")
JUST_SCANNED_BACKGROUND = QColor("#bbf7d0")
TICK = QColor("#15803d")
_CENTRE = Qt.AlignmentFlag.AlignCenter
_DISPLAY = Qt.ItemDataRole.DisplayRole
_DECORATION = Qt.ItemDataRole.DecorationRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_FONT = Qt.ItemDataRole.FontRole
_BACKGROUND = Qt.ItemDataRole.BackgroundRole
_ROLES = frozenset(
    {_DISPLAY, _DECORATION, _FOREGROUND, _FONT, _BACKGROUND, Qt.ItemDataRole.TextAlignmentRole}
)


class Column(IntEnum):
    IMAGE = 0
    ITEM = 1
    SKU = 2
    COUNT = 3
    DONE = 4


HEADERS = {
    Column.IMAGE: "",
    Column.ITEM: "Item",
    Column.SKU: "SKU",
    Column.COUNT: "Scanned",
    Column.DONE: "",
}


class PackLinesModel(QAbstractTableModel):
    """One row per order line still to pack; `apply_line` updates one row with dataChanged."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lines: list[PackLine] = []
        self._rows: dict[int, int] = {}
        self._just_scanned: int | None = None
        self._images: dict[str, QPixmap | None] = {}
        self._bold = QFont()
        self._bold.setBold(True)
        self._brushes = {
            "tick": QBrush(TICK),
            "done_text": QBrush(DONE_TEXT),
            "done": QBrush(DONE_BACKGROUND),
            "just_scanned": QBrush(JUST_SCANNED_BACKGROUND),
        }

    def set_state(self, state: PackState | None) -> None:
        self.beginResetModel()
        self._lines = list(state.lines) if state else []
        self._rows = {line.line_id: row for row, line in enumerate(self._lines)}
        self._just_scanned = None
        self.endResetModel()

    def apply_line(self, line: PackLine) -> int | None:
        """Take a line's new scan count; its row (marked as just scanned), or None if absent."""
        row = self._rows.get(line.line_id)
        if row is None:
            return None
        old = self._lines[row]
        self._lines[row] = PackLine(
            old.line_id, old.sku, old.name, old.gtin, old.expected, line.scanned, old.image_path
        )
        previous, self._just_scanned = self._just_scanned, row
        if previous is not None and previous != row:
            self._row_changed(previous)
        self._row_changed(row)
        return row

    def line_at(self, row: int) -> PackLine:
        return self._lines[row]

    @property
    def has_images(self) -> bool:
        return any(line.image_path for line in self._lines)

    @property
    def units_expected(self) -> int:
        return sum(line.expected for line in self._lines)

    @property
    def units_scanned(self) -> int:
        return sum(min(line.scanned, line.expected) for line in self._lines)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lines)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[Column(section)]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in _ROLES or not index.isValid():
            return None  # the view asks for many roles per cell on every repaint: answer fast
        row, column = index.row(), index.column()
        line = self._lines[row]
        if role == _DISPLAY:
            return _display(line, column)
        if role == _DECORATION:
            return self._image(line.image_path) if column == Column.IMAGE else None
        if role == _FOREGROUND:
            if not line.done:
                return None
            if column == Column.DONE:
                return self._brushes["tick"]
            return None if row == self._just_scanned else self._brushes["done_text"]
        if role == _FONT:
            return self._bold if column == Column.COUNT and not line.done else None
        if role == _BACKGROUND:
            if row == self._just_scanned:
                return self._brushes["just_scanned"]
            return self._brushes["done"] if line.done else None
        return _CENTRE if column in (Column.COUNT, Column.DONE) else None

    def _row_changed(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(Column) - 1))

    def _image(self, path: str | None) -> QPixmap | None:
        if not path:
            return None
        if path not in self._images:
            pixmap = QPixmap(path) if Path(path).is_file() else QPixmap()
            self._images[path] = (
                None
                if pixmap.isNull()
                else pixmap.scaled(
                    IMAGE_SIZE,
                    IMAGE_SIZE,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        return self._images[path]


def _display(line: PackLine, column: int) -> str:
    match column:
        case Column.ITEM:
            return line.name
        case Column.SKU:
            return line.sku
        case Column.COUNT:
            return f"{line.scanned} / {line.expected}"
        case Column.DONE:
            return "✔" if line.done else ""
        case _:
            return ""
