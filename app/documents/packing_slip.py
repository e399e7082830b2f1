"""The packing slip that travels in the box: what is in this shipment, what follows,
and how to send things back."""

from __future__ import annotations

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from app.documents import symbols
from app.documents.addresses import address_lines
from app.documents.data import SlipData
from app.documents.fonts import register_fonts
from app.documents.sheets import (
    BODY,
    GRID,
    HEADING,
    SMALL,
    STRONG,
    TITLE,
    barcode_or_text,
    build,
    frame_width,
    lines,
    para,
)

NUMBER_HEAD = ParagraphStyle("number_head", parent=STRONG, alignment=TA_CENTER)
RETURN_INSTRUCTIONS = (
    "To return an item, pack it securely with this slip and show or write the return "
    "code below on the parcel. We will refund or exchange it when it arrives."
)


def _header(slip: SlipData, width: float) -> Flowable:
    facts = [para(slip.sender, HEADING)] if slip.sender else []
    facts += [para("Packing slip", TITLE), para(f"Order {slip.order_number}", HEADING)]
    if slip.external_ref:
        facts.append(para(f"Your reference: {slip.external_ref}"))
    facts.append(para(f"Placed: {slip.placed_at:%Y-%m-%d}"))
    order = barcode_or_text(symbols.code128(f"O:{slip.order_number}"), width * 0.45, 14 * mm)
    table = Table([[facts, order]], colWidths=[width * 0.55, width * 0.45])
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "RIGHT")])
    )
    return table


def _addresses(slip: SlipData, width: float) -> Flowable:
    cells = [
        [para("Ship to", STRONG), para("Bill to", STRONG) if slip.bill_to else ""],
        [
            lines(address_lines(slip.ship_to), country=slip.ship_to.country),
            lines(address_lines(slip.bill_to), country=slip.bill_to.country)
            if slip.bill_to
            else "",
        ],
    ]
    table = Table(cells, colWidths=[width / 2, width / 2])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _items(slip: SlipData, width: float) -> Flowable:
    country = slip.ship_to.country
    head = [
        para("SKU", STRONG),
        para("Item", STRONG),
        *(para(h, NUMBER_HEAD) for h in ("Ordered", "In this box", "To follow")),
    ]
    rows = [
        [
            para(line.sku, SMALL, country),
            para(line.name, country=country),
            str(line.qty_ordered),
            str(line.qty_in_this_shipment),
            str(line.qty_to_follow or ""),
        ]
        for line in slip.lines
    ]
    number = 19 * mm
    table = Table(
        [head, *rows],
        repeatRows=1,
        colWidths=[32 * mm, width - 32 * mm - 3 * number, number, number, number],
    )
    table.setStyle(GRID)
    table.setStyle(TableStyle([("ALIGN", (2, 1), (-1, -1), "CENTER")]))
    return table


def _returns(slip: SlipData, width: float) -> Flowable:
    code = barcode_or_text(symbols.code128(slip.return_code), width * 0.5, 12 * mm, 8)
    parts: list[Flowable] = [para("Returns", HEADING), para(RETURN_INSTRUCTIONS)]
    if slip.return_to is not None:
        parts += [
            para("Send returns to", STRONG),
            lines(address_lines(slip.return_to), country=slip.return_to.country),
        ]
    return KeepTogether([*parts, Spacer(1, 3 * mm), code])


def render(slip: SlipData, paper: str = "A4") -> bytes:
    """The slip on A4 or Letter; long orders continue on further pages."""
    register_fonts()
    width = frame_width(paper)
    story: list[Flowable] = [
        _header(slip, width),
        Spacer(1, 5 * mm),
        _addresses(slip, width),
        Spacer(1, 5 * mm),
        _items(slip, width),
    ]
    if any(line.qty_to_follow for line in slip.lines):
        story += [
            Spacer(1, 2 * mm),
            para("Items under 'To follow' are on their way in a separate parcel.", BODY),
        ]
    if slip.notes.strip():
        story += [para("Notes", HEADING), para(slip.notes, country=slip.ship_to.country)]
    story += [Spacer(1, 6 * mm), _returns(slip, width)]
    return build(story, paper, f"Packing slip {slip.order_number}", f"Order {slip.order_number}")
