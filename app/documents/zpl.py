"""ZPL II building blocks: escaping untrusted text and Code 128 field data.

Every field is sent as `^FH_^FD...^FS`: `^`, `~` and `_` become hex escapes, control
characters are dropped and every other non-ASCII character travels as the hex escapes
of its UTF-8 bytes (`^CI28`), so customer text can never start a ZPL command and the
format itself is plain ASCII.
"""

from __future__ import annotations

import re
import unicodedata

_ESCAPES: dict[int, str | None] = {
    ord("^"): "_5E",
    ord("~"): "_7E",
    ord("_"): "_5F",
    **{code: None for code in range(0x20)},
}
_SPECIAL = re.compile(r"[\x00-\x1f^~_]")
_DIGIT_RUN = re.compile(r"\d{4,}")
_ELLIPSIS = "..."


def _utf8_escapes(char: str) -> str:
    return "".join(f"_{byte:02X}" for byte in char.encode())


def escape(text: str) -> str:
    """Field data for `^FH_`: hex-escape `^ ~ _` and the UTF-8 bytes of non-ASCII
    characters, drop characters below 0x20."""
    if text.isascii():
        return text if _SPECIAL.search(text) is None else text.translate(_ESCAPES)
    escaped = unicodedata.normalize("NFC", text).translate(_ESCAPES)
    return "".join(c if c.isascii() else _utf8_escapes(c) for c in escaped)


def columns(text: str) -> int:
    """Width of `text` in character cells: wide East Asian characters take two."""
    if text.isascii():
        return len(text)
    return len(text) + sum(unicodedata.east_asian_width(c) in "WF" for c in text)


def clip(text: str, max_columns: int) -> str:
    """Cut `text` to `max_columns` cells (before escaping, so no escape is split)."""
    if columns(text) <= max_columns:
        return text
    room, used = max(0, max_columns - len(_ELLIPSIS)), 0
    kept: list[str] = []
    for char in text:
        used += columns(char)
        if used > room:
            break
        kept.append(char)
    return "".join(kept).rstrip() + _ELLIPSIS


def code128_data(data: str) -> tuple[str, int]:
    """`^BC` mode N field data with explicit subsets, and its symbol count.

    Subset B, switching to C (`>5`) for runs of four or more digits (an odd run leaves
    its first digit in B) and back (`>6`); a literal `>` is `><`. The count includes
    start, switch and check symbols.
    """
    if not data or not (data.isascii() and data.isprintable()):
        raise ValueError(f"Code 128 takes printable ASCII only: {data!r}")
    segments: list[tuple[bool, str]] = []
    pos = 0
    for match in _DIGIT_RUN.finditer(data):
        start, end = match.span()
        start += (end - start) % 2
        if start > pos:
            segments.append((False, data[pos:start]))
        segments.append((True, data[start:end]))
        pos = end
    if pos < len(data):
        segments.append((False, data[pos:]))
    parts: list[str] = []
    count = 1
    for index, (numeric, chunk) in enumerate(segments):
        if numeric:
            parts += [">5" if index else ">;", chunk]
            count += 1 + len(chunk) // 2
        else:
            parts += [">6" if index else ">:", chunk.replace(">", "><")]
            count += 1 + len(chunk)
    return "".join(parts), count


def sscc_data(sscc: str) -> tuple[str, int]:
    """`^BC` mode N field data for GS1-128 SSCC: start C, FNC1 (`>8`), AI 00, 18 digits."""
    return f">;>800{sscc}", 13
