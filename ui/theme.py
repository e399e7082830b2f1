"""The look: Fusion with a light palette and a small style sheet, the same everywhere."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

STYLE_SHEET = """
QMainWindow, #ordersPage { background: #f8f9fb; }
#sidebar { background: #1f2937; border: none; }
#brand { color: #ffffff; font-size: 17px; font-weight: 700; padding: 18px 18px 12px 18px; }
#sidebarList { background: transparent; border: none; color: #d1d5db; outline: 0; }
#sidebarList::item { padding: 9px 18px; border-left: 3px solid transparent; }
#sidebarList::item:selected { background: #374151; color: #ffffff; border-left-color: #60a5fa; }
#sidebarList::item:hover:!selected { background: #2b3544; }
#searchEdit { padding: 7px 10px; border: 1px solid #d0d5dd; border-radius: 6px;
              background: #ffffff; font-size: 14px; }
#searchEdit:focus { border-color: #3b82f6; }
#muted { color: #667085; }
#sectionTitle { color: #667085; font-size: 11px; font-weight: 700; letter-spacing: 1px; }
#orderNumber { font-size: 18px; font-weight: 700; color: #111827; }
#holdBanner { background: #fef3c7; color: #7c2d12; border: 1px solid #fcd34d;
              border-radius: 6px; padding: 6px 10px; }
#problemBanner { background: #fee2e2; color: #991b1b; border: 1px solid #fca5a5;
                 border-radius: 6px; padding: 6px 10px; }
#orderDetailPanel { background: #ffffff; border: 1px solid #e4e7ec; border-radius: 8px; }
QTableView, QTextBrowser { background: #ffffff; alternate-background-color: #f7f8fa;
                           border: 1px solid #e4e7ec; border-radius: 6px;
                           selection-background-color: #dbeafe; selection-color: #111827; }
QHeaderView::section { background: #f2f4f7; color: #475467; font-weight: 600;
                       border: none; border-bottom: 1px solid #e4e7ec; padding: 6px 6px; }
QStatusBar { background: #eef0f3; color: #475467; }
QStatusBar QLabel { padding: 2px 10px; }
QSplitter::handle { background: transparent; height: 10px; }
"""


def apply_theme(app: QApplication) -> None:
    app.setStyle("Fusion")
    palette = app.style().standardPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#f8f9fb"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.AlternateBase, QColor("#f7f8fa"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#dbeafe"))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#111827"))
    app.setPalette(palette)
    font = app.font()
    font.setPointSizeF(max(font.pointSizeF(), 10.0))
    app.setFont(font)
    app.setStyleSheet(STYLE_SHEET)
