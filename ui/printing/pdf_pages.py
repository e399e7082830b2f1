"""PDF pages as images (pypdfium2; this PySide6 has no QtPdf), painted onto any QPrinter."""

from __future__ import annotations

from collections.abc import Iterator

import pypdfium2 as pdfium
from PySide6.QtCore import QMarginsF, QRectF, QSizeF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter

# Enough for any label or office printer; a 1200 dpi PDF "printer" would need 4x the memory.
MAX_DPI = 600.0
POINTS_PER_INCH = 72.0


def page_images(document: bytes, dpi: float, *, grayscale: bool = False) -> Iterator[QImage]:
    """Each page rendered at `dpi` (at most MAX_DPI), one page in memory at a time.

    Raises pypdfium2's PdfiumError when `document` is not a PDF it can read.
    """
    pdf = pdfium.PdfDocument(document)
    scale = min(dpi, MAX_DPI) / POINTS_PER_INCH
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            bitmap = page.render(scale=scale, grayscale=grayscale, prefer_bgrx=True)
            fmt = (
                QImage.Format.Format_Grayscale8
                if bitmap.n_channels == 1
                else (QImage.Format.Format_RGB32)
            )
            image = QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, fmt)
            yield image.copy()  # detached from pdfium's buffer, which closing frees
            bitmap.close()
            page.close()
    finally:
        pdf.close()


def fit_paper_to(printer: QPrinter, document: bytes) -> None:
    """Give `printer` paper the size of the document's first page, without margins."""
    pdf = pdfium.PdfDocument(document)
    try:
        width, height = pdf.get_page_size(0) if len(pdf) else (0.0, 0.0)
    finally:
        pdf.close()
    if width and height:
        size = QPageSize(QSizeF(width, height), QPageSize.Unit.Point, "Document")
        orientation = QPageLayout.Orientation.Portrait
        printer.setPageLayout(QPageLayout(size, orientation, QMarginsF(), QPageLayout.Unit.Point))


def paint_pages(painter: QPainter, printer: QPrinter, document: bytes) -> int:
    """Paint every page of `document` on `printer`, one sheet each; the page count.

    Pages print at their own size, shrunk (never enlarged) to fit the printable area.
    """
    resolution = float(printer.resolution())
    dpi = min(resolution, MAX_DPI)
    area = printer.pageLayout().paintRectPixels(printer.resolution())
    grayscale = printer.colorMode() == QPrinter.ColorMode.GrayScale
    count = 0
    for count, image in enumerate(page_images(document, dpi, grayscale=grayscale), 1):
        if count > 1 and not printer.newPage():
            raise OSError("the printer refused a new page")
        width = image.width() * resolution / dpi
        height = image.height() * resolution / dpi
        fit = min(1.0, area.width() / width, area.height() / height)
        painter.drawImage(QRectF(0, 0, width * fit, height * fit), image)
    return count
