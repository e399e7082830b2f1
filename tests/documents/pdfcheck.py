"""Reading rendered PDFs back the way a scanner and a person would."""

from __future__ import annotations

from dataclasses import dataclass

import pypdfium2
import zxingcpp

SCAN_DPI = 300


@dataclass(frozen=True)
class Scan:
    """One decoded barcode."""

    format: str
    text: str
    gs1: bool
    symbology: str


def page_size(pdf: bytes, index: int = 0) -> tuple[float, float]:
    """Width and height of a page in points."""
    width, height = pypdfium2.PdfDocument(pdf)[index].get_size()
    return round(width, 2), round(height, 2)


def scan_pages(pdf: bytes, dpi: int = SCAN_DPI) -> list[list[Scan]]:
    """Every page rasterised at `dpi` and read with zxing-cpp."""
    pages = []
    for page in pypdfium2.PdfDocument(pdf):
        image = page.render(scale=dpi / 72, grayscale=True).to_pil()
        pages.append([
            Scan(str(found.format).split(".")[-1], found.text,
                 found.content_type == zxingcpp.ContentType.GS1, found.symbology_identifier)
            for found in zxingcpp.read_barcodes(image, try_rotate=False, try_invert=False)
        ])
    return pages


def texts(pdf: bytes) -> list[str]:
    """The text layer of every page, as a text-extraction tool sees it."""
    return [page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(pdf)]


def found(scans: list[Scan]) -> set[tuple[str, str]]:
    """(format, text) of every barcode on a page."""
    return {(scan.format, scan.text) for scan in scans}
