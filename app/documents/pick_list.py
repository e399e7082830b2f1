"""The printed pick list: stops in walking order, each with location, product and order
barcodes so a handheld scanner can confirm every pick."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from app.documents import symbols
from app.documents.data import PickLine, PickListData
from app.documents.fonts import register_fonts
from app.documents.sheets import (
    GRID,
    SMALL,
    STRONG,
    TITLE,
    barcode_or_text,
    build,
    frame_width,
    para,
)
from app.wording import counted

BAR_HEIGHT = 8 * mm
COLUMNS = (("#", 8), ("Location", 46), ("Product", 0), ("Qty", 12), ("Order", 42), ("Tote", 16))
"""Heading and width in mm; the product column takes what is left."""


def _product(line: PickLine, width: float) -> list[Flowable]:
    symbol = symbols.gtin(line.gtin) if line.gtin else symbols.code128(line.sku)
    return [
        para(line.name, SMALL),
        para(f"SKU {line.sku}", SMALL),
        barcode_or_text(symbol, width, BAR_HEIGHT, 6),
    ]


def _row(line: PickLine, widths: list[float]) -> list[object]:
    pad = 4 * mm
    return [
        str(line.sequence),
        barcode_or_text(
            symbols.code128(f"L:{line.location_code}", line.location_code),
            widths[1] - pad,
            BAR_HEIGHT,
            9,
        ),
        _product(line, widths[2] - pad),
        para(str(line.qty), STRONG),
        barcode_or_text(
            symbols.code128(f"O:{line.order_number}", line.order_number),
            widths[4] - pad,
            BAR_HEIGHT,
            8,
        ),
        para(line.tote, SMALL),
    ]


def render(pick_list: PickListData, paper: str = "A4") -> bytes:
    """Header with the list's `P:` barcode, then one row per stop by sequence."""
    register_fonts()
    width = frame_width(paper)
    fixed = sum(w for _, w in COLUMNS) * mm
    widths = [(w * mm if w else width - fixed) for _, w in COLUMNS]
    lines = sorted(pick_list.lines, key=lambda line: line.sequence)
    units = sum(line.qty for line in lines)
    head = Table(
        [
            [
                [
                    para(f"Pick list {pick_list.number}", TITLE),
                    para(f"{counted(len(lines), 'stop')}, {counted(units, 'unit')}", STRONG),
                ],
                barcode_or_text(symbols.code128(f"P:{pick_list.number}"), width * 0.4, 12 * mm),
            ]
        ],
        colWidths=[width * 0.6, width * 0.4],
    )
    head.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "RIGHT")])
    )
    table = Table(
        [[para(h, STRONG) for h, _ in COLUMNS], *(_row(stop, widths) for stop in lines)],
        colWidths=widths,
        repeatRows=1,
    )
    table.setStyle(GRID)
    table.setStyle(
        TableStyle([("ALIGN", (3, 1), (3, -1), "CENTER"), ("FONTSIZE", (0, 1), (0, -1), 11)])
    )
    return build(
        [head, Spacer(1, 5 * mm), table],
        paper,
        f"Pick list {pick_list.number}",
        f"Pick list {pick_list.number}",
    )
