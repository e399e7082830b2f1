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
from ui.station.feedback import failure_message

DOCUMENT_NAMES = {"label": "Label", "packing_slip": "Packing slip"}
RETRY_KEYS, ELSEWHERE_KEYS, GO_ON_KEYS = ("r", "R"), ("e", "E"), ("g", "G", "Esc")
PRINTER_KEYS = RETRY_KEYS + ELSEWHERE_KEYS + GO_ON_KEYS[:2]  # Esc is a key of its own
PRINTER_CHOICES = "R = retry   ·   E = another printer   ·   G or Esc = go on"
MAX_OTHER_PRINTERS = 9


def document_name(document: str) -> str:
    return DOCUMENT_NAMES.get(document, document.replace("_", " ").capitalize())


@dataclass(frozen=True)
class PrintFailure:
    job_id: int
    document: str  # "Label", "Packing slip"
    printer: str  # "" when the job could not even be read
    error: str


@dataclass
class PrintSummary:
    printed: list[str] = field(default_factory=list)  # "Label printed on tcp://…"
    kept: list[str] = field(default_factory=list)  # "Label NOT printed - kept in Print jobs"

    def sentences(self) -> list[str]:
        return [*self.printed, *self.kept]


class PackPrinter(QObject):
    """`failed(PrintFailure)` when a job does not print, `finished(PrintSummary)` when
    every job printed or was left pending. After a failure, `command` takes the packer's
    key: R retries, E lists the other printers (a number sends the job there, Esc goes
    back), G or Esc goes on."""

    failed = Signal(object)
    finished = Signal(object)

    def __init__(self, ctx: UiContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._pending: list[int] = []
        self._printers: tuple[str, ...] = ()
        self._summary = PrintSummary()
        self.failure: PrintFailure | None = None
        self.choosing = False  # after E: the digits pick another printer

    def start(self, job_ids: Sequence[int], printers: Sequence[str]) -> None:
        """Print `job_ids` in turn; `printers` are where a failed job may go instead."""
        self._pending, self._printers = list(job_ids), tuple(printers)
        self._summary, self.failure, self.choosing = PrintSummary(), None, False
        self._next()

    def others(self) -> tuple[str, ...]:
        """The printers a failed job can go to instead (at most nine: one key each)."""
        failed = self.failure.printer if self.failure else ""
        return tuple(p for p in self._printers if p != failed)[:MAX_OTHER_PRINTERS]

    def command(self, name: str) -> bool:
        """The packer's key at a failure; True when a job is printing again."""
        others = self.others()
        if self.choosing and name == "Esc":
            self.choosing = False
        elif self.choosing and name.isdigit() and 1 <= int(name) <= len(others):
            self.retry(others[int(name) - 1])
            return True
        elif name in RETRY_KEYS:
            self.retry()
            return True
        elif name in ELSEWHERE_KEYS:
            self.choosing = True
        elif name in GO_ON_KEYS:
            self.go_on()
            return True
        return False

    def failure_text(self, note: str = "") -> tuple[str, str, str]:
        """What the amber screen says: the headline, the printer and its error, the keys."""
        failure = self.failure
        assert failure is not None
        if self.choosing:
            others = "   ·   ".join(f"{n} = {p}" for n, p in enumerate(self.others(), 1))
            keys = f"Send it to:   {others}   ·   Esc = back" if others else "No other printer"
        else:
            keys = PRINTER_CHOICES
        detail = f"{failure.printer or 'Its printer'}: {failure.error}"
        return (
            f"{failure.document} NOT printed",
            f"{note}  ·  {detail}" if note else detail,
            keys,
        )

    def retry(self, printer: str | None = None) -> None:
        """Print the failed job again: where it just failed, or on `printer`."""
        target = printer or (self.failure.printer if self.failure else "") or None
        self.failure, self.choosing = None, False
        self._next(target)

    def go_on(self) -> None:
        """Leave the failed job pending (Print jobs has it) and print the rest."""
        if self.failure is not None:
            self._summary.kept.append(f"{self.failure.document} NOT printed - kept in Print jobs")
            self._pending.pop(0)
            self.failure, self.choosing = None, False
        self._next()

    def _next(self, printer: str | None = None) -> None:
        if not self._pending:
            self.finished.emit(self._summary)
            return
        job_id = self._pending[0]

        def on_error(exc: Exception) -> None:  # the job row could not be read or marked
            self._fail(job_id, f"Print job {job_id}", printer or "", failure_message(exc))

        DbOp(None, self._ctx, print_job, job_id, printer=printer).success(self._on_printed).failure(
            on_error
        ).run(initiator=self)

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
