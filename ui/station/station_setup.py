"""What a pack station needs to know about its site before it opens an order: what
set-up is missing, the box types, its own devices and every printer on the site."""

from __future__ import annotations

from dataclasses import dataclass

from app.services.database_setup import Database
from app.services.lookups import list_box_types
from app.services.site_readiness import station_setup_problems
from app.services.stations import (
    FALLBACK_PRINTER,
    StationDevices,
    list_stations,
    load_station_devices,
)
from ui.station.box_types import BoxCatalogue


@dataclass(frozen=True)
class StationSetup:
    problems: tuple[str, ...]  # sentences: what is missing, and where to set it
    boxes: BoxCatalogue
    devices: StationDevices
    printers: tuple[str, ...]  # the print folder and every printer a station uses


def check_station(db: Database, station: str) -> StationSetup:
    """Read the set-up (on a worker thread: several short reads)."""
    stations = list_stations(db)
    configured = [p for s in stations for p in (s.label_printer, s.document_printer) if p]
    return StationSetup(
        tuple(station_setup_problems(db)),
        BoxCatalogue.from_views(list_box_types(db)),
        load_station_devices(db, station),
        tuple(dict.fromkeys([FALLBACK_PRINTER, *configured])),
    )
