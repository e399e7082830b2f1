"""The look of action buttons in the views' toolbars and headers (theme.py is shared)."""

ACTION_BUTTON_STYLE = (
    "QToolButton { background: #ffffff; border: 1px solid #d0d5dd; border-radius: 6px;"
    " padding: 4px 12px; margin-left: 6px; }"
    "QToolButton:hover { background: #f2f4f7; }"
    "QToolButton:disabled { color: #98a2b3; border-color: #e4e7ec; }"
)
