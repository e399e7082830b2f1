"""Barcode symbols as runs of dark modules, ready to be drawn as vectors.

python-barcode supplies the 1D module patterns and segno the QR matrix; this module
validates the data first (python-barcode silently "fixes" a wrong check digit).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import barcode
import segno
from barcode.codex import Code128


class _Code128(Code128):  # type: ignore[misc]
    """python-barcode 0.16 takes a leading "99" pair in subset C for a CODE C switch and
    drops it ("9999123" would scan as "99123"): only merge a real switch into the start."""

    def _try_to_optimize(self, encoded: list[int]) -> list[int]:
        if self.code[:2].isdigit() and len(self.code) >= 2:
            return encoded
        optimized: list[int] = super()._try_to_optimize(encoded)
        return optimized


_GS1_128 = barcode.get_barcode_class("gs1_128")
_EAN13 = barcode.get_barcode_class("ean13")
_EAN8 = barcode.get_barcode_class("ean8")
_DARK_MODULES = re.compile("1+")
_DARK_CELLS = re.compile(b"\x01+")
QR_MASK = 0
"""Fixed QR mask: any mask is valid, and scoring all eight to pick the best makes the
encoding five times slower (the largest cost of a label)."""

Run = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Linear:
    """A 1D symbol: dark runs as (start, width) in modules, and its printed text."""

    runs: tuple[Run, ...]
    modules: int
    text: str
    quiet_left: int = 10
    quiet_right: int = 10

    @property
    def total_modules(self) -> int:
        """Width in modules including both quiet zones."""
        return self.quiet_left + self.modules + self.quiet_right


@dataclass(frozen=True, slots=True)
class Matrix:
    """A 2D symbol: per row (top first) the dark runs; square, `quiet` modules around."""

    rows: tuple[tuple[Run, ...], ...]
    text: str
    quiet: int = 4

    @property
    def total_modules(self) -> int:
        """Side length in modules including the quiet zone."""
        return len(self.rows) + 2 * self.quiet


def gs1_check_digit(digits: str) -> str:
    """The GS1 mod-10 check digit for `digits` (everything but the check digit)."""
    total = 3 * sum(map(int, digits[::-2])) + sum(map(int, digits[-2::-2]))
    return str(-total % 10)


def require_gs1(value: str, lengths: tuple[int, ...], what: str) -> None:
    """Raise ValueError unless `value` is all digits of an allowed length with a valid
    check digit."""
    if not (value.isascii() and value.isdigit() and len(value) in lengths):
        raise ValueError(f"{what} must be {' or '.join(map(str, lengths))} digits: {value!r}")
    expected = gs1_check_digit(value[:-1])
    if value[-1] != expected:
        raise ValueError(f"{what} {value} has a wrong check digit (expected {expected})")


def _linear(pattern: str, text: str, quiet: tuple[int, int] = (10, 10)) -> Linear:
    runs = tuple((m.start(), m.end() - m.start()) for m in _DARK_MODULES.finditer(pattern))
    return Linear(runs, len(pattern), text, *quiet)


def code128(data: str, text: str | None = None) -> Linear:
    """Code 128 for printable ASCII `data`; `text` is printed under it (default: data)."""
    if not data or not (data.isascii() and data.isprintable()):
        raise ValueError(f"Code 128 takes printable ASCII only: {data!r}")
    return _linear(_Code128(data).build()[0], data if text is None else text)


def sscc_text(sscc: str, prefix_length: int = 7) -> str:
    """Human-readable SSCC: "(00) 1 0614141 123456789 7"."""
    split = 1 + prefix_length
    return f"(00) {sscc[0]} {sscc[1:split]} {sscc[split:17]} {sscc[17]}"


def sscc(value: str, prefix_length: int = 7) -> Linear:
    """GS1-128 (FNC1, AI 00) for an 18-digit SSCC with a valid check digit."""
    require_gs1(value, (18,), "SSCC")
    if not 6 <= prefix_length <= 12:
        raise ValueError(f"GS1 company prefix length must be 6 to 12, not {prefix_length}")
    return _linear(_GS1_128("00" + value).build()[0], sscc_text(value, prefix_length))


def gtin(value: str) -> Linear:
    """EAN-8, EAN-13 (also for GTIN-12 and GTIN-14 with a leading 0) or, for other
    GTIN-14, GS1-128 with AI 01."""
    require_gs1(value, (8, 12, 13, 14), "GTIN")
    if len(value) == 8:
        return _linear(_EAN8(value).build()[0], value, (7, 7))
    if len(value) == 14 and value[0] != "0":
        return _linear(_GS1_128("01" + value).build()[0], f"(01) {value}")
    ean = value.zfill(13)[-13:]
    return _linear(_EAN13(ean).build()[0], ean, (11, 7))


def qr(data: str, text: str | None = None) -> Matrix:
    """QR code (error correction M) for `data`; `text` is printed under it."""
    if not data:
        raise ValueError("QR code needs data")
    matrix = segno.make_qr(data, error="m", boost_error=False, mask=QR_MASK).matrix
    rows = tuple(
        tuple((m.start(), m.end() - m.start()) for m in _DARK_CELLS.finditer(bytes(row)))
        for row in matrix
    )
    return Matrix(rows, data if text is None else text)
