"""Scan latency at the pack screen: from the Enter key to the updated view.

A 100-line order is open in the real pack screen (offscreen, 1280x800). Each scan is
typed as a scanner types it; the clock starts at the Enter key event and stops when
the line's row emits dataChanged and when the screen reports `scan_processed`.
`service_*` is the time spent inside record_pack_scan on the worker thread, so
`total - service` is the Qt side (hand-off to the writer thread, back, and the view).

    python -m tests.benchmarks.scan_latency [--db sqlite|postgresql|sqlite,postgresql]
                                            [--scans N]

One JSON line per database: {"db", "lines", "scans", "p50_ms", "p95_ms", ...}.
Target: p95 <= 15 ms.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from typing import Any
from unittest import mock

from PySide6.QtCore import QEvent, QEventLoop, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from app.context import Actor
from app.dto import ScanOutcome
from app.services.allocation import allocate
from app.services.catalogue import ProductInput, upsert_products
from app.services.demo_data import gtin13
from app.services.intake import create_orders
from app.services.packing import record_pack_scan
from db.engine import Database
from tests.benchmarks.throughput import fresh_database
from tests.factories import channel, new_order, stock
from ui.context import UiContext
from ui.hub import AppHub
from ui.station import pack_controller
from ui.station.pack_station_window import PackStationWindow
from ui.tasks import TaskRunner

LINES = 100
UNIT_PRICE = Decimal("0.01")
SCAN_INTERVAL_MS = 30
ADMIN = Actor(username="bench", station="bench")
PACKER = Actor(username="pat", station="pack-1")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def build_order(db: Database, units_per_line: int) -> tuple[str, list[str]]:
    """A 100-line order, allocated; its number and each line's GTIN."""
    skus = {f"BENCH-{i:03d}": gtin13(900_000 + i) for i in range(LINES)}
    stock(db, ADMIN, {sku: units_per_line + 5 for sku in skus})
    upsert_products(
        db, ADMIN, [ProductInput(sku, f"Product {sku}", (gtin,)) for sku, gtin in skus.items()]
    )
    channel(db)
    order = new_order({sku: units_per_line for sku in skus})
    cheap = tuple(replace(line, unit_price=UNIT_PRICE) for line in order.lines)  # no risk hold
    number = create_orders(db, ADMIN, [replace(order, lines=cheap)]).created[0]
    allocate(db, ADMIN)
    return number, list(skus.values())


class Keyboard:
    """Sends a scanner's key events to the window (microseconds apart: a burst)."""

    def __init__(self, window: PackStationWindow) -> None:
        self.window = window

    def key(self, char: str, key: int) -> None:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(self.window, event)

    def burst(self, code: str) -> None:
        for char in code:
            self.key(char, ord(char.upper()))

    def enter(self) -> None:
        self.key("\r", Qt.Key.Key_Return)


def wait_for_answer(window: PackStationWindow, action: Callable[[], None]) -> tuple[str, str]:
    """Run `action` and spin the event loop until the screen answers; the answer."""
    loop = QEventLoop()
    answers: list[tuple[str, str]] = []

    def on_processed(message: str, sound: str) -> None:
        answers.append((message, sound))
        loop.quit()

    window.scan_processed.connect(on_processed)
    action()
    if not answers:
        QTimer.singleShot(10_000, loop.quit)
        loop.exec()
    window.scan_processed.disconnect(on_processed)
    if not answers:
        raise SystemExit("the pack screen did not answer within 10 s")
    return answers[0]


def settle(ms: int) -> None:
    """Let the screen idle for `ms` (paint, timers), as it does while the packer reaches
    for the next item."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def summary(name: str, values: list[float]) -> dict[str, float]:
    return {
        f"{name}p50_ms": round(statistics.median(values), 2),
        f"{name}p95_ms": round(percentile(values, 0.95), 2),
    }


def run_scans(db: Database, number: str, gtins: list[str], scans: int) -> list[list[float]]:
    """Open the order in a fresh pack screen and scan; per scan, ms to the answer, to the
    row's dataChanged and to the answer painted."""
    ctx = UiContext(db, db.describe(), PACKER, PACKER.station, TaskRunner(), AppHub())
    window = PackStationWindow(ctx)
    window.resize(1280, 800)
    window.show()
    keyboard = Keyboard(window)
    shown_ms, view_ms, painted_ms = [], [], []
    marks: dict[str, float] = {}
    window.lines_model.dataChanged.connect(lambda *_: marks.setdefault("view", time.perf_counter()))
    try:
        keyboard.burst(f"O:{number}")
        message, sound = wait_for_answer(window, keyboard.enter)
        if sound != "ok":
            raise SystemExit(f"cannot open the benchmark order: {message}")
        for i in range(scans):
            settle(SCAN_INTERVAL_MS)
            keyboard.burst(gtins[i % LINES])
            marks.clear()
            started = time.perf_counter()
            message, sound = wait_for_answer(window, keyboard.enter)
            answered = time.perf_counter()
            QApplication.processEvents()  # paints the answer
            painted = time.perf_counter()
            if sound not in ("ok", "complete"):
                raise SystemExit(f"scan {i + 1} was refused: {message}")
            shown_ms.append((answered - started) * 1000)
            view_ms.append((marks.get("view", answered) - started) * 1000)
            painted_ms.append((painted - started) * 1000)
    finally:
        window.close()
        window.deleteLater()  # on this thread now, not by a garbage collection on a worker
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return [shown_ms, view_ms, painted_ms]


def measure(db: Database, scans: int) -> dict[str, Any]:
    number, gtins = build_order(db, units_per_line=math.ceil(scans / LINES))
    service_ms: list[float] = []

    def timed_record(*args: Any, **kwargs: Any) -> ScanOutcome:
        started = time.perf_counter()
        try:
            return record_pack_scan(*args, **kwargs)
        finally:
            service_ms.append((time.perf_counter() - started) * 1000)

    with mock.patch.object(pack_controller, "record_pack_scan", timed_record):
        shown_ms, view_ms, painted_ms = run_scans(db, number, gtins, scans)
    return {
        "db": db.dialect,
        "lines": LINES,
        "scans": scans,
        **summary("", shown_ms),
        **summary("view_", view_ms),
        **summary("painted_", painted_ms),
        **summary("service_", service_ms),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--db", default="sqlite", help="sqlite, postgresql or both, comma-separated"
    )
    parser.add_argument("--scans", type=int, default=200)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication([])
    for kind in args.db.split(","):
        with fresh_database(kind.strip()) as db:
            print(json.dumps(measure(db, args.scans)), flush=True)
    app.processEvents()


if __name__ == "__main__":
    main()
