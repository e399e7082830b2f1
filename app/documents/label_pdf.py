"""Shipping labels as PDF: one page per label, drawn directly on the canvas."""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.documents import scripts, symbols
from app.documents.data import LabelData
from app.documents.fonts import BOLD, REGULAR, register_fonts
from app.documents.label_layout import (
    BAR_MODULE,
    CENTRED,
    SENDER,
    TITLES,
    Area,
    label_fields,
    label_layout,
    qr_data,
    titles_for,
)
from app.documents.vector import draw_linear, draw_matrix, module_size

_STATIC = "label-static"
ASCENT = 0.78
"""Baseline below the top of a line, as a fraction of the font size (DejaVu Sans)."""
FAUX_BOLD = 0.6
"""Outline stroke in points that thickens CJK text in bold slots: those fonts have one
weight."""


@dataclass(frozen=True, slots=True)
class _Slot:
    key: str
    x: float
    baseline: float
    width: float
    size: float
    font: str
    centred: bool


@dataclass(frozen=True, slots=True)
class _Page:
    width: float
    height: float
    slots: tuple[_Slot, ...]
    sender: tuple[_Slot, ...]
    titles: tuple[_Slot, ...]
    rules: tuple[tuple[float, float, float, float], ...]
    tracking: tuple[float, float, float, float]
    sscc: tuple[float, float, float, float]
    qr: tuple[float, float, float, float]


def _points(area: Area, page_height: float) -> tuple[float, float, float, float]:
    """x, bottom, width, height in points."""
    return (
        area.x * mm,
        (page_height - area.y - area.height) * mm,
        area.width * mm,
        area.height * mm,
    )


@cache
def _page(page: str) -> _Page:
    layout = label_layout(page)
    slots = tuple(
        _Slot(
            t.key,
            t.x * mm,
            (layout.height - t.y - ASCENT * t.size) * mm,
            t.width * mm,
            t.size * mm,
            BOLD if t.bold else REGULAR,
            t.key in CENTRED,
        )
        for t in layout.texts
    )
    return _Page(
        layout.width * mm,
        layout.height * mm,
        tuple(slot for slot in slots if slot.key not in TITLES and slot.key not in SENDER),
        tuple(slot for slot in slots if slot.key in SENDER),
        tuple(slot for slot in slots if slot.key in TITLES),
        tuple(_points(r, layout.height) for r in layout.rules),
        _points(layout.tracking, layout.height),
        _points(layout.sscc, layout.height),
        _points(layout.qr, layout.height),
    )


def _draw_barcode(
    canvas: Canvas, symbol: symbols.Linear, area: tuple[float, float, float, float]
) -> None:
    x, bottom, width, height = area
    module = module_size(symbol.total_modules, width, BAR_MODULE * mm)
    draw_linear(
        canvas, symbol, x + (width - symbol.total_modules * module) / 2, bottom, module, height
    )


def _draw_texts(
    canvas: Canvas, slots: tuple[_Slot, ...], fields: dict[str, str], country: str = ""
) -> None:
    """Each slot's text in its own script (see `scripts`); `country` picks Han glyphs."""
    canvas.setLineWidth(FAUX_BOLD)
    text = canvas.beginText()
    mode = 0
    for slot in slots:
        value = fields.get(slot.key)
        if not value:
            continue
        line, size = scripts.fit(value, slot.font, slot.size, slot.width, slot.size * 0.6, country)
        x = slot.x
        if slot.centred:
            x += (slot.width - scripts.width(line, size)) / 2
        text.setTextOrigin(x, slot.baseline)
        for run in line:
            faux_bold = int(slot.font == BOLD and run.font in scripts.CJK_FONTS) * 2
            if faux_bold != mode:
                mode = faux_bold
                text.setTextRenderMode(mode)
            text.setFont(run.font, size)
            text.textOut(run.text)
    canvas.drawText(text)


def _define_static(canvas: Canvas, page: _Page, name: str, titles: dict[str, str]) -> None:
    """What every label of a kind shares (titles, rules), drawn once as a form."""
    canvas.beginForm(name)
    _draw_texts(canvas, page.titles, titles)
    for x, y, width, height in page.rules:
        canvas.rect(x, y, width, height, stroke=0, fill=1)
    canvas.endForm()


def _draw_label(canvas: Canvas, page: _Page, label: LabelData, forms: dict[object, str]) -> None:
    code = (
        symbols.code128(label.return_code)
        if label.return_code
        else symbols.sscc(label.sscc, label.sscc_prefix_length)
    )
    fields = label_fields(label, code.text)
    kind = ("titles", bool(label.return_code))
    if kind not in forms:
        forms[kind] = f"{_STATIC}-return" if label.return_code else _STATIC
        _define_static(canvas, page, forms[kind], titles_for(label))
    sender = (label.ship_from, label.carrier, label.service_level)
    if sender not in forms:
        forms[sender] = f"sender-{len(forms)}"
        canvas.beginForm(forms[sender])
        _draw_texts(canvas, page.sender, fields, label.ship_from.country)
        canvas.endForm()
    canvas.doForm(forms[kind])
    canvas.doForm(forms[sender])
    _draw_texts(canvas, page.slots, fields, label.ship_to.country)
    if label.tracking_number:
        _draw_barcode(canvas, symbols.code128(label.tracking_number), page.tracking)
    _draw_barcode(canvas, code, page.sscc)
    qr = symbols.qr(qr_data(label))
    x, bottom, side, _ = page.qr
    module = module_size(qr.total_modules, side, side)
    offset = (side - qr.total_modules * module) / 2
    draw_matrix(canvas, qr, x + offset, bottom + offset, module)


def render(labels: Iterable[LabelData], page: str = "4x6") -> bytes:
    """Every label on its own page of one PDF.

    What labels share (titles, rules; sender, carrier and service) is drawn once as a
    form. Pages are not compressed: that would cost a third more time for a file about
    2.5 times smaller.
    """
    register_fonts()
    geometry = _page(page)
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(geometry.width, geometry.height), pageCompression=0)
    canvas.setTitle("Shipping labels")
    canvas.setCreator("Shipshape")
    senders: dict[object, str] = {}
    for label in labels:
        _draw_label(canvas, geometry, label, senders)
        canvas.showPage()
    canvas.save()
    return out.getvalue()
