"""ZPL II building blocks: escaping untrusted text and Code 128 field data.

Every field is sent as `^FH_^FD...^FS`: `^`, `~` and `_` become hex escapes and
control characters are dropped, so customer text can never start a ZPL command.
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


def escape(text: str) -> str:
    """Field data for `^FH_`: hex-escape `^ ~ _`, drop characters below 0x20."""
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if _SPECIAL.search(text) is None:
        return text
    return text.translate(_ESCAPES)


def clip(text: str, max_chars: int) -> str:
    """Cut `text` to `max_chars` characters (before escaping, so no escape is split)."""
    if len(text) <= max_chars:
        return text
    return text[: max(0, max_chars - len(_ELLIPSIS))].rstrip() + _ELLIPSIS


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
