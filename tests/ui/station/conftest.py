"""Pack station fixtures: the real services on a temporary SQLite file, a scripted scanner.

The scanner types through real Qt key events sent to the station window, so they pass
the application event filter exactly as a keyboard wedge's keys do. Its clock is
injected: key times are set by the test, so burst timing is deterministic.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Generic, TypeVar

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.context import Actor
from app.services.allocation import allocate
from app.services.catalogue import ProductInput, upsert_products
from app.services.printing import PRINT_DIR_VAR
from app.services.stations import StationDevices, save_station_devices
from db.engine import Database
from tests.factories import place, stock
from ui.context import UiContext
from ui.hub import AppHub
from ui.station.pack_station_window import PackStationWindow
from ui.station.pack_steps import Step
from ui.station.pick_station_window import PickStationWindow
from ui.station.settings import StationSettings
from ui.tasks import TaskRunner

MUG_GTIN = "4006381333931"
TEA_GTIN = "5901234123457"
SCANNER_GAP_MS = 4
HUMAN_GAP_MS = 180
W = TypeVar("W", PackStationWindow, PickStationWindow)
_KEYS = {"\r": Qt.Key.Key_Return, "\t": Qt.Key.Key_Tab, "\x1b": Qt.Key.Key_Escape}


class FakeClock:
    """Milliseconds that move only when the test says so."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, ms: float) -> None:
        self.now += ms


class Scanner:
    """Types into a station window like a keyboard-wedge scanner, or like a person."""

    def __init__(self, window: QWidget, clock: FakeClock) -> None:
        self.window = window
        self.clock = clock

    def key(self, char: str = "", key: int | None = None) -> None:
        target = self.window.focusWidget() or self.window
        code = key if key is not None else _KEYS.get(char, ord(char.upper()) if char else 0)
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, code, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(target, event)

    def type(self, text: str, gap_ms: float, pause_ms: float = 1_000) -> None:
        """Each character `gap_ms` after the one before, the first `pause_ms` after the
        last key."""
        self.clock.advance(pause_ms)
        for i, char in enumerate(text):
            if i:
                self.clock.advance(gap_ms)
            self.key(char)

    def scan(self, code: str, end: str = "\r", pause_ms: float = 1_000) -> None:
        self.type(code, SCANNER_GAP_MS, pause_ms)
        self.clock.advance(SCANNER_GAP_MS)
        self.key(end)

    def enter_by_hand(self, text: str, pause_ms: float = 1_000) -> None:
        self.type(text, HUMAN_GAP_MS, pause_ms)
        self.clock.advance(HUMAN_GAP_MS)
        self.key("\r")

    def press(self, key: Qt.Key, char: str = "") -> None:
        self.clock.advance(1_000)
        self.key(char, key)


class StationDriver(Generic[W]):
    """A station window, its scanner, and helpers that wait for its answers."""

    def __init__(self, qtbot: QtBot, window: W, clock: FakeClock) -> None:
        self.qtbot = qtbot
        self.window = window
        self.scanner = Scanner(window, clock)

    def answer(self, action: Callable[[], None], timeout: int = 5_000) -> tuple[str, str]:
        """Run `action` (keys) and wait for the screen's answer: (message, sound id)."""
        with self.qtbot.waitSignal(self.window.scan_processed, timeout=timeout) as blocker:
            action()
        message, sound = blocker.args or ("", "")
        return str(message), str(sound)

    def scan(self, code: str) -> tuple[str, str]:
        return self.answer(lambda: self.scanner.scan(code))

    def press(self, key: Qt.Key, char: str = "") -> tuple[str, str]:
        return self.answer(lambda: self.scanner.press(key, char))

    def enter_by_hand(self, text: str) -> tuple[str, str]:
        return self.answer(lambda: self.scanner.enter_by_hand(text))


class Station(StationDriver[PackStationWindow]):
    """The pack station under test."""

    def open(self, number: str) -> tuple[str, str]:
        answer = self.scan(f"O:{number}")
        assert self.window.controller.state is not None, answer
        return answer


StationFactory = Callable[..., Station]


@pytest.fixture
def packer() -> Actor:
    return Actor(username="pat", station="pack-1")


@pytest.fixture(autouse=True)
def print_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where the `folder` printer (a station with no printer chosen) puts documents."""
    folder = tmp_path / "printed"
    monkeypatch.setenv(PRINT_DIR_VAR, str(folder))
    return folder


def use_devices(
    db: Database, station: str, label: str = "", document: str = "", scale: str = ""
) -> None:
    """Give `station` these devices, as F2 at the station would."""
    save_station_devices(
        db, Actor("admin", "office"), StationDevices(station, label, document, scale)
    )


@pytest.fixture
def warehouse(sqlite_db: Database, actor: Actor) -> Database:
    """Mugs, tea and pens in stock, with barcodes, on the demo site (its boxes and carrier)."""
    stock(sqlite_db, actor, {"MUG": 20, "TEA": 20, "PEN": 20})
    upsert_products(
        sqlite_db,
        actor,
        [
            ProductInput("MUG", "Mug", (MUG_GTIN,), weight_g=350),
            ProductInput("TEA", "Tea", (TEA_GTIN,), weight_g=120),
            ProductInput("PEN", "Pen", ("PEN-BC",)),
        ],
    )

    return sqlite_db


@pytest.fixture
def order_of(warehouse: Database, actor: Actor) -> Callable[[dict[str, int]], str]:
    """Place and allocate an order; its number."""

    def make(lines: dict[str, int]) -> str:
        number = place(warehouse, actor, lines)
        allocate(warehouse, actor)
        return number

    return make


@pytest.fixture
def open_station(
    qtbot: QtBot, warehouse: Database, packer: Actor, qapp: QApplication
) -> Iterator[StationFactory]:
    """Open pack station windows (1280x800, shown); all closed, threads joined, after."""
    contexts: list[UiContext] = []

    def make(
        actor: Actor | None = None, settings: StationSettings | None = None, db: object = None
    ) -> Station:
        who = actor or packer
        ctx = UiContext(
            database=db or warehouse,
            database_label="test",
            actor=who,
            station=who.station,
            tasks=TaskRunner(),
            hub=AppHub(),
        )
        contexts.append(ctx)
        clock = FakeClock()
        window = PackStationWindow(ctx, settings=settings, clock=clock)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        qtbot.waitUntil(lambda: window.controller.step is not Step.STARTING)
        return Station(qtbot, window, clock)

    yield make
    for ctx in contexts:
        ctx.tasks.shutdown()


@pytest.fixture
def station(open_station: StationFactory) -> Station:
    return open_station()
