"""The embedded fonts, and making untrusted text safe to draw with them.

DejaVu Sans draws Latin, Greek, Cyrillic, Arabic and Hebrew. Chinese, Japanese and
Korean each have their own font, registered the first time a text needs it.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
JAPANESE = "IPAexGothic"
KOREAN = "NanumGothic"
CHINESE = "DroidSansFallback"
_CJK_FILES = {
    JAPANESE: "ipaexg.ttf",
    KOREAN: "NanumGothic.ttf",
    CHINESE: "DroidSansFallbackFull.ttf",
}
MISSING = "?"
ELLIPSIS = "\u2026"
_WHITESPACE_CONTROLS = {"\t", "\n", "\r", "\v", "\f"}


def _bmp(face: TTFont) -> frozenset[int]:
    # Astral code points (most emoji) count as missing: reportlab's ToUnicode map would
    # extract them as the wrong character.
    return frozenset(c for c in face.face.charToGlyph if c <= 0xFFFF)


@cache
def base_glyphs() -> frozenset[int]:
    """Register REGULAR and BOLD once; return the code points that both can draw."""
    faces = [TTFont(name, str(FONT_DIR / f"{name}.ttf")) for name in (REGULAR, BOLD)]
    for face in faces:
        pdfmetrics.registerFont(face)
    pdfmetrics.registerFontFamily(
        REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
    )
    return frozenset.intersection(*map(_bmp, faces))


@cache
def cjk_glyphs(font: str) -> frozenset[int]:
    """Register the CJK font `font` (JAPANESE, KOREAN or CHINESE) once; return the code
    points it can draw. One weight serves as regular and bold."""
    face = TTFont(font, str(FONT_DIR / _CJK_FILES[font]))
    pdfmetrics.registerFont(face)
    pdfmetrics.registerFontFamily(font, normal=font, bold=font, italic=font, boldItalic=font)
    return _bmp(face)


def register_fonts() -> None:
    """Make REGULAR and BOLD usable by name in reportlab (idempotent)."""
    base_glyphs()


def clean(text: str) -> str:
    """One line of text: NFC, runs of whitespace as one space, other controls dropped."""
    if text.isascii() and text.isprintable():
        return text
    out: list[str] = []
    for char in unicodedata.normalize("NFC", text):
        if char in _WHITESPACE_CONTROLS:
            out.append(" ")
        elif unicodedata.category(char) != "Cc":
            out.append(char)
    return " ".join("".join(out).split())


def printable(text: str) -> str:
    """One line of drawable text in REGULAR or BOLD alone: `clean`, and characters
    those fonts lack replaced by MISSING."""
    line = clean(text)
    if line.isascii():
        return line
    glyphs = base_glyphs()
    return "".join(char if ord(char) in glyphs else MISSING for char in line)


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
