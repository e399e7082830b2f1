"""Open the pack station on the X server in $DISPLAY and report, as one JSON line, where
its window sits, whether it has the keyboard, what a real key press did, and whether
the F2 dialog gets the keys typed next.

    DISPLAY=:99 QT_QPA_PLATFORM=xcb python -m tests.ui.station.kiosk_probe [--fake-wm]

`--fake-wm` first claims the WM_S0 selection as a window manager does (managing nothing),
to show the station tells the two cases apart.
"""

from __future__ import annotations

import argparse
import ctypes
import ctypes.util
import json
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.context import Actor
from db.engine import open_database
from db.schema import upgrade
from ui.station import open_pack_station
from ui.station.kiosk import KioskKeeper, has_window_manager
from ui.station.pack_station_window import PackStationWindow


def claim_wm_selection() -> object:
    """Own WM_S0 on a connection of our own; keep the returned handle alive."""
    x11 = ctypes.CDLL(ctypes.util.find_library("X11"))
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XDefaultRootWindow.restype = ctypes.c_ulong
    x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    x11.XCreateSimpleWindow.restype = ctypes.c_ulong
    x11.XCreateSimpleWindow.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int,
        ctypes.c_int, ctypes.c_uint, ctypes.c_uint, ctypes.c_uint, ctypes.c_ulong,
        ctypes.c_ulong]  # fmt: skip
    x11.XInternAtom.restype = ctypes.c_ulong
    x11.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    x11.XSetSelectionOwner.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong,
                                       ctypes.c_ulong]  # fmt: skip
    x11.XFlush.argtypes = [ctypes.c_void_p]
    display = x11.XOpenDisplay(None)
    owner = x11.XCreateSimpleWindow(display, x11.XDefaultRootWindow(display), 0, 0, 1, 1, 0, 0, 0)
    x11.XSetSelectionOwner(display, x11.XInternAtom(display, b"WM_S0", 0), owner, 0)
    x11.XFlush(display)
    return display


def _wait_for(ready: Callable[[], bool], timeout_ms: int = 5_000) -> None:
    for _ in range(timeout_ms // 10):
        if ready():
            return
        QTest.qWait(10)


def _x_focus() -> int:
    focus = subprocess.run(["xdotool", "getwindowfocus"], capture_output=True, text=True)
    return int(focus.stdout.strip() or 0)


def _f2_and_type(window: PackStationWindow, text: str) -> str:
    """Press F2 and type `text` on the X server: what the dialog's label field then holds."""
    subprocess.run(["xdotool", "key", "F2"], check=True)
    _wait_for(lambda: window.devices_dialog is not None and window.devices_dialog.isActiveWindow())
    dialog = window.devices_dialog
    if dialog is None:
        return ""
    subprocess.run(["xdotool", "key", "ctrl+a", "type", "--delay", "20", text], check=True)
    _wait_for(lambda: dialog.label_printer.currentText() == text)
    typed = dialog.label_printer.currentText()
    dialog.reject()
    _wait_for(lambda: QApplication.focusWindow() is window.windowHandle())  # back to the station
    return typed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--fake-wm", action="store_true")
    args = parser.parse_args()
    fake_wm = claim_wm_selection() if args.fake_wm else None
    app = QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(f"sqlite:///{Path(folder) / 'kiosk.db'}", station="pack-1")
        upgrade(db)
        window = open_pack_station(db, Actor("pat", "pack-1"))
        assert isinstance(window, PackStationWindow)
        answers: list[str] = []
        window.scan_processed.connect(lambda message, _: answers.append(message))
        window.show()
        _wait_for(lambda: window.controller.setup is not None and window.isActiveWindow())
        QTest.qWait(200)  # let a late configure event land, as it would with a real server
        subprocess.run(["xdotool", "key", "--delay", "20", "n"], check=True)
        _wait_for(lambda: bool(answers))
        dialog_text = _f2_and_type(window, "folder:/tmp")
        screen = window.screen().geometry()
        keeper = window.findChild(KioskKeeper)
        focus_window = app.focusWindow()
        report = {
            "window": [*window.geometry().topLeft().toTuple(), *window.size().toTuple()],
            "screen": [*screen.topLeft().toTuple(), *screen.size().toTuple()],
            "qt_focus": focus_window is not None and focus_window is window.windowHandle(),
            "x_focus_is_window": _x_focus() == int(window.winId()),
            "window_manager": has_window_manager(),
            "keyboard_grabbed": keeper is not None and keeper.grabbed,
            "answers": answers,
            "typed_into_f2_dialog": dialog_text,
        }
        window.close()
        db.dispose()
    print(json.dumps(report))
    del fake_wm


if __name__ == "__main__":
    main()
