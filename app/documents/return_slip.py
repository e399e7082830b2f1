"""The return slip: what the customer sends back under an RMA, and how, to go in the
parcel (its `R:` barcode opens the return at the returns station)."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table, TableStyle

from app.documents import symbols
from app.documents.addresses import address_lines
from app.documents.data import Address
from app.documents.fonts import register_fonts
from app.documents.sheets import (
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

INSTRUCTIONS = (
    "Pack the items below securely with this slip inside. Stick the return label on "
    "the parcel (or write the return number on it clearly) and hand it to the carrier."
)


@dataclass(frozen=True, slots=True)
class ReturnSlipLine:
    sku: str
    name: str
    quantity: int


@dataclass(frozen=True, slots=True)
class ReturnSlipData:
    number: str  # RMA-100001
    order_number: str
    external_ref: str
    customer: Address
    return_to: Address
    reason: str
    resolution: str
    lines: tuple[ReturnSlipLine, ...]
    sender: str = ""


def render(slip: ReturnSlipData, paper: str = "A4") -> bytes:
    """The slip on A4 or Letter."""
    register_fonts()  # before any Paragraph: the styles name the registered fonts
    width = frame_width(paper)
    country = slip.customer.country
    facts = [para(slip.sender, HEADING)] if slip.sender else []
    facts += [
        para("Return slip", TITLE),
        para(f"Return {slip.number}", HEADING),
        para(
            f"Order {slip.order_number}" + (f" ({slip.external_ref})" if slip.external_ref else "")
        ),
        para(f"Reason: {slip.reason.replace('_', ' ')} - wanted: {slip.resolution}"),
    ]
    code = barcode_or_text(symbols.code128(f"R:{slip.number}"), width * 0.45, 14 * mm)
    header = Table([[facts, code]], colWidths=[width * 0.55, width * 0.45])
    header.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (1, 0), (1, 0), "RIGHT")])
    )
    addresses = Table(
        [
            [para("From", STRONG), para("Send to", STRONG)],
            [
                lines(address_lines(slip.customer), country=country),
                lines(address_lines(slip.return_to), country=slip.return_to.country),
            ],
        ],
        colWidths=[width / 2, width / 2],
    )
    addresses.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    items = Table(
        [
            [para("SKU", STRONG), para("Item", STRONG), para("Qty", STRONG)],
            *(
                [
                    para(line.sku, SMALL, country),
                    para(line.name, country=country),
                    str(line.quantity),
                ]
                for line in slip.lines
            ),
        ],
        repeatRows=1,
        colWidths=[32 * mm, width - 50 * mm, 18 * mm],
    )
    items.setStyle(GRID)
    story: list[Flowable] = [
        header,
        Spacer(1, 5 * mm),
        addresses,
        Spacer(1, 5 * mm),
        items,
        Spacer(1, 5 * mm),
        para(INSTRUCTIONS),
    ]
    return build(story, paper, f"Return {slip.number}", f"Return {slip.number}")
