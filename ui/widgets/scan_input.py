"""ScanInputWidget: one scan capture for a whole station screen, however the scanner is set up.

A keyboard-wedge scanner types like a very fast person. The widget watches every key
press meant for its window (an application event filter scoped to that window, so the
focus can be anywhere on it), times the keys with `BurstDetector` and decides:

- a fast burst ended by Enter or Tab: `scanned(code, manual=False)`;
- slow typing ended by Enter: `scanned(text, manual=True)`, or refused when
  `forbid_manual` is set; a bare Enter is `scanned("", True)` (the screen decides);
- human keys mixed into a burst: `rejected("Partial scan discarded - rescan")`;
- a burst with no Enter that cannot be a whole barcode: `rejected(...)` after
  `unterminated_timeout_ms`, with read_scan's reason ("Incomplete barcode (12 of 13
  digits)"); a burst that reads fine waits for Enter (a scanner without a suffix);
- more than 256 characters: `rejected("Scan too long (max 256)")`, keeping only what
  read_scan needs, so a runaway burst cannot slow the screen down;
- the same code again within `duplicate_window_ms`: `rejected("Duplicate scan ignored")`.

Esc (outside a burst), the F keys and the `hotkeys` characters typed on their own are
`command_pressed(name)`. The widget shows what is being typed, and announces it
(`typing_changed`) for screens that show it larger.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from app.domain.scan_burst import BurstDetector
from app.domain.scan_reading import MAX_SCAN_LENGTH, read_scan

DUPLICATE_SCAN_IGNORED = "Duplicate scan ignored"
MANUAL_ENTRY_REFUSED = "Typed entry is not allowed here - scan the barcode"
SCAN_TOO_LONG = f"Scan too long (max {MAX_SCAN_LENGTH})"
SHOWN_CHARACTERS = 40
_TERMINATORS = {Qt.Key.Key_Return: "\r", Qt.Key.Key_Enter: "\r", Qt.Key.Key_Tab: "\t"}
_KEY_EVENTS = (QEvent.Type.KeyPress, QEvent.Type.KeyRelease)


@dataclass(frozen=True)
class ScanSettings:
    """How to tell a scanner from a person; the station's configurable timings."""

    burst_gap_ms: float = 40.0
    min_burst_length: int = 4
    unterminated_timeout_ms: int = 250
    duplicate_window_ms: float = 300.0
    hotkey_delay_ms: int = 200


def monotonic_ms() -> float:
    return time.monotonic() * 1000.0


class ScanInputWidget(QLabel):
    """Captures the keys of `scope`'s window and turns them into scans."""

    scanned = Signal(str, bool)
    rejected = Signal(str)
    command_pressed = Signal(str)
    typing_changed = Signal(str)  # what has been typed so far ("" when nothing)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        settings: ScanSettings | None = None,
        clock: Callable[[], float] = monotonic_ms,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("scanInput")
        self.settings = settings or ScanSettings()
        self.forbid_manual = False
        self._clock = clock
        self._detector = BurstDetector(self.settings.burst_gap_ms, self.settings.min_burst_length)
        self._scope: QWidget | None = None
        self._hotkeys: frozenset[str] = frozenset()
        self._chars: list[str] = []
        self._typed = 0
        self._last_key_ms = 0.0
        self._tail_run = 0
        self._last_scan: tuple[str, float] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._show_typing()

    def capture(self, scope: QWidget) -> None:
        """Take every key press meant for `scope`'s window, wherever its focus is."""
        self._scope = scope
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def release(self) -> None:
        """Stop taking keys (the window is closing)."""
        self.clear()
        self._scope = None
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def set_hotkeys(self, characters: Iterable[str]) -> None:
        """Characters that, typed alone, are commands (box choices 1-4) rather than input."""
        self._hotkeys = frozenset(characters)

    def clear(self) -> None:
        """Forget anything typed but not yet ended."""
        self._timer.stop()
        self._detector.reset()
        self._chars.clear()
        self._typed = 0
        self._tail_run = 0
        self._show_typing()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() not in _KEY_EVENTS or self._scope is None:
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self._scope.window():
            return False
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            self._on_key_pressed(event)
        return True

    def _on_key_pressed(self, event: QKeyEvent) -> None:
        now = self._clock()
        key = event.key()
        if key in _TERMINATORS:
            self._finish(now, _TERMINATORS[Qt.Key(key)])
        elif key == Qt.Key.Key_Escape:
            if self._chars and now - self._last_key_ms <= self.settings.burst_gap_ms:
                self._feed("\x1b", now)  # ESC sent by a scanner inside its data
            elif self._chars:
                self.clear()
            else:
                self.command_pressed.emit("Esc")
        elif Qt.Key.Key_F1 <= key <= Qt.Key.Key_F35:
            self.command_pressed.emit(QKeySequence(key).toString())
        elif key == Qt.Key.Key_Backspace:
            self.clear()
        else:
            for char in event.text():
                self._feed(char, now)

    def _feed(self, char: str, now: float) -> None:
        quick = self._typed > 0 and now - self._last_key_ms <= self.settings.burst_gap_ms
        self._tail_run = self._tail_run + 1 if quick else 1
        self._last_key_ms = now
        self._typed += 1
        if self._typed <= MAX_SCAN_LENGTH + 1:
            self._chars.append(char)
            self._detector.feed(char, now)
            self._show_typing()
        hotkey = self._typed == 1 and char in self._hotkeys
        self._timer.start(
            self.settings.hotkey_delay_ms if hotkey else self.settings.unterminated_timeout_ms
        )

    def _finish(self, now: float, terminator: str) -> None:
        too_long = self._typed > MAX_SCAN_LENGTH
        result = self._detector.finish(now, terminator)
        self.clear()
        text = result.text
        if too_long:
            self.rejected.emit(SCAN_TOO_LONG)
        elif result.partial_discarded:
            self.rejected.emit(result.message)
        elif not text.strip():
            self.scanned.emit(text, True)
        elif result.manual and self.forbid_manual:
            self.rejected.emit(MANUAL_ENTRY_REFUSED)
        elif self._is_duplicate(text, now):
            self.rejected.emit(DUPLICATE_SCAN_IGNORED)
        else:
            self.scanned.emit(text, result.manual)

    def _is_duplicate(self, text: str, now: float) -> bool:
        previous = self._last_scan
        self._last_scan = (text, now)
        return (
            previous is not None
            and previous[0] == text
            and now - previous[1] <= self.settings.duplicate_window_ms
        )

    def _on_timer_timeout(self) -> None:
        if self._typed == 1 and self._chars[0] in self._hotkeys:
            command = self._chars[0]
            self.clear()
            self.command_pressed.emit(command)
            return
        if self._tail_run < self.settings.min_burst_length:
            return  # a person is typing: wait for their Enter
        text = "".join(self._chars)
        error = SCAN_TOO_LONG if self._typed > MAX_SCAN_LENGTH else read_scan(text).error
        if error is None:
            self.setText(f"{self._shown(text)}   - press Enter")
            return
        result = self._detector.finish(self._clock(), None)
        self.clear()
        self.rejected.emit(result.message or error)

    def _show_typing(self) -> None:
        shown = self._shown("".join(self._chars))
        self.setText(shown or "Scanner ready")
        self.typing_changed.emit(shown)

    @staticmethod
    def _shown(text: str) -> str:
        printable = "".join(c if c.isprintable() else "·" for c in text)
        if len(printable) > SHOWN_CHARACTERS:
            return "…" + printable[-SHOWN_CHARACTERS:]
        return printable
