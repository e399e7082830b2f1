"""Symbols drawn as vectors: each run of dark modules is one filled rectangle.

Coordinates are scaled so one module is one unit, which keeps the PDF operators short
integers and the bars exact at any printer resolution.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus.flowables import Flowable

from app.documents.fonts import REGULAR, fit, printable
from app.documents.symbols import Linear, Matrix

DOT = 25.4 / 203 * mm
"""One dot of a 203 dpi thermal printer, in points: 1D modules snap to whole dots."""
MIN_MODULE = 0.19 * mm
"""Narrowest module we print (7.5 mil); below this scanners start to miss."""


class SymbolTooWideError(ValueError):
    """The data needs more modules than fit the space at the minimum module size."""


def module_size(total_modules: int, width: float, largest: float) -> float:
    """Largest module (points) up to `largest` that fits `width`, in whole printer dots."""
    size = min(largest, width / total_modules)
    if size < MIN_MODULE:
        raise SymbolTooWideError(
            f"{total_modules} modules do not fit {width / mm:.0f} mm; shorten the data"
        )
    dots = int(size / DOT + 1e-9)
    return dots * DOT if dots >= 2 else size


def draw_linear(
    canvas: Canvas, symbol: Linear, x: float, y: float, module: float, height: float
) -> None:
    """Bars with the left quiet zone starting at `x`, bottom at `y`, `height` tall."""
    canvas.saveState()
    canvas.setFillGray(0)
    canvas.translate(x + symbol.quiet_left * module, y)
    canvas.scale(module, height)
    canvas.addLiteral("".join([f"{start} 0 {width} 1 re " for start, width in symbol.runs]) + "f")
    canvas.restoreState()


def draw_matrix(canvas: Canvas, symbol: Matrix, x: float, y: float, module: float) -> None:
    """A matrix symbol with its quiet zone's bottom-left corner at (`x`, `y`)."""
    side = len(symbol.rows)
    canvas.saveState()
    canvas.setFillGray(0)
    canvas.translate(x + symbol.quiet * module, y + (symbol.quiet + side) * module)
    canvas.scale(module, -module)
    canvas.addLiteral(
        "".join(
            [
                f"{start} {row} {width} 1 re "
                for row, runs in enumerate(symbol.rows)
                for start, width in runs
            ]
        )
        + "f"
    )
    canvas.restoreState()


def draw_text_centred(
    canvas: Canvas, text: str, cx: float, y: float, width: float, size: float, font: str = REGULAR
) -> None:
    """One line of untrusted text centred on `cx`, shrunk or cut to `width`."""
    line, size = fit(printable(text), font, size, width, size * 0.7)
    canvas.setFont(font, size)
    canvas.drawCentredString(cx, y, line)


class SymbolFlowable(Flowable):  # type: ignore[misc]
    """A 1D barcode with its text underneath, for platypus documents.

    Width is the space offered (`width`); the module shrinks to fit it, up to `largest`.
    """

    def __init__(self, symbol: Linear, width: float, bar_height: float,
                 largest: float = 3 * DOT, text_size: float = 7) -> None:
        super().__init__()
        self.symbol = symbol
        self.module = module_size(symbol.total_modules, width, largest)
        self.width = symbol.total_modules * self.module
        self.bar_height = bar_height
        self.text_size = text_size
        self.height = bar_height + text_size * 1.3

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        """Platypus asks for our size."""
        return self.width, self.height

    def draw(self) -> None:
        """Platypus draws us at the origin of `self.canv`."""
        draw_linear(self.canv, self.symbol, 0, self.height - self.bar_height, self.module,
                    self.bar_height)
        draw_text_centred(self.canv, self.symbol.text, self.width / 2, 0.25 * self.text_size,
                          self.width, self.text_size)
