"""OutboxModel: customer e-mails, newest first; a failed one shows its reason in red."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from app.services.outbox import OutboxEntry
from ui.status_style import local_time

AnyIndex = QModelIndex | QPersistentModelIndex
FAILED_COLOUR = QColor("#b91c1c")
SENT_COLOUR = QColor("#166534")
WAITING_COLOUR = QColor("#92400e")
STATUS_TEXT = {"pending": "Waiting", "sending": "Sending", "sent": "Sent", "failed": "Failed"}


class Column(IntEnum):
    ID = 0
    ORDER = 1
    MESSAGE = 2
    TO = 3
    STATUS = 4
    ATTEMPTS = 5
    WHEN = 6
    PROBLEM = 7


HEADERS = ("#", "Order", "Message", "To", "Status", "Tries", "Time", "Problem")


def message_name(template: str) -> str:
    return template.replace("_", " ").capitalize()


def _display(entry: OutboxEntry, column: Column) -> str:
    match column:
        case Column.ID:
            return str(entry.id)
        case Column.ORDER:
            return entry.order or ""
        case Column.MESSAGE:
            return message_name(entry.template) + (" (resend)" if entry.resend_of else "")
        case Column.TO:
            return entry.to_addr
        case Column.STATUS:
            return STATUS_TEXT.get(entry.status, entry.status)
        case Column.ATTEMPTS:
            return str(entry.attempts)
        case Column.WHEN:
            return local_time(entry.sent_at or entry.created_at, "%d %b %H:%M")
        case Column.PROBLEM:
            return "" if entry.status == "sent" else entry.last_error or ""


class OutboxModel(QAbstractTableModel):
    """Rows from `outbox.list_outbox`, replaced whole by `set_entries`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._entries: list[OutboxEntry] = []

    def set_entries(self, entries: list[OutboxEntry]) -> None:
        self.beginResetModel()
        self._entries = entries
        self.endResetModel()

    def entry_at(self, row: int) -> OutboxEntry:
        return self._entries[row]

    def row_of(self, outbox_id: int) -> int | None:
        return next((i for i, e in enumerate(self._entries) if e.id == outbox_id), None)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._entries):
            return None
        entry, column = self._entries[index.row()], Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(entry, column)
        if role == Qt.ItemDataRole.ForegroundRole and column in (Column.STATUS, Column.PROBLEM):
            if entry.status == "failed":
                return FAILED_COLOUR
            if entry.status == "sent":
                return SENT_COLOUR
            if entry.last_error:
                return WAITING_COLOUR
        if (
            role == Qt.ItemDataRole.FontRole
            and column is Column.STATUS
            and entry.status == "failed"
        ):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and column in (Column.PROBLEM, Column.TO):
            return _display(entry, column) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (Column.ID, Column.ATTEMPTS):
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None
