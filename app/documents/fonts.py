"""The embedded DejaVu fonts, and making untrusted text safe to draw with them."""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
MISSING = "?"
ELLIPSIS = "\u2026"
_WHITESPACE_CONTROLS = {"\t", "\n", "\r", "\v", "\f"}


@cache
def _glyphs() -> frozenset[int]:
    """Register both faces once; return the code points that both can draw."""
    faces = [TTFont(name, str(FONT_DIR / f"{name}.ttf")) for name in (REGULAR, BOLD)]
    for face in faces:
        pdfmetrics.registerFont(face)
    pdfmetrics.registerFontFamily(
        REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
    )
    # Astral code points (most emoji) count as missing: reportlab's ToUnicode map would
    # extract them as the wrong character.
    return frozenset.intersection(
        *(frozenset(c for c in face.face.charToGlyph if c <= 0xFFFF) for face in faces)
    )


def register_fonts() -> None:
    """Make REGULAR and BOLD usable by name in reportlab (idempotent)."""
    _glyphs()


def printable(text: str) -> str:
    """One line of drawable text: NFC, runs of whitespace as one space, other controls
    dropped, characters the fonts lack replaced by MISSING."""
    if text.isascii() and text.isprintable():
        return text
    glyphs = _glyphs()
    out: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        if char in _WHITESPACE_CONTROLS:
            out.append(" ")
        elif unicodedata.category(char) == "Cc":
            continue
        else:
            out.append(char if ord(char) in glyphs else MISSING)
    return " ".join("".join(out).split())


def fit(text: str, font: str, size: float, width: float, min_size: float) -> tuple[str, float]:
    """Shrink `text` from `size` down to `min_size` points to fit `width` points, then
    cut it with an ellipsis; returns the text to draw and its size."""
    natural = pdfmetrics.stringWidth(text, font, size)
    if natural <= width:
        return text, size
    shrunk = size * width / natural
    if shrunk >= min_size:
        return text, shrunk
    lo, hi = 0, len(text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if pdfmetrics.stringWidth(text[:mid] + ELLIPSIS, font, min_size) <= width:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + ELLIPSIS, min_size
