"""The pick screen's look: the pack screen's style, plus the current stop and the walk."""

from __future__ import annotations

from ui.station.station_style import GOOD, STYLE_SHEET

PICK_STYLE_SHEET = (
    STYLE_SHEET
    + f"""
#pickStation {{ background: #f3f4f6; }}
#pickProgress {{ font-size: 40px; font-weight: 800; }}
#currentStop {{ background: #ffffff; border-right: 2px solid #d0d5dd; }}
#stopCaption {{ font-size: 22px; font-weight: 800; letter-spacing: 3px; color: #475467; }}
#stopCaption[confirmed="true"] {{ color: {GOOD}; }}
#stopLocation {{ font-family: monospace; font-size: 92px; font-weight: 900; color: #111827; }}
#stopLocation[confirmed="true"] {{ color: {GOOD}; }}
#stopName {{ font-size: 36px; font-weight: 700; color: #1f2937; }}
#stopSku {{ font-size: 24px; color: #475467; }}
#stopQuantity {{ font-size: 64px; font-weight: 900; color: #111827; }}
#stopTote {{ font-size: 34px; font-weight: 800; color: #ffffff; background: #1d4ed8;
             border-radius: 10px; padding: 6px 16px; }}
#stopOrder {{ font-size: 24px; color: #475467; }}
#pickWalk {{ font-size: 22px; background: #ffffff; border: none; }}
#pickWalk::item {{ padding-left: 8px; }}
#pickWalk QHeaderView::section {{ font-size: 18px; font-weight: 700; color: #475467;
                                  background: #f9fafb; border: none; padding: 8px;
                                  border-bottom: 2px solid #d0d5dd; }}
"""
)
