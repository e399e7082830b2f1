"""2x1 in product and bin-location labels, one per page, on the same label stock."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import TypeVar

from reportlab.lib.units import inch, mm
from reportlab.pdfgen.canvas import Canvas

from app.documents import symbols
from app.documents.data import LocationLabelData, ProductLabelData
from app.documents.fonts import BOLD, fit, printable, register_fonts
from app.documents.vector import draw_linear, draw_text_centred, module_size

WIDTH, HEIGHT = 2 * inch, 1 * inch
MARGIN = 1.5 * mm
LARGEST_MODULE = 0.33 * mm
T = TypeVar("T")


def _barcode(
    canvas: Canvas, symbol: symbols.Linear, bottom: float, height: float, text_size: float
) -> None:
    """A symbol centred across the label, bars from `bottom` up, its text below."""
    width = WIDTH - 2 * MARGIN
    module = module_size(symbol.total_modules, width, LARGEST_MODULE)
    left = MARGIN + (width - symbol.total_modules * module) / 2
    draw_linear(canvas, symbol, left, bottom, module, height)
    draw_text_centred(canvas, symbol.text, WIDTH / 2, bottom - text_size * 1.05, width,
                      text_size)


def _heading(canvas: Canvas, text: str, size: float) -> None:
    line, size = fit(printable(text), BOLD, size, WIDTH - 2 * MARGIN, size * 0.6)
    canvas.setFont(BOLD, size)
    canvas.drawCentredString(WIDTH / 2, HEIGHT - MARGIN - 0.8 * size, line)


def _draw_product(canvas: Canvas, product: ProductLabelData) -> None:
    _heading(canvas, product.name, 7)
    if product.gtin:
        _barcode(canvas, symbols.code128(product.sku), 15.2 * mm, 5.2 * mm, 6)
        _barcode(canvas, symbols.gtin(product.gtin), 3.4 * mm, 7.4 * mm, 6)
    else:
        _barcode(canvas, symbols.code128(product.sku), 4.4 * mm, 15.5 * mm, 8)


def _draw_location(canvas: Canvas, location: LocationLabelData) -> None:
    _heading(canvas, location.code, 20)
    symbol = symbols.code128(f"L:{location.code}")
    _barcode(canvas, symbol, MARGIN + 3.0 * mm, 11.5 * mm, 6)


def _draw_badge(canvas: Canvas, badge: tuple[str, str]) -> None:
    name, code = badge
    _heading(canvas, name, 12)
    _barcode(canvas, symbols.code128(code), MARGIN + 3.0 * mm, 11.5 * mm, 6)


def _render(items: Iterable[T], draw: Callable[[Canvas, T], None], title: str) -> bytes:
    register_fonts()
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(WIDTH, HEIGHT), pageCompression=1)
    canvas.setTitle(title)
    canvas.setCreator("Shipshape")
    for item in items:
        draw(canvas, item)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def render_products(products: Iterable[ProductLabelData]) -> bytes:
    """Product name, SKU as Code 128 and, when known, the GTIN as EAN-13/EAN-8."""
    return _render(products, _draw_product, "Product labels")


def render_locations(locations: Iterable[LocationLabelData]) -> bytes:
    """The bin code in large type over its `L:<code>` Code 128."""
    return _render(locations, _draw_location, "Location labels")


def render_badges(badges: Iterable[tuple[str, str]]) -> bytes:
    """A user's name over their `U:` badge code as Code 128, to scan at log-in."""
    return _render(badges, _draw_badge, "User badges")
