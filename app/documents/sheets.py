"""Shared pieces of the A4/Letter documents: paper, styles, escaped paragraphs, footer."""

from __future__ import annotations

import io
from collections.abc import Sequence

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate
from reportlab.platypus.tables import TableStyle

from app.documents import scripts
from app.documents.fonts import BOLD, REGULAR, clean, printable, register_fonts
from app.documents.symbols import Linear
from app.documents.vector import SymbolFlowable, SymbolTooWideError

PAPERS = {"A4": A4, "Letter": LETTER}
MARGIN = 15 * mm

BODY = ParagraphStyle("body", fontName=REGULAR, fontSize=9, leading=11.5)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=7.5, leading=9.5)
STRONG = ParagraphStyle("strong", parent=BODY, fontName=BOLD)
HEADING = ParagraphStyle(
    "heading", parent=BODY, fontName=BOLD, fontSize=11, leading=14, spaceBefore=4, spaceAfter=3
)
TITLE = ParagraphStyle("title", parent=BODY, fontName=BOLD, fontSize=18, leading=22)

GRID = TableStyle(
    [
        ("FONTNAME", (0, 0), (-1, 0), BOLD),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, "black"),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, "#999999"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
)


def _markup(lines: list[scripts.Line], style: ParagraphStyle) -> str:
    return "<br/>".join(scripts.markup(line, style.fontName) for line in lines)


class _RightToLeft(Paragraph):  # type: ignore[misc]
    """Lines holding right-to-left text, broken in reading order for the width they
    get before each is laid out visually: a plain Paragraph would break the visual
    line and so print its end first."""

    def __init__(self, texts: list[str], style: ParagraphStyle, country: str) -> None:
        self._texts = texts
        self._country = country
        self._width = 0.0
        lines = [scripts.layout(text, style.fontName, country) for text in texts]
        super().__init__(_markup(lines, style), style)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        if availWidth != self._width:
            self._width = availWidth
            style = self.style
            room = availWidth - style.leftIndent - style.rightIndent
            lines = [
                line
                for text in self._texts
                for line in scripts.wrap(text, style.fontName, style.fontSize, room, self._country)
            ]
            super().__init__(_markup(lines, style), style)
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        return size

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        parts: list[Flowable] = Paragraph(self.text, self.style).split(availWidth, availHeight)
        return parts


def para(text: str, style: ParagraphStyle = BODY, country: str = "") -> Paragraph:
    """Untrusted text as a Paragraph in its own script (see `scripts`), never
    interpreted as markup (CVE-2023-33733). `country` picks the glyphs for Han."""
    return lines([text], style, country)


def lines(texts: Sequence[str], style: ParagraphStyle = BODY, country: str = "") -> Paragraph:
    """Several untrusted lines in one Paragraph, each as `para` makes it."""
    kept = [clean(text) for text in texts if text.strip()]
    if any(scripts.is_rtl(text) for text in kept):
        return _RightToLeft(kept, style, country)
    return Paragraph(
        _markup([scripts.layout(text, style.fontName, country) for text in kept], style), style
    )


def barcode_or_text(
    symbol: Linear, width: float, bar_height: float, text_size: float = 7
) -> Flowable:
    """The symbol when it fits `width`, else its text: a document must still print."""
    try:
        return SymbolFlowable(symbol, width, bar_height, text_size=text_size)
    except SymbolTooWideError:
        return para(symbol.text, SMALL)


def frame_width(paper: str) -> float:
    """Usable width of A4 or Letter between the margins; ValueError for other paper."""
    if paper not in PAPERS:
        raise ValueError(f"Unknown paper {paper!r}; use one of {', '.join(PAPERS)}")
    return float(PAPERS[paper][0] - 2 * MARGIN)


def build(story: list[Flowable], paper: str, title: str, footer: str) -> bytes:
    """Lay out `story` on A4 or Letter with "<footer> - page N" at the bottom."""
    register_fonts()
    footer = printable(footer)

    def on_page(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        canvas.setFont(REGULAR, 7.5)
        canvas.drawRightString(doc.pagesize[0] - MARGIN, 8 * mm, f"{footer} - page {doc.page}")

    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=PAPERS[paper],
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=title,
        creator="Shipshape",
    )
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return out.getvalue()
