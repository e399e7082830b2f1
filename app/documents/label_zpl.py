"""Shipping labels as ZPL II for 203 and 300 dpi thermal printers.

The printer draws the barcodes (`^BC`, `^BQ`); sizes come from the shared layout in
millimetres. Each label is exactly one `^XA ... ^XZ` format.

Text beyond Latin-1 is drawn in the printer's Unicode TrueType fonts, mapped to a font
letter with `^CW` in the labels that need them (see PRINTER_FONTS); right-to-left text
is sent in reading order and the printer lays it out and joins it (`^PA`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from app.documents.data import LabelData
from app.documents.fonts import JAPANESE, KOREAN
from app.documents.label_layout import (
    BAR_MODULE,
    CENTRED,
    SENDER,
    TITLES,
    Area,
    label_fields,
    label_layout,
    titles_for,
)
from app.documents.label_layout import qr_data as order_qr_data
from app.documents.scripts import cjk_fonts, is_rtl
from app.documents.symbols import require_gs1, sscc_text
from app.documents.zpl import clip, code128_data, columns, escape, sscc_data

DPIS = (203, 300)
CHAR_WIDTH = 0.6
"""Widest average character of ZPL font 0 as a fraction of its width setting."""
TYPICAL_CHAR_WIDTH = 0.5
"""Typical character of ZPL font 0, used to centre text under barcodes."""
FONT_WIDTH = 0.85
"""Font 0 width setting as a fraction of its height: slightly condensed."""
MIN_SCALE = 0.6
"""Long text shrinks down to this fraction of its font size, then is cut."""
_QR_BYTES_M = (14, 26, 42, 62, 84, 106, 122, 152, 180, 213, 251, 287, 331, 362, 412)
"""QR byte-mode capacity at error correction M, versions 1 to 15."""
RESIDENT = "0"
"""The printer's own scalable font: enough for Latin-1."""
PRINTER_FONTS = {
    "W": "E:TT0003M_.TTF",
    "J": "E:ANMDJ.TTF",
    "K": "E:ANMDK.TTF",
    "M": "E:ANMDS.TTF",
    "N": "E:ANMDT.TTF",
}
"""Font letters `^CW` maps to Zebra's Unicode TrueType fonts, which the printer must hold
on E:: Swiss 721 (Latin, Greek, Cyrillic, Arabic, Hebrew) and the Andale Asian fonts for
Japanese, Korean, Simplified and Traditional Chinese. No letter shadows a built-in font."""
_CJK_LETTERS = {JAPANESE: "J", KOREAN: "K"}
_TRADITIONAL = frozenset({"TW", "HK", "MO"})
BIDI_AND_SHAPING = "^PA0,1,1,0"
"""Advanced text properties: bidirectional layout and character shaping on."""


def printer_font(text: str, country: str = "") -> str:
    """The font letter to draw `text` with: RESIDENT when it is Latin-1, a CJK font
    when it holds wide East Asian characters (chosen as for PDF), else Swiss 721."""
    if all(ord(c) < 0x100 for c in text):
        return RESIDENT
    if any(unicodedata.east_asian_width(c) in "WF" for c in text):
        first = cjk_fonts(text, country)[0]
        default = "N" if country.strip().upper() in _TRADITIONAL else "M"
        return _CJK_LETTERS.get(first, default)
    return "W"


@dataclass(frozen=True, slots=True)
class _Text:
    key: str
    x: int
    y: int
    height: int
    width: int
    max_chars: int
    centre_width: int
    """Width to centre the text in, or 0 to start it at `x`."""

    def command(self, value: str, font: str = RESIDENT) -> str:
        """The escaped field for `value` in font letter `font`, shrunk or cut to fit."""
        height, width = self.height, self.width
        cells = columns(value)
        if cells > self.max_chars:
            scale = max(MIN_SCALE, self.max_chars / cells)
            value = clip(value, int(self.max_chars / scale))
            height, width = int(height * scale), int(width * scale)
        x = self.x
        if self.centre_width:
            x += max(0, round(self.centre_width - columns(value) * TYPICAL_CHAR_WIDTH * width) // 2)
        return f"^FO{x},{self.y}^A{font}N,{height},{width}^FH_^FD{escape(value)}^FS"


@dataclass(frozen=True, slots=True)
class _Template:
    head: str
    texts: tuple[_Text, ...]
    tracking: tuple[int, int, int, int]
    sscc: tuple[int, int, int, int]
    qr: tuple[int, int, int, int]
    largest_module: int


@cache
def _template(page: str, dpi: int, titles: tuple[tuple[str, str], ...]) -> _Template:
    if dpi not in DPIS:
        raise ValueError(f"ZPL labels are made for {' or '.join(map(str, DPIS))} dpi, not {dpi}")
    layout = label_layout(page)

    def dots(mm: float) -> int:
        return round(mm * dpi / 25.4)

    def box(area: Area) -> tuple[int, int, int, int]:
        return dots(area.x), dots(area.y), dots(area.width), dots(area.height)

    head = [f"^XA^CI28^PW{dots(layout.width)}^LL{dots(layout.height)}^LH0,0"]
    head += [f"^FO{x},{y}^GB{w},{h},{min(w, h)}^FS" for x, y, w, h in map(box, layout.rules)]
    texts = []
    for text in layout.texts:
        height = dots(text.size)
        width = round(height * FONT_WIDTH)
        max_chars = int(dots(text.width) / (CHAR_WIDTH * width))
        centre = dots(text.width) if text.key in CENTRED else 0
        slot = _Text(text.key, dots(text.x), dots(text.y), height, width, max_chars, centre)
        if text.key in TITLES:
            if dict(titles)[text.key]:
                head.append(slot.command(dict(titles)[text.key]))
        else:
            texts.append(slot)
    return _Template(
        "".join(head),
        tuple(texts),
        box(layout.tracking),
        box(layout.sscc),
        box(layout.qr),
        dots(BAR_MODULE),
    )


def _barcode(area: tuple[int, int, int, int], data: str, count: int, largest: int) -> str:
    """`^BC` centred in `area`: `count` symbols of 11 modules, stop (13), quiet zones."""
    x, y, width, height = area
    total = count * 11 + 13 + 20
    module = min(largest, width // total)
    if module < 2:
        raise ValueError(f"Barcode data too long for the label: {data!r}")
    left = x + (width - total * module) // 2 + 10 * module
    return f"^FO{left},{y}^BY{module}^BCN,{height},N,N,N,N^FH_^FD{escape(data)}^FS"


def _qr(area: tuple[int, int, int, int], data: str) -> str:
    """`^BQ` (model 2, level M) as large as fits `area`, sized for byte-mode data."""
    x, y, side, _ = area
    size = len(data.encode())
    version = next((v for v, cap in enumerate(_QR_BYTES_M, 1) if size <= cap), None)
    if version is None:
        raise ValueError(f"QR data too long for the label: {data!r}")
    magnification = max(1, min(10, side // (17 + 4 * version + 8)))
    quiet = 4 * magnification
    return f"^FO{x + quiet},{y + quiet}^BQN,2,{magnification}^FH_^FDMA,{escape(data)}^FS"


def _label(page: str, dpi: int, label: LabelData) -> str:
    template = _template(page, dpi, tuple(titles_for(label).items()))
    if not label.return_code:
        require_gs1(label.sscc, (18,), "SSCC")
    shown = "" if label.return_code else sscc_text(label.sscc, label.sscc_prefix_length)
    fields = label_fields(label, shown)
    texts = []
    for text in template.texts:
        value = fields.get(text.key)
        if value:
            sender = text.key in SENDER
            country = label.ship_from.country if sender else label.ship_to.country
            texts.append((text, value, printer_font(value, country)))
    fonts = sorted({font for *_, font in texts} - {RESIDENT})
    parts = [template.head, *(f"^CW{font},{PRINTER_FONTS[font]}" for font in fonts)]
    if any(is_rtl(value) for _, value, _ in texts):
        parts.append(BIDI_AND_SHAPING)
    parts += [text.command(value, font) for text, value, font in texts]
    if label.tracking_number:
        parts.append(
            _barcode(
                template.tracking, *code128_data(label.tracking_number), template.largest_module
            )
        )
    code = code128_data(label.return_code) if label.return_code else sscc_data(label.sscc)
    parts.append(_barcode(template.sscc, *code, template.largest_module))
    parts.append(_qr(template.qr, order_qr_data(label)))
    parts.append("^XZ\n")
    return "".join(parts)


def render(labels: Iterable[LabelData], dpi: int = 203, page: str = "4x6") -> bytes:
    """One `^XA ... ^XZ` format per label, UTF-8 (`^CI28`)."""
    return "".join([_label(page, dpi, label) for label in labels]).encode()
