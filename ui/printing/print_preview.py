"""PdfPreviewDialog: a PDF as it will print, from the same page images the printer gets."""

from __future__ import annotations

from PySide6.QtGui import QAction, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QWidget

from ui.printing.pdf_pages import fit_paper_to, paint_pages

PRINT_ACTION_TEXT = "Print"


class PdfPreviewDialog(QPrintPreviewDialog):
    """Previews `document`. With `printable=False` its Print button is hidden, so a
    queued job is printed only through the job (and marked printed)."""

    def __init__(
        self, document: bytes, title: str, *, printable: bool = True, parent: QWidget | None = None
    ) -> None:
        self._printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        fit_paper_to(self._printer, document)
        super().__init__(self._printer, parent)
        self._document = document
        self.pages = 0
        self.setWindowTitle(f"Preview - {title}")
        self.resize(900, 800)
        if not printable:
            for action in self.actions_named(PRINT_ACTION_TEXT):
                action.setVisible(False)
        self.paintRequested.connect(self._on_paint_requested)

    def actions_named(self, text: str) -> list[QAction]:
        return [a for a in self.findChildren(QAction) if a.text().replace("&", "") == text]

    def _on_paint_requested(self, printer: QPrinter) -> None:
        painter = QPainter(printer)
        try:
            self.pages = paint_pages(painter, printer, self._document)
        finally:
            painter.end()
