"""The system printer as a `Printer` backend: PDF pages painted through QPrinter.

Qt printing belongs to the main thread. `MainThreadPrinter` lets a service running on
a worker (`print_job`, a label batch) print there and wait for the outcome.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from pypdfium2 import PdfDocument, PdfiumError
from PySide6.QtCore import QCoreApplication, QThread
from PySide6.QtGui import QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from app.printing import Printer, PrinterError
from app.printing.base import require_format
from app.services.printing import printer_for
from ui.printing.pdf_pages import paint_pages
from ui.tasks import TaskRunner

SYSTEM = "system"
WAIT_SLICE_S = 0.2
# Set when the event loop ends: a worker must not wait for a main thread that has stopped.
_quitting = threading.Event()
_watching_quit: list[bool] = []


def printer_label(printer: QPrinter) -> str:
    """How a QPrinter reads in messages: its name, or the file it writes."""
    return printer.printerName() or printer.outputFileName() or "the default printer"


def system_spec(printer: QPrinter) -> str:
    """The printer string a job keeps for this system printer: `system:NAME`."""
    return f"{SYSTEM}:{printer.printerName()}" if printer.printerName() else SYSTEM


class QtSystemPrinter:
    """Prints PDF documents on `printer`, a page per sheet. Use on the main thread only."""

    def __init__(self, printer: QPrinter) -> None:
        self.printer = printer

    def send(self, document: bytes, *, fmt: str, job_name: str) -> None:
        """Paint `document`'s pages; PrinterError if the printer or the PDF will not do."""
        require_format(fmt, ("pdf",))
        try:
            PdfDocument(document).close()
        except PdfiumError as error:
            raise PrinterError(f"Not a PDF the printer can take: {error}") from error
        self.printer.setDocName(job_name)
        painter = QPainter()
        if not painter.begin(self.printer):
            raise PrinterError(
                f"Cannot start printing on {printer_label(self.printer)}: "
                "is it installed and switched on?"
            )
        try:
            pages = paint_pages(painter, self.printer, document)
        except OSError as error:
            raise PrinterError(f"{printer_label(self.printer)}: {error}") from error
        finally:
            painter.end()
        if pages == 0:
            raise PrinterError("The document has no pages to print")


def _on_main_thread() -> bool:
    app = QCoreApplication.instance()
    return app is None or QThread.currentThread() is app.thread()


class MainThreadPrinter:
    """A `Printer` for worker threads: `make()` builds the Qt printer on the main thread,
    which sends the document while the worker waits (at most `timeout` seconds)."""

    def __init__(
        self, tasks: TaskRunner, make: Callable[[], Printer], *, timeout: float = 120.0
    ) -> None:
        self._tasks, self._make, self._timeout = tasks, make, timeout

    def send(self, document: bytes, *, fmt: str, job_name: str) -> None:
        if _on_main_thread():
            self._make().send(document, fmt=fmt, job_name=job_name)
            return
        done = threading.Event()
        failures: list[PrinterError] = []

        def on_main() -> None:
            try:
                self._make().send(document, fmt=fmt, job_name=job_name)
            except PrinterError as error:
                failures.append(error)
            finally:
                done.set()

        self._tasks.run_on_main(on_main)
        waited = 0.0
        while not done.wait(WAIT_SLICE_S):
            waited += WAIT_SLICE_S
            if waited >= self._timeout or _quitting.is_set():
                raise PrinterError(f"The system printer did not finish within {self._timeout:g} s")
        if failures:
            raise failures[0]


def ask_system_printer(parent: QWidget) -> QPrinter | None:
    """The system printer the user sets up in the print dialog; None if they cancel."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    return printer if dialog.exec() == QDialog.DialogCode.Accepted else None


def printer_factory(tasks: TaskRunner, chosen: QPrinter | None = None) -> Callable[[str], Printer]:
    """`printer_for` that also knows `system` and `system:NAME` (through Qt).

    `chosen` is a QPrinter the user set up in a print dialog; otherwise the named (or
    default) system printer is opened when the job prints. Call on the main thread.
    """
    app = QCoreApplication.instance()
    if app is not None and not _watching_quit:
        _watching_quit.append(True)
        app.aboutToQuit.connect(_quitting.set)

    def make(spec: str) -> Printer:
        if spec != SYSTEM and not spec.startswith(f"{SYSTEM}:"):
            return printer_for(spec)
        name = spec.partition(":")[2]

        def qt_printer() -> Printer:
            printer = chosen or QPrinter(QPrinter.PrinterMode.HighResolution)
            if chosen is None and name:
                printer.setPrinterName(name)
            return QtSystemPrinter(printer)

        return MainThreadPrinter(tasks, qt_printer)

    return make
