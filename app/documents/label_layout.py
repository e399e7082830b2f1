"""Where things go on a shipping label, in millimetres from the top-left corner.

The PDF and ZPL renderers share this layout, so both print the same label. Text slots
are keyed by field name; `label_fields` gives the text for each key.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from app.documents.addresses import locality
from app.documents.data import LabelData

PAGES: dict[str, tuple[float, float]] = {"4x6": (101.6, 152.4), "100x150": (100.0, 150.0)}
MARGIN = 3.0
QR_SIDE = 22.0
BAR_MODULE = 4 * 25.4 / 203
"""Widest 1D module: 4 dots at 203 dpi (0.5 mm); GS1 asks 0.495 mm or more for SSCC."""


GRAMS_PER_POUND = 453.59237


def shown_weight(grams: int, unit: str) -> str:
    """A parcel weight in the site's unit: "1.25 kg", "1250 g" or "2.76 lb"."""
    if unit == "g":
        return f"{grams} g"
    if unit == "lb":
        return f"{grams / GRAMS_PER_POUND:.2f} lb"
    return f"{grams / 1000:.2f} kg"


@dataclass(frozen=True, slots=True)
class Text:
    """One line of text: `size` is the font's em height; `y` is the top of the line."""

    key: str
    x: float
    y: float
    width: float
    size: float
    bold: bool = False


@dataclass(frozen=True, slots=True)
class Area:
    """A rectangle: a rule (filled), a barcode's space, or the QR's square."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class LabelLayout:
    """A shipping label's page size, texts, rules and barcode areas."""

    width: float
    height: float
    texts: tuple[Text, ...]
    rules: tuple[Area, ...]
    tracking: Area
    sscc: Area
    qr: Area


FROM_KEYS = tuple(f"from_{i}" for i in range(5))
TO_STREET_KEYS = ("to_street_0", "to_street_1", "to_street_2")
TITLES = {
    "from_title": "FROM",
    "to_title": "SHIP TO",
    "weight_title": "WEIGHT",
    "package_title": "PACKAGE",
    "order_title": "ORDER",
    "tracking_title": "TRACKING #",
    "sscc_title": "SSCC",
}
# A return label has no carrier booking of its own: no tracking title over an empty space.
RETURN_TITLES = {
    **TITLES,
    "to_title": "RETURN TO",
    "tracking_title": "",
    "sscc_title": "RETURN AUTHORISATION",
}


def titles_for(label: LabelData) -> dict[str, str]:
    return RETURN_TITLES if label.return_code else TITLES


@cache
def label_layout(page: str) -> LabelLayout:
    """The layout for page "4x6" (inches) or "100x150" (millimetres)."""
    if page not in PAGES:
        raise ValueError(f"Unknown label size {page!r}; use one of {', '.join(PAGES)}")
    width, height = PAGES[page]
    x, full = MARGIN, width - 2 * MARGIN
    left = full * 0.62
    right_x = x + left + 2
    right = full - left - 2
    info = full - QR_SIDE - 2
    texts = [
        Text("from_title", x, 3.0, left, 2.2, bold=True),
        *(Text(key, x, 5.6 + 3.0 * i, left, 2.5) for i, key in enumerate(FROM_KEYS)),
        Text("carrier", right_x, 3.5, right, 4.5, bold=True),
        Text("service", right_x, 10.0, right, 5.5, bold=True),
        Text("to_title", x, 23.0, full, 2.2, bold=True),
        Text("to_name", x, 26.3, full, 6.0, bold=True),
        *(Text(key, x, 33.5 + 5.2 * i, full, 4.5) for i, key in enumerate(TO_STREET_KEYS)),
        Text("to_locality", x, 49.3, full, 5.5, bold=True),
        Text("to_country", x, 55.6, full, 5.5, bold=True),
        Text("weight_title", x, 64.0, info / 2, 2.2, bold=True),
        Text("weight", x, 66.8, info / 2, 5.0, bold=True),
        Text("package_title", x + info / 2, 64.0, info / 2, 2.2, bold=True),
        Text("package", x + info / 2, 66.8, info / 2, 5.0, bold=True),
        Text("order_title", x, 74.5, info, 2.2, bold=True),
        Text("order", x, 77.3, info, 5.0, bold=True),
        Text("ref", x, 83.5, info, 3.0),
        Text("qr_text", width - MARGIN - QR_SIDE, 86.0, QR_SIDE, 2.2),
        Text("tracking_title", x, 90.6, full, 2.2, bold=True),
        Text("tracking_text", x, 109.4, full, 3.2),
        Text("sscc_title", x, 114.6, full, 2.2, bold=True),
        Text("sscc_text", x, 142.4, full, 3.2),
    ]
    rules = tuple(Area(x, y, full, 0.5) for y in (21.5, 62.5, 89.5, 113.5))
    return LabelLayout(
        width,
        height,
        tuple(texts),
        (*rules, Area(right_x - 2, 3.0, 0.35, 17.5)),
        tracking=Area(x, 93.5, full, 15.0),
        sscc=Area(x, 117.5, full, 24.0),
        qr=Area(width - MARGIN - QR_SIDE, 64.0, QR_SIDE, QR_SIDE),
    )


CENTRED = frozenset({"qr_text", "tracking_text", "sscc_text"})
SENDER = frozenset({*FROM_KEYS, "carrier", "service"})
"""Slots that depend only on sender, carrier and service: the same for a whole batch."""


def qr_data(label: LabelData) -> str:
    """What the QR code carries: the return's code on a return label, else the order."""
    return label.return_code or f"O:{label.order_number}"


def label_fields(label: LabelData, sscc_text: str) -> dict[str, str]:
    """The text of every slot (untrusted, not yet escaped); absent slots are empty."""
    sender, to = label.ship_from, label.ship_to
    street = ", ".join(s for s in (sender.address1, sender.address2) if s.strip())
    sender_lines = (sender.name, sender.company, street, locality(sender), sender.country.upper())
    company = to.company if to.name.strip() else ""
    streets = [s for s in (company, to.address1, to.address2) if s.strip()]
    fields: dict[str, str] = {}
    fields.update(zip(FROM_KEYS, [line for line in sender_lines if line.strip()], strict=False))
    # Street lines sit just above the city line, whatever their number.
    fields.update(zip(TO_STREET_KEYS[len(TO_STREET_KEYS) - len(streets) :], streets, strict=True))
    fields.update(
        carrier=label.carrier,
        service=label.service_level,
        to_name=to.name if to.name.strip() else to.company,
        to_locality=locality(to),
        to_country=to.country.strip().upper(),
        weight=shown_weight(label.weight_g, label.weight_unit),
        package=f"{label.package_index} of {label.package_count}",
        order=label.order_number,
        ref=f"Ref {label.external_ref}" if label.external_ref else "",
        qr_text=qr_data(label),
        tracking_text=label.tracking_number,
        sscc_text=label.return_code or sscc_text,
    )
    return fields
