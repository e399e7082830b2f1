"""The station-wide scan capture: scanner bursts, typing, and everything in between."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.station.conftest import HUMAN_GAP_MS, MUG_GTIN, SCANNER_GAP_MS, FakeClock, Scanner
from ui.widgets.scan_input import ScanInputWidget, ScanSettings


class Host(QWidget):
    """A window with a button that keeps the focus, as a station screen's widgets do."""

    def __init__(self, clock: FakeClock) -> None:
        super().__init__()
        self.clock = clock
        self.button = QPushButton("focus here")
        self.scan_input = ScanInputWidget(settings=ScanSettings(), clock=clock)
        layout = QVBoxLayout(self)
        layout.addWidget(self.button)
        layout.addWidget(self.scan_input)
        self.scan_input.capture(self)


@pytest.fixture
def host(qtbot: QtBot) -> Iterator[Host]:
    window = Host(FakeClock())
    qtbot.addWidget(window)
    window.show()
    window.button.setFocus()
    yield window
    window.scan_input.release()


@pytest.fixture
def scanner(host: Host) -> Scanner:
    return Scanner(host.button, host.clock)


def test_a_fast_burst_ended_by_enter_is_a_scan_even_with_the_focus_elsewhere(
    qtbot: QtBot, host: Host, scanner: Scanner
) -> None:
    with qtbot.waitSignal(host.scan_input.scanned) as blocker:
        scanner.scan(MUG_GTIN)
    assert blocker.args == [MUG_GTIN, False]
    assert host.scan_input.text() == "Scanner ready"


def test_a_burst_ended_by_tab_is_a_scan(qtbot: QtBot, host: Host, scanner: Scanner) -> None:
    with qtbot.waitSignal(host.scan_input.scanned) as blocker:
        scanner.scan("O:SO-100001", end="\t")
    assert blocker.args == ["O:SO-100001", False]


def test_slow_typing_is_manual_entry_and_shows_what_was_typed(
    qtbot: QtBot, host: Host, scanner: Scanner
) -> None:
    scanner.type("125", HUMAN_GAP_MS)
    assert host.scan_input.text() == "125"
    with qtbot.waitSignal(host.scan_input.scanned) as blocker:
        scanner.key("\r")
    assert blocker.args == ["125", True]


def test_typed_entry_is_refused_when_manual_entry_is_forbidden(
    qtbot: QtBot, host: Host, scanner: Scanner
) -> None:
    host.scan_input.forbid_manual = True
    with qtbot.waitSignal(host.scan_input.rejected) as blocker:
        scanner.enter_by_hand(MUG_GTIN)
    assert blocker.args == ["Typed entry is not allowed here - scan the barcode"]


def test_the_same_code_within_300_ms_is_a_duplicate_but_after_it_a_new_scan(
    qtbot: QtBot, host: Host, scanner: Scanner
) -> None:
    scanner.scan(MUG_GTIN)
    with qtbot.waitSignal(host.scan_input.rejected) as blocker:
        scanner.scan(MUG_GTIN, pause_ms=200)
    assert blocker.args == ["Duplicate scan ignored"]
    with qtbot.waitSignal(host.scan_input.scanned):
        scanner.scan(MUG_GTIN, pause_ms=301)


def test_a_whole_barcode_without_enter_waits_for_the_packer_to_confirm_it(
    qtbot: QtBot, host: Host, scanner: Scanner
) -> None:
    with qtbot.assertNotEmitted(host.scan_input.rejected, wait=400):
        scanner.type(MUG_GTIN, SCANNER_GAP_MS)
    assert host.scan_input.text().endswith("press Enter")
    with qtbot.waitSignal(host.scan_input.scanned) as blocker:
        scanner.press(Qt.Key.Key_Return, "\r")
    assert blocker.args == [MUG_GTIN, True]


def test_esc_alone_and_f_keys_are_commands_but_esc_inside_a_burst_is_data(
    qtbot: QtBot, host: Host, scanner: Scanner
) -> None:
    with qtbot.waitSignal(host.scan_input.command_pressed) as esc:
        scanner.press(Qt.Key.Key_Escape, "\x1b")
    with qtbot.waitSignal(host.scan_input.command_pressed) as f12:
        scanner.press(Qt.Key.Key_F12)
    with qtbot.waitSignal(host.scan_input.scanned) as burst:
        scanner.scan("4006\x1b381333931")
    assert (esc.args, f12.args, burst.args) == (["Esc"], ["F12"], ["4006\x1b381333931", False])


def test_a_hotkey_typed_alone_is_a_command_but_not_when_a_burst_starts_with_it(
    qtbot: QtBot, host: Host, scanner: Scanner
) -> None:
    host.scan_input.set_hotkeys("1234")
    with qtbot.waitSignal(host.scan_input.command_pressed) as blocker:
        scanner.press(Qt.Key.Key_2, "2")
    assert blocker.args == ["2"]
    with qtbot.assertNotEmitted(host.scan_input.command_pressed, wait=150):
        scanner.scan("2000000000008")


def test_backspace_and_esc_clear_what_a_person_typed(host: Host, scanner: Scanner) -> None:
    scanner.type("12", HUMAN_GAP_MS)
    scanner.key(key=Qt.Key.Key_Backspace)
    assert host.scan_input.text() == "Scanner ready"
    scanner.type("34", HUMAN_GAP_MS)
    scanner.press(Qt.Key.Key_Escape, "\x1b")
    assert host.scan_input.text() == "Scanner ready"


def test_keys_meant_for_another_window_are_left_alone(qtbot: QtBot, host: Host) -> None:
    other = QWidget()
    qtbot.addWidget(other)
    with qtbot.assertNotEmitted(host.scan_input.scanned):
        Scanner(other, FakeClock()).scan(MUG_GTIN)


def test_a_released_capture_takes_no_more_keys(qtbot: QtBot, host: Host, scanner: Scanner) -> None:
    host.scan_input.release()
    with qtbot.assertNotEmitted(host.scan_input.scanned):
        scanner.scan(MUG_GTIN)
