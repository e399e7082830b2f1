"""QueueBar: one checkable chip per queue, each with its live count; late in red."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMenu,
    QScrollArea,
    QToolButton,
    QWidget,
)

from app.domain.order_query import QUEUE_LABELS, Queue
from app.services.queue_counts import QueueCounts
from ui.status_style import LATE_COLOUR, status_colours

_CHIP_STYLE = """
QToolButton {{ border: 1px solid {border}; border-radius: 12px; padding: 2px 7px;
              background: #ffffff; color: {idle}; font-weight: {weight}; }}
QToolButton:hover {{ background: #f2f4f7; }}
QToolButton:checked {{ background: {background}; color: {text}; border-color: {text};
                      font-weight: 600; }}
"""
# Shown always: the day's work flows through these. Others appear when they hold orders,
# except the history (shipped, delivered), which the "More" menu offers.
ALWAYS = (Queue.NEW, Queue.ON_HOLD, Queue.READY_TO_PICK, Queue.READY_TO_PACK, Queue.LATE)
HISTORY = (Queue.PART_SHIPPED, Queue.SHIPPED, Queue.DELIVERED)
_SHORT = {
    Queue.PACKED: "Packed",
    Queue.READY_TO_PICK: "To pick",
    Queue.READY_TO_PACK: "To pack",
}


def _style(queue: Queue | None) -> str:
    if queue is None:
        text, background = "#ffffff", "#1f2937"
    elif queue is Queue.LATE:
        text, background = "#ffffff", LATE_COLOUR.name()
    elif queue is Queue.SHIPPED_TODAY:
        text, background = (c.name() for c in status_colours("shipped"))
    else:
        text, background = (c.name() for c in status_colours(queue.value))
    late = queue is Queue.LATE
    return _CHIP_STYLE.format(
        text=text,
        background=background,
        border=LATE_COLOUR.name() if late else "#d0d5dd",
        idle=LATE_COLOUR.name() if late else "#344054",
        weight=600 if late else 400,
    )


class QueueBar(QWidget):
    """ "All 1,000,000", "New 212", "On hold 11", …, "Late 37": exactly one is checked.

    `queue_selected` carries the Queue, or None for all orders. The hold chip's tooltip
    lists the commonest hold reasons; "express open" counts urgent work not yet out.
    """

    queue_selected = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        strip = QWidget()
        layout = QHBoxLayout(strip)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        # On a narrow screen the chips scroll sideways instead of widening the window.
        scroller = QScrollArea(self)
        scroller.setWidget(strip)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroller.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroller)
        self._group = QButtonGroup(self)
        self._chips: dict[Queue | None, QToolButton] = {}
        self._counts: QueueCounts | None = None
        for queue in [None, *Queue]:
            chip = QToolButton(strip)
            chip.setCheckable(True)
            chip.setCursor(Qt.CursorShape.PointingHandCursor)
            chip.setStyleSheet(_style(queue))
            chip.clicked.connect(lambda _=False, q=queue: self.queue_selected.emit(q))
            self._group.addButton(chip)
            layout.addWidget(chip)
            self._chips[queue] = chip
        self.more_button = QToolButton(strip)
        self.more_button.setText("More")
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more_button.setMenu(QMenu(self.more_button))
        self.more_button.menu().aboutToShow.connect(self._fill_more_menu)
        layout.addWidget(self.more_button)
        self.urgent_label = QLabel()
        self.urgent_label.setObjectName("muted")
        layout.addStretch(1)
        layout.addWidget(self.urgent_label)
        self._chips[None].setChecked(True)
        self._relabel()
        scroller.setFixedHeight(strip.sizeHint().height() + 14)

    def chip(self, queue: Queue | None) -> QToolButton:
        return self._chips[queue]

    def selected_queue(self) -> Queue | None:
        return next(queue for queue, chip in self._chips.items() if chip.isChecked())

    def select(self, queue: Queue | None) -> None:
        self._chips[queue].setChecked(True)
        self._relabel()

    def count_of(self, queue: Queue | None) -> int | None:
        if self._counts is None:
            return None
        return self._counts.total if queue is None else self._counts.by_queue[queue]

    def set_counts(self, counts: QueueCounts) -> None:
        self._counts = counts
        self._relabel()
        reasons = "\n".join(f"{n:,}  {reason}" for reason, n in counts.on_hold_by_reason)
        self._chips[Queue.ON_HOLD].setToolTip(f"On hold, by reason:\n{reasons}" if reasons else "")
        self._chips[Queue.LATE].setToolTip("Past their ship-by time and not yet shipped")
        self.urgent_label.setText(f"Express open {counts.urgent_open:,}")
        self.urgent_label.setToolTip("Express and overnight orders not yet shipped")

    def _fill_more_menu(self) -> None:
        menu = self.more_button.menu()
        menu.clear()
        for queue in HISTORY:
            action = menu.addAction(self._chips[queue].text())
            action.triggered.connect(lambda _=False, q=queue: self._pick(q))

    def _pick(self, queue: Queue) -> None:
        self.select(queue)
        self.queue_selected.emit(queue)

    def _relabel(self) -> None:
        for queue, chip in self._chips.items():
            label = "All" if queue is None else _SHORT.get(queue, QUEUE_LABELS[queue])
            count = self.count_of(queue)
            chip.setText(label if count is None else f"{label}  {count:,}")
            shown = queue is None or queue in ALWAYS or (bool(count) and queue not in HISTORY)
            visible = shown or chip.isChecked()
            chip.setVisible(visible)
