"""StockTableModel: stock per SKU (on hand, reserved, available) for the inventory view."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.services.stock_queries import StockRow

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
AnyIndex = QModelIndex | QPersistentModelIndex
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_NONE_FREE = QColor("#b91c1c")
_EMPTY = QColor("#98a2b3")


class Column(IntEnum):
    SKU = 0
    NAME = 1
    ON_HAND = 2
    RESERVED = 3
    AVAILABLE = 4
    LOCATIONS = 5


HEADERS = ("SKU", "Product", "On hand", "Reserved", "Available", "Locations")
HEADER_TIPS = {
    Column.ON_HAND: "Units in the warehouse, all locations",
    Column.RESERVED: "Units promised to orders and not yet shipped",
    Column.AVAILABLE: "On hand less reserved: free for new orders",
    Column.LOCATIONS: "Locations holding at least one unit",
}
NUMERIC = (Column.ON_HAND, Column.RESERVED, Column.AVAILABLE, Column.LOCATIONS)


def _value(row: StockRow, column: Column) -> str | int:
    match column:
        case Column.SKU:
            return row.sku
        case Column.NAME:
            return row.name
        case Column.ON_HAND:
            return row.on_hand
        case Column.RESERVED:
            return row.reserved
        case Column.AVAILABLE:
            return row.available
        case Column.LOCATIONS:
            return row.locations


class StockTableModel(QAbstractTableModel):
    """Rows from `stock_queries.stock_by_sku`; SORT_ROLE gives native values for sorting."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[StockRow] = []

    def set_rows(self, rows: list[StockRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row_at(self, row: int) -> StockRow:
        return self._rows[row]

    def row_of(self, sku: str) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.sku == sku), None)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section in NUMERIC:
            return _RIGHT
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(Column(section))
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row, column = self._rows[index.row()], Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            value = _value(row, column)
            return f"{value:,}" if isinstance(value, int) else value
        if role == SORT_ROLE:
            return _value(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMERIC:
            return _RIGHT
        if column is not Column.AVAILABLE or row.available > 0:
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return _NONE_FREE if row.reserved else _EMPTY
        if role == Qt.ItemDataRole.ToolTipRole and row.reserved:
            return "Everything on hand is promised to orders"
        return None
