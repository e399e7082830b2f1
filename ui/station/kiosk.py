"""Station windows fill the screen and hold the keyboard, with or without a window manager.

With a window manager, the full-screen state is enough. Without one (a kiosk X server
started straight into Shipshape) that state does nothing useful: the window keeps its
default size and the keyboard goes wherever the pointer is. So the window also gets the
screen's geometry explicitly, is raised and activated, and - only when no window
manager runs - grabs the keyboard so a scanner's keys can never go astray.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

WM_CHECK = b"_NET_SUPPORTING_WM_CHECK"


def _x11_has_window_manager() -> bool:
    """True when an X window manager owns the WM_Sn selection (ICCCM) or announces
    itself on the root window (EWMH). Unknown (no libX11, no display) counts as yes,
    so a station never grabs a keyboard it should not."""
    library = ctypes.util.find_library("X11")
    if library is None:
        return True
    x11 = ctypes.CDLL(library)
    x11.XOpenDisplay.restype = ctypes.c_void_p
    x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
    x11.XDefaultScreen.argtypes = [ctypes.c_void_p]
    x11.XDefaultRootWindow.restype = ctypes.c_ulong
    x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    x11.XInternAtom.restype = ctypes.c_ulong
    x11.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
    x11.XGetSelectionOwner.restype = ctypes.c_ulong
    x11.XGetSelectionOwner.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
    x11.XGetWindowProperty.argtypes = [
        ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_long, ctypes.c_long,
        ctypes.c_int, ctypes.c_ulong, ctypes.POINTER(ctypes.c_ulong),
        ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_ulong),
        ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_void_p),
    ]  # fmt: skip
    x11.XFree.argtypes = [ctypes.c_void_p]
    x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
    display = x11.XOpenDisplay(os.environ.get("DISPLAY", "").encode() or None)
    if not display:
        return True
    try:
        selection = x11.XInternAtom(display, f"WM_S{x11.XDefaultScreen(display)}".encode(), 0)
        if x11.XGetSelectionOwner(display, selection):
            return True
        check = x11.XInternAtom(display, WM_CHECK, 1)
        if not check:
            return False
        kind, size = ctypes.c_ulong(), ctypes.c_int()
        count, after, data = ctypes.c_ulong(), ctypes.c_ulong(), ctypes.c_void_p()
        x11.XGetWindowProperty(
            display, x11.XDefaultRootWindow(display), check, 0, 1, 0, 0,  # AnyPropertyType
            ctypes.byref(kind), ctypes.byref(size), ctypes.byref(count), ctypes.byref(after),
            ctypes.byref(data),
        )  # fmt: skip
        if data:
            x11.XFree(data)
        return count.value > 0
    finally:
        x11.XCloseDisplay(display)


def has_window_manager() -> bool:
    """Is something managing windows on this session? Wayland always has a compositor;
    framebuffer and offscreen platforms never do."""
    platform = QGuiApplication.platformName()
    if platform.startswith("wayland"):
        return True
    if platform == "xcb":
        return _x11_has_window_manager()
    return False


class KioskKeeper(QObject):
    """Puts `window` on its whole screen with the focus each time it is shown or the
    screen changes size."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self.grabbed = False
        self._screens: set[QScreen] = set()
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Show:
            QTimer.singleShot(0, self.fill)
            screen = self._window.screen()
            if screen not in self._screens:
                self._screens.add(screen)
                screen.geometryChanged.connect(self.fill)
        return False

    def fill(self) -> None:
        window = self._window
        screen = window.screen() or QGuiApplication.primaryScreen()
        window.setGeometry(screen.geometry())
        window.raise_()
        window.activateWindow()
        handle = window.windowHandle()
        if handle is None:
            return
        handle.requestActivate()
        if not self.grabbed and not has_window_manager():
            self.grabbed = handle.setKeyboardGrabEnabled(True)


def make_kiosk(window: QWidget) -> QWidget:
    """Set `window` full screen on its screen; once shown it takes the keyboard focus."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    window.setGeometry(screen.geometry())
    window.setWindowState(window.windowState() | Qt.WindowState.WindowFullScreen)
    KioskKeeper(window)
    return window
