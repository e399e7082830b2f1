"""Python's cyclic garbage collector runs on whichever thread happens to allocate. When it
collects a cycle holding a Qt object on a reader thread (`ui.tasks`), PySide disconnects
that object's signals there: Qt's connection lock is taken, then the GIL is waited for,
while the GUI thread holds the GIL and waits for that same lock to connect a signal. Both
stop for good. So automatic collection is switched off and the GUI thread collects, with
the collector's own generation thresholds, on a timer (the pattern qutebrowser uses)."""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 1000


def collect_due() -> None:
    """Collect each generation whose count has passed its threshold, youngest first (what
    the automatic collector would have done)."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    for generation in range(3):
        if counts[generation] <= thresholds[generation]:
            return
        gc.collect(generation)


class MainThreadCollector(QObject):
    """Owns the timer; create it once on the GUI thread, parented to the application."""

    def __init__(self, parent: QObject, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(collect_due)
        self._timer.start(interval_ms)
