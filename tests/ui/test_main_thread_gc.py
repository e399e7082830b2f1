"""The GUI thread, not a reader thread, collects cyclic garbage (ui.main_thread_gc)."""

from __future__ import annotations

import gc
import threading
import weakref

from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from ui.main_thread_gc import MainThreadCollector


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_cycles_are_collected_on_the_gui_thread_by_the_timer(
    qtbot: QtBot, qapp: QApplication
) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    collected_on: list[str] = []
    MainThreadCollector(owner, interval_ms=10)
    assert not gc.isenabled()

    def make_garbage() -> None:  # a reader thread allocating, as a service call does
        for _ in range(gc.get_threshold()[0] * 2):
            weakref.finalize(_Cycle(), lambda: collected_on.append(threading.current_thread().name))

    worker = threading.Thread(target=make_garbage, name="reader")
    worker.start()
    worker.join()
    assert collected_on == []  # the reader's allocations collected nothing

    qtbot.waitUntil(lambda: len(collected_on) > 0, timeout=5000)
    assert set(collected_on) == {threading.main_thread().name}
