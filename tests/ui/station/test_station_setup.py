"""Opening the pack station, and the per-machine settings it reads."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from app.context import Actor
from db.engine import Database
from ui.station import PackStationWindow, open_pack_station
from ui.station.settings import StationSettings, load_station_settings
from ui.widgets.scan_input import ScanSettings


def test_open_pack_station_gives_a_full_screen_pack_window_that_stops_its_threads_on_close(
    qtbot: QtBot, sqlite_db: Database, packer: Actor
) -> None:
    window = open_pack_station(sqlite_db, packer)
    qtbot.addWidget(window)
    assert isinstance(window, PackStationWindow)
    assert window.windowState() & Qt.WindowState.WindowFullScreen
    assert window.windowTitle() == "Shipshape - pack station pack-1"
    window.show()
    window.close()


def test_settings_come_from_the_machine_with_defaults_for_anything_unreadable(
    tmp_path: Path,
) -> None:
    store = QSettings(str(tmp_path / "station.ini"), QSettings.Format.IniFormat)
    store.setValue("scanner/burst_gap_ms", "25")
    store.setValue("scanner/duplicate_window_ms", "soon")
    store.setValue("scanner/min_burst_length", "-3")
    store.setValue("packing/forbid_manual", "true")

    settings = load_station_settings(store)

    assert settings == StationSettings(ScanSettings(burst_gap_ms=25.0), forbid_manual=True)


def test_no_settings_means_the_defaults(tmp_path: Path) -> None:
    store = QSettings(str(tmp_path / "empty.ini"), QSettings.Format.IniFormat)
    assert load_station_settings(store) == StationSettings()
