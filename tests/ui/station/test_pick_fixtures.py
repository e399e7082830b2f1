"""Pick station fixtures, imported by the test_pick_* modules: a warehouse of four bins,
two small orders batched onto one list, and pick station windows driven by the
conftest's scripted scanner. Each fixture function is `fixture_<name>`, so a test's
parameter never shadows the imported function."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from itertools import count

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.context import Actor
from app.services.allocation import allocate
from app.services.catalogue import ProductInput, upsert_products
from app.services.intake import create_orders
from app.services.pick_lists import PickListView, create_pick_lists, pick_list_view
from db.engine import Database
from tests.factories import ADDRESS, channel, new_order, stock
from tests.ui.station.conftest import MUG_GTIN, TEA_GTIN, FakeClock, StationDriver
from ui.context import UiContext
from ui.hub import AppHub
from ui.station.pick_station_window import PickStationWindow
from ui.tasks import TaskRunner

PEN_GTIN = "96385074"
BINS = {
    "A-01-01-A": {"MUG": 3, "TEA": 10},
    "B-02-01-A": {"MUG": 5},
    "C-03-01-A": {"PEN": 1},
    "D-04-01-A": {"SPARE": 5},
}
_customers = count(1)


class PickStation(StationDriver[PickStationWindow]):
    """The pick station under test."""

    def claim(self) -> PickListView:
        """N: take the next list; the list now open."""
        message, _ = self.press(Qt.Key.Key_N, "n")
        view = self.window.controller.view
        assert view is not None, message
        return view


PickStationFactory = Callable[..., PickStation]


@pytest.fixture(name="picker")
def fixture_picker() -> Actor:
    return Actor(username="pia", station="pick-1")


@pytest.fixture(name="pick_warehouse")
def fixture_pick_warehouse(sqlite_db: Database, actor: Actor) -> Database:
    """The four bins of BINS, in walking order A, B, C, D; every product has a barcode."""
    for code, units in BINS.items():
        stock(sqlite_db, actor, units, location=code)
    upsert_products(
        sqlite_db,
        actor,
        [
            ProductInput("MUG", "Stoneware mug, white", (MUG_GTIN,)),
            ProductInput("TEA", "Earl Grey tea 250 g", (TEA_GTIN,)),
            ProductInput("PEN", "Fountain pen", (PEN_GTIN,)),
            ProductInput("SPARE", "Spare part", ("SPARE-BC",)),
        ],
    )
    return sqlite_db


@pytest.fixture(name="place_order")
def fixture_place_order(pick_warehouse: Database, actor: Actor) -> Callable[[dict[str, int]], str]:
    """Place and allocate an order from a customer of its own (no risk rule holds it)."""

    def make(lines: dict[str, int]) -> str:
        n = next(_customers)
        channel(pick_warehouse, "web")
        order = replace(
            new_order(lines),
            ship_to=replace(ADDRESS, address1=f"Dock {n}"),
            email=f"customer{n}@example.de",
        )
        number = create_orders(pick_warehouse, actor, [order]).created[0]
        allocate(pick_warehouse, actor)
        return number

    return make


@pytest.fixture(name="batch")
def fixture_batch(
    pick_warehouse: Database, actor: Actor, place_order: Callable[[dict[str, int]], str]
) -> tuple[str, str]:
    """Two small orders on one batch list: A MUG, A TEA (tote 1), A 2 MUG, C PEN (tote 2)."""
    numbers = place_order({"MUG": 1, "TEA": 1}), place_order({"MUG": 2, "PEN": 1})
    (view,) = create_pick_lists(pick_warehouse, actor)
    assert [(t.location, t.sku, t.quantity, t.tote) for t in view.tasks] == [
        ("A-01-01-A", "MUG", 1, "T-1-1"),
        ("A-01-01-A", "TEA", 1, "T-1-1"),
        ("A-01-01-A", "MUG", 2, "T-1-2"),
        ("C-03-01-A", "PEN", 1, "T-1-2"),
    ]
    return numbers


@pytest.fixture(name="pick_stations")
def fixture_pick_stations(
    qtbot: QtBot, pick_warehouse: Database, picker: Actor, qapp: QApplication
) -> Iterator[PickStationFactory]:
    """Open pick station windows (1280x800, shown); all closed, threads joined, after."""
    windows: list[PickStationWindow] = []

    def make(actor: Actor | None = None, lease_seconds: int = 600) -> PickStation:
        who = actor or picker
        ctx = UiContext(pick_warehouse, "test", who, who.station, TaskRunner(), AppHub())
        clock = FakeClock()
        window = PickStationWindow(ctx, lease_seconds=lease_seconds, clock=clock)
        windows.append(window)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        return PickStation(qtbot, window, clock)

    yield make
    for window in windows:
        window.close()  # stops the lease timer, joins the worker threads


@pytest.fixture(name="pick_station")
def fixture_pick_station(pick_stations: PickStationFactory) -> PickStation:
    return pick_stations()


def view_of(db: Database, station: PickStation) -> PickListView:
    """The open list as the database has it now."""
    view = station.window.controller.view
    assert view is not None
    return pick_list_view(db, view.id)
