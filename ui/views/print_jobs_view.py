"""PrintJobsView: the print queue - reprint a job, send it elsewhere, preview it - and
today's shipping labels as one batch."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.services.printing import JobView, PrintOutcome, list_jobs, order_labels, print_job
from ui.context import UiContext
from ui.dialogs.printer_choice_dialog import PrinterChoiceDialog, PrintTarget
from ui.models.print_jobs_model import WAITING, Column, PrintJobsModel
from ui.operations import DbOp, QueryOp
from ui.printing.print_preview import PdfPreviewDialog
from ui.printing.qt_printer import ask_system_printer, printer_factory, system_spec
from ui.views.action_style import ACTION_BUTTON_STYLE
from ui.views.feedback_banner import FeedbackBanner
from ui.views.list_page import add_action, set_up_list_table
from ui.views.todays_labels import TodaysLabelsController

REFRESH_INTERVAL_MS = 10_000
JOB_LIMIT = 200


class PrintJobsView(QWidget):
    """The queue as a table; actions act on the selected job."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._last_target: PrintTarget | None = None
        self.dialog: PrinterChoiceDialog | PdfPreviewDialog | None = None
        self.banner = FeedbackBanner()
        self.count_label = QLabel()
        self.count_label.setObjectName("muted")
        self.model = PrintJobsModel(self)
        self.table = QTableView()
        self.todays_labels = TodaysLabelsController(ctx, self, self.banner)
        self.toolbar = QToolBar()
        self.toolbar.setStyleSheet(ACTION_BUTTON_STYLE)
        self.refresh_action = self._action("Refresh", "F5", self.refresh)
        self.reprint_action = self._action("Reprint", "Ctrl+P", self._on_reprint_triggered)
        self.print_to_action = self._action(
            "Print to…", "Ctrl+Shift+P", self._on_print_to_triggered
        )
        self.preview_action = self._action("Preview", "", self._on_preview_triggered)
        self.toolbar.addSeparator()
        self.batch_action = self._action(
            "Print today's labels…", "", self.todays_labels.choose_and_print
        )
        set_up_list_table(self.table, self.model, Column.ERROR)
        self._lay_out()

        self._timer = QTimer(self, interval=REFRESH_INTERVAL_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._timer.start()
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        ctx.hub.changes_applied.connect(self._on_hub_changes_applied)
        self._on_table_selection_changed()
        self.refresh()

    def refresh(self) -> None:
        QueryOp(self, self._ctx, list_jobs, limit=JOB_LIMIT).success(self._on_jobs_loaded).failure(
            self.banner.show_refusal
        ).run()

    def selected_job(self) -> JobView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select_job(self, job_id: int) -> None:
        row = self.model.row_of(job_id)
        if row is not None:
            self.table.selectRow(row)

    def reprint(
        self, job_id: int, printer: str | None = None, chosen: QPrinter | None = None
    ) -> None:
        """Print the job again: to its own printer, or to `printer` from now on."""
        make = printer_factory(self._ctx.tasks, chosen)
        DbOp(self, self._ctx, print_job, job_id, printer=printer, make_printer=make).success(
            self._on_job_printed
        ).failure(self.banner.show_refusal).run(initiator=self)

    def print_to_system(self, job_id: int, printer: QPrinter) -> None:
        """Print the job on a system printer set up in a print dialog."""
        self.reprint(job_id, system_spec(printer), printer)

    def _action(self, text: str, keys: str, slot: Callable[[], None]) -> QAction:
        return add_action(self, self.toolbar, text, keys, slot)

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.toolbar, 1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.table, 1)

    def _on_jobs_loaded(self, jobs: list[JobView]) -> None:
        selected = self.selected_job()
        self.model.set_rows(jobs)
        if selected is not None:
            self.select_job(selected.id)
        waiting = sum(job.status in WAITING for job in jobs)
        self.count_label.setText(f"{waiting} not printed  ·  {len(jobs)} latest jobs")

    def _on_table_selection_changed(self) -> None:
        job = self.selected_job()
        for action in (self.reprint_action, self.print_to_action):
            action.setEnabled(job is not None)
        self.preview_action.setEnabled(job is not None and job.document == "label")

    def _on_job_printed(self, outcome: PrintOutcome) -> None:
        text = f"Job {outcome.job_id}: {outcome.message}"
        (self.banner.show_ok if outcome.printed else self.banner.show_problem)(text)

    def _on_reprint_triggered(self) -> None:
        job = self.selected_job()
        if job is not None:
            self.reprint(job.id)

    def _on_print_to_triggered(self) -> None:
        job = self.selected_job()
        if job is None:
            return
        dialog = PrinterChoiceDialog(
            title=f"Print job {job.id} to…", fmt=job.format, allow_file=False,
            initial=self._last_target, parent=self,
        )  # fmt: skip
        self.dialog = dialog
        dialog.accepted.connect(lambda: self._on_print_to_chosen(job.id, dialog.target()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _on_print_to_chosen(self, job_id: int, target: PrintTarget) -> None:
        self._last_target = target
        if target.kind != "system":
            self.reprint(job_id, target.spec)
            return
        printer = ask_system_printer(self)
        if printer is not None:
            self.print_to_system(job_id, printer)

    def _on_preview_triggered(self) -> None:
        job = self.selected_job()
        if job is None or job.order_number is None:
            return
        number = job.order_number
        QueryOp(self, self._ctx, order_labels, number, "pdf").success(
            lambda data: self._show_preview(data, f"labels of {number}")
        ).failure(self.banner.show_refusal).run()

    def _show_preview(self, document: bytes, title: str) -> None:
        dialog = PdfPreviewDialog(document, title, printable=False, parent=self)
        self.dialog = dialog
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _on_timer_timeout(self) -> None:
        if self.isVisible():  # stations print in the background; poll only while watched
            self.refresh()

    def _on_hub_changes_applied(self, _changes: object, _initiator: object) -> None:
        self.refresh()
