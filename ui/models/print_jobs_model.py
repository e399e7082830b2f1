"""PrintJobsModel: the print queue, newest first; a failing job shows its error in red."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont

from app.services.printing import JobView
from ui.models.id_rows_model import AnyIndex, IdRowsModel

ERROR_COLOUR = QColor("#b91c1c")
PRINTED_COLOUR = QColor("#166534")
WAITING = frozenset({"pending", "failed"})
DOCUMENTS = {"label": "Shipping label", "packing_slip": "Packing slip"}


class Column(IntEnum):
    JOB = 0
    ORDER = 1
    DOCUMENT = 2
    FORMAT = 3
    PRINTER = 4
    STATUS = 5
    ATTEMPTS = 6
    ERROR = 7


HEADERS = ("Job", "Order", "Document", "Format", "Printer", "Status", "Attempts", "Last error")


def _display(job: JobView, column: Column) -> str:
    match column:
        case Column.JOB:
            return str(job.id)
        case Column.ORDER:
            return job.order_number or ""
        case Column.DOCUMENT:
            return DOCUMENTS.get(job.document, job.document.replace("_", " ").capitalize())
        case Column.FORMAT:
            return job.format.upper()
        case Column.PRINTER:
            return job.printer
        case Column.STATUS:
            return job.status.capitalize()
        case Column.ATTEMPTS:
            return str(job.attempts)
        case Column.ERROR:
            return job.last_error or ""


class PrintJobsModel(IdRowsModel[JobView]):
    """Rows from `printing.list_jobs`, replaced whole by `set_rows`."""

    HEADERS = HEADERS

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        job = self.item(index)
        if job is None:
            return None
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(job, column)
        failing = job.status in WAITING and bool(job.last_error)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column in (Column.ERROR, Column.STATUS) and failing:
                return ERROR_COLOUR
            if column is Column.STATUS and job.status == "printed":
                return PRINTED_COLOUR
        if role == Qt.ItemDataRole.FontRole and column is Column.STATUS and failing:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and column in (Column.ERROR, Column.PRINTER):
            return _display(job, column) or None
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (Column.JOB, Column.ATTEMPTS):
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None
