"""StatusFilterBar: one checkable chip per order status, each with its live count."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QToolButton, QWidget

from app.domain.order_workflow import OrderStatus
from ui.status_style import status_colours, status_label

_CHIP_STYLE = """
QToolButton {{ border: 1px solid #d0d5dd; border-radius: 13px; padding: 4px 12px;
              background: #ffffff; color: #344054; }}
QToolButton:hover {{ background: #f2f4f7; }}
QToolButton:checked {{ background: {background}; color: {text}; border-color: {text};
                      font-weight: 600; }}
"""


class StatusFilterBar(QWidget):
    """ "All 300", "On hold 11", "Allocated 188"…: exactly one chip is checked.

    Chips of statuses with no orders stay hidden, unless checked, to keep the bar short.
    `status_selected` carries the status, or None for all.
    """

    status_selected = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self._group = QButtonGroup(self)
        self._chips: dict[str | None, QToolButton] = {}
        for status in [None, *OrderStatus]:
            chip = QToolButton(self)
            chip.setCheckable(True)
            chip.setCursor(Qt.CursorShape.PointingHandCursor)
            text, background = ("#ffffff", "#1f2937")
            if status is not None:
                text, background = (c.name() for c in status_colours(status))
            chip.setStyleSheet(_CHIP_STYLE.format(text=text, background=background))
            chip.clicked.connect(lambda _=False, s=status: self.status_selected.emit(s))
            self._group.addButton(chip)
            layout.addWidget(chip)
            self._chips[status] = chip
        layout.addStretch(1)
        self._chips[None].setChecked(True)
        self.set_counts({})

    def chip(self, status: str | None) -> QToolButton:
        return self._chips[status]

    def selected_status(self) -> str | None:
        return next(status for status, chip in self._chips.items() if chip.isChecked())

    def set_counts(self, counts: dict[str, int]) -> None:
        for status, chip in self._chips.items():
            count = sum(counts.values()) if status is None else counts.get(status, 0)
            label = "All" if status is None else status_label(status)
            chip.setText(f"{label}  {count}" if counts else label)
            chip.setVisible(status is None or count > 0 or chip.isChecked())
