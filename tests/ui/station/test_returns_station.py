"""The returns station driven by a scripted scanner at scanner pace: the RMA, items,
condition and disposition keys, a bin scan, a wrong item, an over-receive and a
parcel someone else received first - each refusal a red alert that records nothing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.context import Actor
from app.domain.returns import Condition, Disposition, ReceiptItem
from app.services.allocation import allocate
from app.services.catalogue import ProductInput, upsert_products
from app.services.intake import create_orders
from app.services.pack_completion import pack_unverified
from app.services.return_views import return_detail
from app.services.returns import authorise_return, receive_return
from app.services.shipping import ship_order
from db.engine import Database
from tests.factories import ADDRESS, channel, new_order, stock
from tests.ui.station.conftest import MUG_GTIN, TEA_GTIN, FakeClock, StationDriver
from ui.context import UiContext
from ui.hub import AppHub
from ui.station.returns_controller import ReturnStep
from ui.station.returns_station_window import ReturnsStationWindow
from ui.tasks import TaskRunner

PEN_GTIN = "96385074"


class ReturnsStation(StationDriver[ReturnsStationWindow]):
    @property
    def step(self) -> ReturnStep:
        step: ReturnStep = self.window.controller.step
        return step


@pytest.fixture(name="shipped_order")
def fixture_shipped_order(sqlite_db: Database, actor: Actor) -> str:
    stock(sqlite_db, actor, {"MUG": 5, "TEA": 5, "PEN": 5}, location="A-01-01-A")
    upsert_products(
        sqlite_db,
        actor,
        [
            ProductInput("MUG", "Stoneware mug, white", (MUG_GTIN,)),
            ProductInput("TEA", "Earl Grey tea 250 g", (TEA_GTIN,)),
            ProductInput("PEN", "Fountain pen", (PEN_GTIN,)),
        ],
    )
    channel(sqlite_db, "web")
    order = replace(new_order({"MUG": 2, "TEA": 1}), email="rita@example.de")
    number = create_orders(sqlite_db, actor, [replace(order, ship_to=ADDRESS)]).created[0]
    allocate(sqlite_db, actor)
    pack_unverified(sqlite_db, actor, number)
    ship_order(sqlite_db, actor, number)
    return number


@pytest.fixture(name="station")
def fixture_station(
    qtbot: QtBot, sqlite_db: Database, qapp: QApplication
) -> Iterator[ReturnsStation]:
    clerk = Actor(username="rita", station="returns-1")
    ctx = UiContext(sqlite_db, "test", clerk, clerk.station, TaskRunner(), AppHub())
    clock = FakeClock()
    window = ReturnsStationWindow(ctx, clock=clock)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    yield ReturnsStation(qtbot, window, clock)
    window.close()


def test_a_parcel_is_received_by_scans_and_keys_alone(
    station: ReturnsStation,
    sqlite_db: Database,
    actor: Actor,
    shipped_order: str,
    tmp_path: Path,
) -> None:
    rma = authorise_return(sqlite_db, actor, shipped_order, {"MUG": 2, "TEA": 1}, "damaged")
    message, sound = station.scan(f"R:{rma.number}")
    assert (sound, station.step) == ("ok", ReturnStep.ITEMS), message

    assert station.scan(MUG_GTIN)[1] == "ok" and station.step is ReturnStep.CONDITION
    station.press(Qt.Key.Key_1, "1")  # sellable
    message, sound = station.scan("L:A-01-01-A")
    assert sound == "ok" and "restock to A-01-01-A" in message, message

    station.scan(MUG_GTIN)
    station.press(Qt.Key.Key_3, "3")  # damaged
    message, sound = station.press(Qt.Key.Key_R, "r")
    assert sound == "error" and "cannot go to restock" in message, message
    assert station.window.alert.isVisible()
    station.press(Qt.Key.Key_Q, "q")
    assert not station.window.alert.isVisible()

    message, sound = station.scan(PEN_GTIN)  # a wrong item: not on the RMA
    assert sound == "error" and f"not on {rma.number}" in message, message
    message, sound = station.scan(MUG_GTIN)  # a third mug: over-receive
    assert sound == "error" and "only 2 can come back" in message, message

    station.scan(TEA_GTIN)
    station.press(Qt.Key.Key_4, "4")  # the tea box holds something else
    station.press(Qt.Key.Key_V, "v")
    units = station.window.units_table
    assert [units.item(r, 3).text() for r in range(units.rowCount())] == [
        "restock A-01-01-A",
        "quarantine",
        "vendor",
    ]
    assert station.window.grab().save(str(tmp_path / "returns-station.png"))

    message, sound = station.scan("")  # Enter: the parcel is done
    assert sound == "complete" and f"{rma.number} closed: 3 units, 1 restocked" in message
    assert station.step is ReturnStep.IDLE
    view = return_detail(sqlite_db, rma.number)
    assert [(line.sku, line.qty_received) for line in view.lines] == [("MUG", 2), ("TEA", 1)]
    assert [r.username for line in view.lines for r in line.receipts] == ["rita"] * 3


def test_a_parcel_received_elsewhere_meanwhile_names_who_did_it(
    station: ReturnsStation, sqlite_db: Database, actor: Actor, shipped_order: str
) -> None:
    rma = authorise_return(sqlite_db, actor, shipped_order, {"TEA": 1}, "changed_mind")
    station.scan(f"R:{rma.number}")
    station.scan(TEA_GTIN)
    station.press(Qt.Key.Key_2, "2")
    station.press(Qt.Key.Key_R, "r")
    other = Actor("otto", "returns-2")
    unit = ReceiptItem("TEA", 1, Condition.OPENED, Disposition.QUARANTINE)
    receive_return(sqlite_db, other, rma.number, [unit])
    message, sound = station.scan(f"R:{rma.number}")  # its label again: parcel done
    assert sound == "error" and "received already, by otto at station returns-2" in message
    assert station.window.alert.isVisible() and station.step is ReturnStep.IDLE
    message, sound = station.scan(f"R:{rma.number}")
    assert sound == "error" and "by otto" in message


def test_a_parcel_without_rma_opens_by_its_packing_slip(
    station: ReturnsStation, sqlite_db: Database, shipped_order: str
) -> None:
    message, sound = station.scan(f"O:{shipped_order}")
    assert sound == "ok" and "no RMA" in message, message
    station.scan(MUG_GTIN)
    station.press(Qt.Key.Key_1, "1")
    station.press(Qt.Key.Key_R, "r")  # back to the bin it shipped from
    message, sound = station.scan(f"O:{shipped_order}")
    assert sound == "complete" and "1 restocked" in message, message


def test_the_screen_fits_1024x600(
    station: ReturnsStation,
    sqlite_db: Database,
    actor: Actor,
    shipped_order: str,
    tmp_path: Path,
) -> None:
    rma = authorise_return(sqlite_db, actor, shipped_order, {"MUG": 2, "TEA": 1}, "damaged")
    station.window.resize(1024, 600)
    station.scan(f"R:{rma.number}")
    station.scan(MUG_GTIN)
    station.press(Qt.Key.Key_2, "2")
    window = station.window
    prompt = window.prompt_label
    assert "Goes to?" in prompt.text()
    assert prompt.height() >= prompt.heightForWidth(prompt.width())  # nothing cut off
    assert window.lines_table.isVisible() and window.units_table.isVisible()
    assert window.grab().save(str(tmp_path / "returns-station-1024x600.png"))
