"""Untrusted text in any script, laid out to be drawn left to right.

A PDF draws glyphs strictly left to right, one font at a time. So a line holding
Arabic or Hebrew first gets its Arabic letters in their joined forms (arabic-reshaper)
and then goes through the Unicode bidi algorithm (python-bidi) into visual order; then
each character is drawn in the first font that has it: DejaVu, else the CJK font that
suits the text (kana: Japanese, Hangul: Korean, Han alone: by the destination country,
Chinese where that says nothing). A character no font has becomes MISSING.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from xml.sax.saxutils import escape

from arabic_reshaper import ArabicReshaper
from bidi import get_base_level, get_display
from reportlab.pdfbase.pdfmetrics import stringWidth

from app.documents.fonts import (
    CHINESE,
    ELLIPSIS,
    JAPANESE,
    KOREAN,
    MISSING,
    base_glyphs,
    cjk_glyphs,
    clean,
)

_RESHAPER = ArabicReshaper(configuration={"delete_harakat": False, "ARABIC LIGATURE ALLAH": False})
_RTL = frozenset({"R", "AL"})
_KANA = ((0x3040, 0x30FF), (0x31F0, 0x31FF), (0xFF66, 0xFF9F))
_HANGUL = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF))
_PRESENTATION = ((0xFB50, 0xFDFF), (0xFE70, 0xFEFF))
_BY_COUNTRY = {"JP": JAPANESE, "KR": KOREAN, "KP": KOREAN}
CJK_FONTS = (JAPANESE, KOREAN, CHINESE)


@dataclass(frozen=True, slots=True)
class Run:
    """Characters drawn in one font, in visual order."""

    text: str
    font: str


Line = tuple[Run, ...]


def _within(char: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in ranges)


def is_rtl(text: str) -> bool:
    """Whether `text` holds a right-to-left letter (Arabic, Hebrew, ...)."""
    return not text.isascii() and any(unicodedata.bidirectional(c) in _RTL for c in text)


def direction(text: str) -> str:
    """The paragraph direction of `text` by its first strong letter: "R" or "L"."""
    return "R" if is_rtl(text) and get_base_level(text) == 1 else "L"


def cjk_fonts(text: str, country: str = "") -> tuple[str, ...]:
    """The CJK fonts to try for `text`, the one that suits it first."""
    if any(_within(c, _KANA) for c in text):
        first = JAPANESE
    elif any(_within(c, _HANGUL) for c in text):
        first = KOREAN
    else:
        first = _BY_COUNTRY.get(country.strip().upper(), CHINESE)
    return (first, *(font for font in CJK_FONTS if font != first))


def _visual(line: str, base: str | None) -> str:
    """Arabic joined and the whole line in visual order; a joined form the font lacks
    falls back to the plain letter."""
    glyphs = base_glyphs()
    shaped = "".join(
        c if ord(c) in glyphs or not _within(c, _PRESENTATION) else unicodedata.normalize("NFKC", c)
        for c in _RESHAPER.reshape(line)
    )
    visual: str = get_display(shaped, base_dir=base)
    return visual


def layout(text: str, font: str, country: str = "", base: str | None = None) -> Line:
    """One line of untrusted text as runs to draw left to right with `font` (REGULAR or
    BOLD) where it has the glyph. `country` picks the font for Han characters; `base`
    ("L" or "R") overrides the paragraph direction found from the text."""
    line = clean(text)
    if line.isascii():
        return (Run(line, font),) if line else ()
    if is_rtl(line):
        line = _visual(line, base)
    glyphs = base_glyphs()
    order: tuple[str, ...] = ()
    fonts: list[str] = []
    chars: list[str] = []
    for char in line:
        chosen = font
        if ord(char) not in glyphs:
            order = order or cjk_fonts(line, country)
            chosen = next((f for f in order if ord(char) in cjk_glyphs(f)), font)
            if chosen == font:
                char = MISSING
        fonts.append(chosen)
        chars.append(char)
    runs: list[Run] = []
    start = 0
    for end in range(1, len(chars) + 1):
        if end == len(chars) or fonts[end] != fonts[start]:
            runs.append(Run("".join(chars[start:end]), fonts[start]))
            start = end
    return tuple(runs)


def width(line: Line, size: float) -> float:
    """Width of `line` in points at `size`."""
    return float(sum(stringWidth(run.text, run.font, size) for run in line))


def fit(
    text: str, font: str, size: float, room: float, min_size: float, country: str = ""
) -> tuple[Line, float]:
    """`layout(text)` shrunk from `size` down to `min_size` points to fit `room` points,
    then cut at its logical end with an ellipsis; returns the line and its size."""
    line = layout(text, font, country)
    natural = width(line, size)
    if natural <= room:
        return line, size
    shrunk = size * room / natural
    if shrunk >= min_size:
        return line, shrunk
    logical = clean(text)
    base = direction(logical)
    lo, hi = 0, len(logical)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if width(layout(logical[:mid] + ELLIPSIS, font, country, base), min_size) <= room:
            lo = mid
        else:
            hi = mid - 1
    return layout(logical[:lo].rstrip() + ELLIPSIS, font, country, base), min_size


def markup(line: Line, font: str) -> str:
    """`line` as reportlab Paragraph markup: every run escaped (never markup itself),
    runs in another font than the paragraph's `font` in a font tag."""
    return "".join(
        escape(run.text)
        if run.font == font
        else f'<font name="{run.font}">{escape(run.text)}</font>'
        for run in line
    )


def wrap(text: str, font: str, size: float, room: float, country: str = "") -> list[Line]:
    """`text` broken at spaces into lines of at most `room` points in reading order,
    each then laid out visually in the direction of the whole text."""
    base = direction(text)
    lines: list[str] = []
    for word in clean(text).split(" "):
        joined = f"{lines[-1]} {word}" if lines else word
        if lines and width(layout(joined, font, country, base), size) <= room:
            lines[-1] = joined
        else:
            lines.append(word)
    return [layout(line, font, country, base) for line in lines]
