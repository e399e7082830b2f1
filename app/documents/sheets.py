"""Shared pieces of the A4/Letter documents: paper, styles, escaped paragraphs, footer."""

from __future__ import annotations

import io
from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate
from reportlab.platypus.tables import TableStyle

from app.documents.fonts import BOLD, REGULAR, printable, register_fonts
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


def para(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    """Untrusted text as a Paragraph: never interpreted as markup (CVE-2023-33733)."""
    return Paragraph(escape(printable(text)), style)


def lines(texts: Sequence[str], style: ParagraphStyle = BODY) -> Paragraph:
    """Several untrusted lines in one Paragraph, each escaped."""
    return Paragraph("<br/>".join(escape(printable(t)) for t in texts if t.strip()), style)


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
