"""Station screens: full-screen, scanner-first work places for the warehouse floor."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QWidget

from app.context import Actor
from app.services.lookups import list_box_types
from ui.context import UiContext
from ui.hub import AppHub
from ui.station.box_types import BoxCatalogue
from ui.station.pack_station_window import PackStationWindow
from ui.station.pick_station_window import PickStationWindow
from ui.station.settings import load_station_settings
from ui.tasks import TaskRunner

__all__ = [
    "STATION_SCREENS",
    "PackStationWindow",
    "PickStationWindow",
    "open_pack_station",
    "open_pick_station",
]


def _station_context(db: object, actor: Actor) -> UiContext:
    describe = getattr(db, "describe", None)
    return UiContext(
        database=db,
        database_label=describe() if callable(describe) else str(db),
        actor=actor,
        station=actor.station,
        tasks=TaskRunner(),
        hub=AppHub(),
    )


def open_pack_station(db: object, actor: Actor) -> QWidget:
    """The pack screen on `db` for `actor`, set to full screen; the caller shows it.

    The window owns its worker threads and stops them when it closes.
    """
    ctx = _station_context(db, actor)
    boxes = BoxCatalogue.from_views(ctx.call(list_box_types))
    window = PackStationWindow(ctx, settings=load_station_settings(QSettings()), boxes=boxes)
    window.setWindowState(Qt.WindowState.WindowFullScreen)
    return window


def open_pick_station(db: object, actor: Actor) -> QWidget:
    """The pick screen on `db` for `actor`, set to full screen; the caller shows it.

    The window owns its worker threads and stops them when it closes.
    """
    ctx = _station_context(db, actor)
    window = PickStationWindow(ctx, settings=load_station_settings(QSettings()))
    window.setWindowState(Qt.WindowState.WindowFullScreen)
    return window


# `python main.py --station KIND` opens STATION_SCREENS[KIND](db, actor).
STATION_SCREENS: dict[str, Callable[[object, Actor], QWidget]] = {
    "pack": open_pack_station,
    "pick": open_pick_station,
}
