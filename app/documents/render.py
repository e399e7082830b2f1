"""What the services call: every printed document as bytes, from plain data."""

from __future__ import annotations

from collections.abc import Sequence

from app.documents import label_pdf, label_zpl, packing_slip, pick_list, small_labels
from app.documents.data import (
    LabelData,
    LocationLabelData,
    PickListData,
    ProductLabelData,
    SlipData,
)


def _require(items: Sequence[object], what: str) -> None:
    if not items:
        raise ValueError(f"No {what} to render")


def render_label_pdf(labels: Sequence[LabelData], page: str = "4x6") -> bytes:
    """Shipping labels, one per page, on "4x6" (inch) or "100x150" (mm) stock."""
    _require(labels, "shipping labels")
    return label_pdf.render(labels, page)


def render_label_zpl(labels: Sequence[LabelData], dpi: int = 203, page: str = "4x6") -> bytes:
    """Shipping labels as ZPL II for a 203 or 300 dpi printer, one ^XA...^XZ each."""
    _require(labels, "shipping labels")
    return label_zpl.render(labels, dpi, page)


def render_packing_slip(slip: SlipData, paper: str = "A4") -> bytes:
    """A packing slip PDF on "A4" or "Letter"."""
    return packing_slip.render(slip, paper)


def render_pick_list(picks: PickListData, paper: str = "A4") -> bytes:
    """A pick list PDF on "A4" or "Letter", stops in walking order."""
    return pick_list.render(picks, paper)


def render_product_labels(products: Sequence[ProductLabelData]) -> bytes:
    """2x1 in product labels (SKU Code 128, GTIN as EAN), one per page."""
    _require(products, "product labels")
    return small_labels.render_products(products)


def render_location_labels(locations: Sequence[LocationLabelData]) -> bytes:
    """2x1 in bin labels (code in large type, `L:<code>` Code 128), one per page."""
    _require(locations, "location labels")
    return small_labels.render_locations(locations)
