"""The pack screen's look: large type, high contrast, colour that means something."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

GOOD = "#15803d"
BAD = "#b91c1c"
NOTICE = "#b45309"

STYLE_SHEET = f"""
#packStation {{ background: #f3f4f6; }}
#idlePrompt {{ font-size: 56px; font-weight: 800; color: #1f2937; }}
#idleHint {{ font-size: 26px; color: #475467; }}
#lastResult {{ font-size: 30px; font-weight: 700; color: {GOOD}; }}
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
            font-size: 26px; font-weight: 700; color: #1e3a8a; padding: 6px; }}
#feedbackBar {{ font-size: 30px; font-weight: 700; padding: 14px 24px; color: #111827;
                background: #e5e7eb; }}
#feedbackBar[tone="good"] {{ background: {GOOD}; color: #ffffff; }}
#feedbackBar[tone="bad"] {{ background: {BAD}; color: #ffffff; }}
#feedbackBar[tone="notice"], #feedbackBar[tone="question"] {{ background: {NOTICE};
                                                              color: #ffffff; }}
#footer {{ background: #1f2937; }}
#footer QLabel {{ color: #e5e7eb; font-size: 20px; padding: 8px 24px; }}
#scanInput {{ font-family: monospace; font-size: 22px; color: #ffffff; }}
#alertOverlay {{ background: {BAD}; }}
#alertOverlay QLabel {{ color: #ffffff; }}
#alertIcon {{ font-size: 120px; font-weight: 900; }}
#alertTitle {{ font-size: 34px; font-weight: 800; letter-spacing: 4px; }}
#alertMessage {{ font-size: 56px; font-weight: 800; }}
#alertHint {{ font-size: 30px; }}
#alertContext {{ font-size: 26px; font-weight: 600; }}
"""


def set_style_property(widget: QWidget, name: str, value: str) -> None:
    """Set a property the style sheet selects on, and restyle the widget."""
    widget.setProperty(name, value)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
