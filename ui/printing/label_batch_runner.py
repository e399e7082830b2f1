"""LabelBatchRunner: a label export off the UI thread, behind a progress dialog with Cancel."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.printing import Printer
from ui.context import UiContext
from ui.operations import QueryOp
from ui.printing.label_export import LabelExport, ThreadProgressReporter, export_labels

CHUNK = 20


class LabelBatchRunner(QObject):
    """`progressed(done, total)` on the way; `finished(export)` with a LabelExport, or
    None if cancelled; `failed(exc)`."""

    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._parent = parent
        self.chunk = CHUNK
        self.progress_dialog: QProgressDialog | None = None

    def is_running(self) -> bool:
        return self.progress_dialog is not None

    def start(
        self,
        shipment_ids: Sequence[int],
        fmt: str,
        destination: Path | tuple[str, Printer],
    ) -> None:
        reporter = ThreadProgressReporter(self)
        dialog = QProgressDialog("Collecting labels…", "Cancel", 0, len(shipment_ids), self._parent)
        dialog.setWindowTitle("Today's labels")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setMinimumDuration(0)
        dialog.setValue(0)
        dialog.canceled.connect(reporter.cancel)
        reporter.progressed.connect(self._on_reporter_progressed)
        self.progress_dialog = dialog
        QueryOp(
            self._parent,
            self._ctx,
            export_labels,
            list(shipment_ids),
            fmt,
            reporter,
            destination=destination,
            chunk=self.chunk,
        ).success(self._on_export_done).failure(self._on_export_failed).run()

    def _on_reporter_progressed(self, done: int, total: int, label: str) -> None:
        self.progressed.emit(done, total)  # first: a modal dialog's setValue processes events
        dialog = self.progress_dialog
        if dialog is None or dialog.wasCanceled():
            return
        dialog.setMaximum(total)
        dialog.setValue(done)
        if done < total:
            dialog.setLabelText(f"{label}: {done} of {total} shipments")
        else:
            dialog.setLabelText(f"Rendering the labels of {total} shipments…")

    def _close_dialog(self) -> None:
        if self.progress_dialog is not None:
            self.progress_dialog.hide()
            self.progress_dialog.deleteLater()
            self.progress_dialog = None

    def _on_export_done(self, export: LabelExport | None) -> None:
        self._close_dialog()
        self.finished.emit(export)

    def _on_export_failed(self, exc: Exception) -> None:
        self._close_dialog()
        self.failed.emit(exc)
