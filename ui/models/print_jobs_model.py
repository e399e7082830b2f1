"""PrintJobsModel: the print queue, newest first; a failing job shows its error in red."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from app.services.printing import JobView

AnyIndex = QModelIndex | QPersistentModelIndex
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


class PrintJobsModel(QAbstractTableModel):
    """Rows from `printing.list_jobs`, replaced whole by `set_jobs`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: list[JobView] = []

    def set_jobs(self, jobs: list[JobView]) -> None:
        self.beginResetModel()
        self._jobs = jobs
        self.endResetModel()

    def job_at(self, row: int) -> JobView:
        return self._jobs[row]

    def row_of(self, job_id: int) -> int | None:
        return next((i for i, job in enumerate(self._jobs) if job.id == job_id), None)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._jobs)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._jobs):
            return None
        job, column = self._jobs[index.row()], Column(index.column())
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
