"""OutboxModel: customer e-mails, newest first; a failed one shows its reason in red."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont

from app.services.outbox import OutboxEntry
from ui.models.id_rows_model import AnyIndex, IdRowsModel
from ui.status_style import local_time

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


class OutboxModel(IdRowsModel[OutboxEntry]):
    """Rows from `outbox.list_outbox`, replaced whole by `set_rows`."""

    HEADERS = HEADERS

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self.item(index)
        if entry is None:
            return None
        column = Column(index.column())
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
