"""PickWalkModel: the stops of the open pick list in walking order, done ones ticked."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from app.domain.picking import PickStop
from app.services.pick_lists import PickListView

AnyIndex = QModelIndex | QPersistentModelIndex
_DISPLAY = Qt.ItemDataRole.DisplayRole
_FOREGROUND = Qt.ItemDataRole.ForegroundRole
_BACKGROUND = Qt.ItemDataRole.BackgroundRole
_FONT = Qt.ItemDataRole.FontRole
_ALIGN = Qt.ItemDataRole.TextAlignmentRole


class Column(IntEnum):
    MARK = 0
    STOP = 1
    LOCATION = 2
    SKU = 3
    COUNT = 4
    TOTE = 5


HEADERS = {
    Column.MARK: "",
    Column.STOP: "#",
    Column.LOCATION: "Location",
    Column.SKU: "SKU",
    Column.COUNT: "Picked",
    Column.TOTE: "Tote",
}
DONE_TEXT = QColor("#98a2b3")
DONE_BACKGROUND = QColor("#f2f4f7")
CURRENT_BACKGROUND = QColor("#dbeafe")
TICK = QColor("#15803d")
SHORT = QColor("#b45309")


def mark(stop: PickStop) -> str:
    """✔ picked, ✖ short (fewer found), – no longer counts, blank still to pick."""
    if stop.status == "short":
        return "✖"
    if not stop.live:
        return "–"
    return "✔" if stop.status == "done" else ""


class PickWalkModel(QAbstractTableModel):
    """One row per stop; `set_view` refreshes in place when the list is the same one."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stops: list[PickStop] = []
        self._list_id: int | None = None
        self.current_row: int | None = None
        self._bold = QFont()
        self._bold.setBold(True)
        self._brushes = {
            "✔": QBrush(TICK),
            "✖": QBrush(SHORT),
            "done_text": QBrush(DONE_TEXT),
            "done": QBrush(DONE_BACKGROUND),
            "current": QBrush(CURRENT_BACKGROUND),
        }

    def set_view(self, view: PickListView | None, current: PickStop | None) -> None:
        stops = sorted(view.tasks, key=lambda t: t.sequence) if view else []
        same = view is not None and view.id == self._list_id and len(stops) == len(self._stops)
        ids = [t.task_id for t in stops]
        self.current_row = (
            ids.index(current.task_id) if current and current.task_id in ids else None
        )
        if same:
            self._stops = stops
            self.dataChanged.emit(self.index(0, 0), self.index(len(stops) - 1, len(Column) - 1))
            return
        self.beginResetModel()
        self._stops, self._list_id = stops, view.id if view else None
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._stops)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == _DISPLAY:
            return HEADERS[Column(section)]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        stop = self._stops[row]
        finished = not stop.remaining
        if role == _DISPLAY:
            return _display(stop, column)
        if role == _FOREGROUND:
            if column == Column.MARK:
                return self._brushes.get(mark(stop))
            return self._brushes["done_text"] if finished else None
        if role == _BACKGROUND:
            if row == self.current_row:
                return self._brushes["current"]
            return self._brushes["done"] if finished else None
        if role == _FONT:
            return self._bold if row == self.current_row else None
        if role == _ALIGN and column in (Column.MARK, Column.STOP, Column.COUNT):
            return Qt.AlignmentFlag.AlignCenter
        return None


def _display(stop: PickStop, column: int) -> str:
    match column:
        case Column.MARK:
            return mark(stop)
        case Column.STOP:
            return str(stop.sequence)
        case Column.LOCATION:
            return stop.location
        case Column.SKU:
            return stop.sku
        case Column.COUNT:
            return f"{stop.picked} / {stop.quantity}"
        case Column.TOTE:
            return stop.tote or ""
        case _:
            return ""
