"""TodaysLabelsController: "Print today's labels" - choose where, build off the UI thread,
write one file or send one job, and say what happened."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from app.errors import ValidationFailed
from app.printing import PrinterError
from app.services.stock_queries import ShipmentRow, shipments_for_day
from ui.context import UiContext
from ui.dialogs.printer_choice_dialog import PrinterChoiceDialog, PrintTarget
from ui.operations import QueryOp
from ui.printing.label_batch_runner import LabelBatchRunner
from ui.printing.label_export import LabelExport
from ui.printing.qt_printer import ask_system_printer, printer_factory, printer_label, system_spec
from ui.views.feedback_banner import FeedbackBanner


class TodaysLabelsController(QObject):
    """The labels of every shipment packed today (local time) as one document."""

    def __init__(self, ctx: UiContext, host: QWidget, banner: FeedbackBanner) -> None:
        super().__init__(host)
        self._ctx = ctx
        self._host = host
        self._banner = banner
        self.runner = LabelBatchRunner(ctx, host)
        self.dialog: PrinterChoiceDialog | None = None
        self.runner.finished.connect(self._on_runner_finished)
        self.runner.failed.connect(self._on_runner_failed)

    def choose_and_print(self) -> None:
        """Ask where the labels go (a file by default), then print them."""
        if self.runner.is_running():
            return
        default = Path.home() / f"labels-{date.today():%Y-%m-%d}.pdf"
        dialog = PrinterChoiceDialog(
            title="Print today's labels", fmt=None, allow_file=True,
            initial=PrintTarget("file", str(default)), parent=self._host,
        )  # fmt: skip
        self.dialog = dialog
        dialog.accepted.connect(lambda: self.print_todays_labels(dialog.target(), dialog.fmt()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def print_todays_labels(self, target: PrintTarget, fmt: str) -> None:
        today, zone = date.today(), datetime.now().astimezone().tzinfo
        QueryOp(self._host, self._ctx, shipments_for_day, today, zone).success(
            lambda rows: self._on_shipments_loaded(rows, target, fmt)
        ).failure(self._banner.show_refusal).run()

    def _on_shipments_loaded(self, rows: list[ShipmentRow], target: PrintTarget, fmt: str) -> None:
        if not rows:
            self._banner.show_problem("No shipments were packed today: no labels to print")
            return
        ids = [row.id for row in rows]
        if target.kind == "file":
            self.runner.start(ids, fmt, Path(target.value).with_suffix(f".{fmt}"))
            return
        chosen = ask_system_printer(self._host) if target.kind == "system" else None
        if target.kind == "system" and chosen is None:
            return
        spec = system_spec(chosen) if chosen else target.spec
        try:
            printer = printer_factory(self._ctx.tasks, chosen)(spec)
        except ValidationFailed as refusal:
            self._banner.show_refusal(refusal)
            return
        self.runner.start(ids, fmt, (printer_label(chosen) if chosen else spec, printer))

    def _on_runner_finished(self, export: LabelExport | None) -> None:
        if export is None:
            self._banner.show_problem("Cancelled: no labels were written or sent")
        else:
            self._banner.show_ok(export.summary())

    def _on_runner_failed(self, exc: Exception) -> None:
        if isinstance(exc, PrinterError):
            self._banner.show_problem(exc.message)
        else:
            self._banner.show_refusal(exc)
