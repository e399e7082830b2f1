"""PackPrinter: a packed order's label (and packing slip) printed at once, one after
the other, on the writer thread. A printer that fails waits for the packer: retry,
send it elsewhere, or go on (the job stays pending in Print jobs)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from app.services.printing import PrintOutcome, print_job
from ui.context import UiContext
from ui.operations import DbOp
from ui.station.pack_steps import failure_message

DOCUMENT_NAMES = {"label": "Label", "packing_slip": "Packing slip"}


def document_name(document: str) -> str:
    return DOCUMENT_NAMES.get(document, document.replace("_", " ").capitalize())


@dataclass(frozen=True)
class PrintFailure:
    job_id: int
    document: str  # "Label", "Packing slip"
    printer: str
    error: str


@dataclass
class PrintSummary:
    printed: list[str] = field(default_factory=list)  # "Label printed on tcp://…"
    kept: list[str] = field(default_factory=list)  # "Label NOT printed - kept in Print jobs"

    def sentences(self) -> list[str]:
        return [*self.printed, *self.kept]


class PackPrinter(QObject):
    """`failed(PrintFailure)` when a job does not print, `finished(PrintSummary)` when
    every job printed or was left pending."""

    failed = Signal(object)
    finished = Signal(object)

    def __init__(self, ctx: UiContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._pending: list[int] = []
        self._summary = PrintSummary()
        self.failure: PrintFailure | None = None

    def start(self, job_ids: Sequence[int]) -> None:
        self._pending, self._summary, self.failure = list(job_ids), PrintSummary(), None
        self._next()

    def retry(self, printer: str | None = None) -> None:
        """Print the failed job again: on its printer, or on `printer` from now on."""
        self.failure = None
        self._next(printer)

    def go_on(self) -> None:
        """Leave the failed job pending (Print jobs has it) and print the rest."""
        if self.failure is not None:
            self._summary.kept.append(f"{self.failure.document} NOT printed - kept in Print jobs")
            self._pending.pop(0)
            self.failure = None
        self._next()

    def _next(self, printer: str | None = None) -> None:
        if not self._pending:
            self.finished.emit(self._summary)
            return
        job_id = self._pending[0]

        def on_error(exc: Exception) -> None:  # the job row could not be read or marked
            where = printer or "its printer"
            self._fail(job_id, f"Print job {job_id}", where, failure_message(exc))

        DbOp(None, self._ctx, print_job, job_id, printer=printer).success(
            self._on_printed
        ).failure(on_error).run(initiator=self)

    def _on_printed(self, outcome: PrintOutcome) -> None:
        name = document_name(outcome.document)
        if not outcome.printed:
            self._fail(outcome.job_id, name, outcome.printer, outcome.error or outcome.message)
            return
        self._summary.printed.append(f"{name} printed on {outcome.printer}")
        self._pending.pop(0)
        self._next()

    def _fail(self, job_id: int, document: str, printer: str, error: str) -> None:
        self.failure = PrintFailure(job_id, document, printer, error)
        self.failed.emit(self.failure)
