"""F2 at the pack station: its label printer, document printer and scale, from the
keyboard alone, with a test label to prove the printer; saved per station."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.services.stations import StationDevices, load_station_devices
from db.engine import Database
from tests.loopback_printer import LoopbackPrinter
from tests.ui.station.conftest import Station
from ui.station.devices_dialog import StationDevicesDialog


@pytest.fixture
def printer() -> Iterator[LoopbackPrinter]:
    running = LoopbackPrinter().start()
    yield running
    running.stop()


def _open_dialog(station: Station) -> StationDevicesDialog:
    station.scanner.press(Qt.Key.Key_F2)
    station.qtbot.waitUntil(
        lambda: (
            station.window.devices_dialog is not None and station.window.devices_dialog.isVisible()
        )
    )
    dialog = station.window.devices_dialog
    assert isinstance(dialog, StationDevicesDialog)
    station.qtbot.waitUntil(lambda: QApplication.focusWidget() is not None)
    return dialog


def _key(key: Qt.Key) -> None:
    """Press `key` where the keyboard focus is."""
    focused = QApplication.focusWidget()
    assert focused is not None
    QTest.keyClick(focused, key)


def _type(station: Station, text: str) -> None:
    """Replace the focused field's text, key by key."""
    focused = QApplication.focusWidget()
    assert focused is not None
    QTest.keyClick(focused, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(focused, text)


def test_f2_chooses_the_printers_prints_a_test_label_and_saves_them(
    station: Station, warehouse: Database, printer: LoopbackPrinter
) -> None:
    dialog = _open_dialog(station)
    assert dialog.label_printer.currentText() == ""
    assert dialog.windowTitle() == "Devices of station pack-1"

    _type(station, printer.spec)
    QTest.keyClick(dialog, Qt.Key.Key_F5)
    (job,) = printer.wait_for(1)
    assert job.data.startswith(b"^XA")  # the sample label, as ZPL for a raw port
    station.qtbot.waitUntil(lambda: dialog.status_label.text().startswith("Test label sent"))
    _key(Qt.Key.Key_Tab)
    _type(station, "folder")
    _key(Qt.Key.Key_Return)
    station.qtbot.waitUntil(lambda: not dialog.isVisible())

    saved = load_station_devices(warehouse, "pack-1")
    assert saved == StationDevices("pack-1", printer.spec, "folder", "")
    window = station.window
    station.qtbot.waitUntil(lambda: f"label: {printer.spec}" in window.footer_label.text())
    assert window.controller.label_format == "zpl"


def test_a_printer_spec_the_station_cannot_use_is_refused_and_nothing_saved(
    station: Station, warehouse: Database
) -> None:
    dialog = _open_dialog(station)
    _type(station, "lpt1")
    _key(Qt.Key.Key_Return)

    station.qtbot.waitUntil(lambda: "refused" in dialog.status_label.text())
    assert dialog.status_label.text().startswith("station devices refused, nothing saved")
    assert dialog.isVisible()
    assert load_station_devices(warehouse, "pack-1").label_printer == ""
    _key(Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_a_test_label_to_a_printer_that_is_off_says_why(station: Station) -> None:
    dialog = _open_dialog(station)
    off = LoopbackPrinter()
    _type(station, off.spec)
    QTest.keyClick(dialog, Qt.Key.Key_F5)

    station.qtbot.waitUntil(lambda: "NOT printed" in dialog.status_label.text())
    assert dialog.status_label.text().startswith(f"test label NOT printed on {off.spec}")


def test_f2_sets_the_station_to_ship_what_it_packs_and_the_station_takes_it_at_once(
    station: Station, warehouse: Database
) -> None:
    dialog = _open_dialog(station)
    assert not dialog.dispatch_on_pack.isChecked()

    for _ in range(3):  # label printer, document printer, scale, then the check box
        _key(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.dispatch_on_pack
    _key(Qt.Key.Key_Space)
    _key(Qt.Key.Key_Return)
    station.qtbot.waitUntil(lambda: not dialog.isVisible())

    assert load_station_devices(warehouse, "pack-1") == StationDevices("pack-1", "", "", "", True)
    station.qtbot.waitUntil(lambda: station.window.controller.dispatches)
