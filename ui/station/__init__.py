"""Station screens: full-screen, scanner-first work places for the warehouse floor."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from app.context import Actor
from app.services.database_setup import Database
from ui.context import UiContext
from ui.station.kiosk import make_kiosk
from ui.station.pack_station_window import PackStationWindow
from ui.station.pick_station_window import PickStationWindow
from ui.station.returns_station_window import ReturnsStationWindow
from ui.station.settings import load_station_settings

__all__ = [
    "STATION_SCREENS",
    "PackStationWindow",
    "PickStationWindow",
    "ReturnsStationWindow",
    "open_pack_station",
    "open_pick_station",
    "open_returns_station",
]


def open_pack_station(db: Database, actor: Actor) -> QWidget:
    """The pack screen on `db` for `actor`, filling the screen; the caller shows it.

    The window owns its worker threads and stops them when it closes.
    """
    ctx = UiContext.open(db, actor, station=actor.station)
    return make_kiosk(PackStationWindow(ctx, settings=load_station_settings(QSettings())))


def open_pick_station(db: Database, actor: Actor) -> QWidget:
    """The pick screen on `db` for `actor`, filling the screen; the caller shows it.

    The window owns its worker threads and stops them when it closes.
    """
    ctx = UiContext.open(db, actor, station=actor.station)
    return make_kiosk(PickStationWindow(ctx, settings=load_station_settings(QSettings())))


def open_returns_station(db: Database, actor: Actor) -> QWidget:
    """The returns screen on `db` for `actor`, filling the screen; the caller shows it."""
    ctx = UiContext.open(db, actor, station=actor.station)
    return make_kiosk(ReturnsStationWindow(ctx, settings=load_station_settings(QSettings())))


# `python main.py --station KIND` opens STATION_SCREENS[KIND](db, actor).
STATION_SCREENS: dict[str, Callable[[Database, Actor], QWidget]] = {
    "pack": open_pack_station,
    "pick": open_pick_station,
    "returns": open_returns_station,
}
