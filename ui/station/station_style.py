"""The pack screen's look: large type, high contrast, colour that means something.

Sizes are set for a 1280x800 screen; `scaled` multiplies every pixel size by the
window's scale (`screen_scale`), so the same layout fits 1024x600 and 4K alike.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QWidget

GOOD = "#15803d"
BAD = "#b91c1c"
NOTICE = "#b45309"
WARNING = "#f59e0b"  # a printer problem: amber, dark text, never confused with red
DESIGN_SIZE = QSize(1280, 800)
_PX = re.compile(r"(\d+)px")

STYLE_SHEET = f"""
#packStation {{ background: #f3f4f6; }}
#idlePrompt {{ font-size: 56px; font-weight: 800; color: #1f2937; }}
#idleHint {{ font-size: 26px; color: #475467; }}
#lastResult {{ font-size: 30px; font-weight: 700; color: {GOOD}; }}
#setupProblems {{ font-size: 26px; font-weight: 600; color: #ffffff; background: {BAD};
                  border-radius: 12px; padding: 14px 22px; }}
#orderHeader {{ background: #ffffff; border-bottom: 2px solid #d0d5dd; }}
#orderNumber {{ font-size: 52px; font-weight: 800; }}
#orderReference {{ font-size: 24px; color: #475467; }}
#shipTo {{ font-size: 30px; font-weight: 600; }}
#orderHeader #serviceLevel {{ font-size: 24px; font-weight: 800; color: #ffffff;
                              background: #1d4ed8; border-radius: 8px; padding: 4px 14px; }}
#progressCount {{ font-size: 60px; font-weight: 800; }}
#progressCount[complete="true"] {{ color: {GOOD}; }}
#packLines {{ font-size: 26px; background: #ffffff; border: none; gridline-color: #e4e7ec; }}
#packLines::item {{ padding-left: 14px; }}
#packLines QHeaderView::section {{ font-size: 18px; font-weight: 700; color: #475467;
                                   background: #f9fafb; border: none; padding: 8px 8px 8px 17px;
                                   border-bottom: 2px solid #d0d5dd; }}
#stepPrompt {{ font-size: 34px; font-weight: 700; color: #1f2937; padding: 10px 24px; }}
#boxTile {{ background: #ffffff; border: 3px solid #1d4ed8; border-radius: 14px;
            font-size: 22px; font-weight: 700; color: #1e3a8a; padding: 6px 10px; }}
#boxTile[suggested="true"] {{ background: #dcfce7; border: 6px solid {GOOD}; color: #14532d; }}
#feedbackBar {{ font-size: 30px; font-weight: 700; padding: 14px 24px; color: #111827;
                background: #e5e7eb; }}
#feedbackBar[tone="good"] {{ background: {GOOD}; color: #ffffff; }}
#feedbackBar[tone="bad"] {{ background: {BAD}; color: #ffffff; }}
#feedbackBar[tone="notice"], #feedbackBar[tone="question"] {{ background: {NOTICE};
                                                              color: #ffffff; }}
#feedbackBar[tone="warning"] {{ background: {WARNING}; color: #111827; }}
#footer {{ background: #1f2937; }}
#footer QLabel {{ color: #e5e7eb; font-size: 20px; padding: 8px 24px; }}
#scanInput {{ font-family: monospace; font-size: 22px; color: #ffffff; }}
#alertOverlay {{ background: {BAD}; }}
#alertOverlay QLabel {{ color: #ffffff; }}
#alertOverlay[tone="warning"] {{ background: {WARNING}; }}
#alertOverlay[tone="warning"] QLabel {{ color: #111827; }}
#alertIcon {{ font-size: 110px; font-weight: 900; }}
#alertTitle {{ font-size: 34px; font-weight: 800; letter-spacing: 4px; }}
#alertMessage {{ font-size: 52px; font-weight: 800; }}
#alertDetail {{ font-size: 30px; font-weight: 600; }}
#alertHint {{ font-size: 30px; }}
#alertOverlay[tone="warning"] #alertHint {{ font-size: 32px; font-weight: 800;
                                           background: #ffffff; border-radius: 12px;
                                           padding: 10px 20px; }}
#alertContext {{ font-size: 26px; font-weight: 600; }}
"""


def screen_scale(size: QSize) -> float:
    """How much bigger than the 1280x800 design `size` is, in steps of 0.05."""
    factor = min(size.width() / DESIGN_SIZE.width(), size.height() / DESIGN_SIZE.height())
    return max(0.5, round(factor * 20) / 20)


def scaled(sheet: str, scale: float) -> str:
    """`sheet` with every `Npx` multiplied by `scale` (at least 1 px)."""
    return _PX.sub(lambda m: f"{max(1, round(int(m.group(1)) * scale))}px", sheet)


def set_style_property(widget: QWidget, name: str, value: str) -> None:
    """Set a property the style sheet selects on, and restyle the widget."""
    widget.setProperty(name, value)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
