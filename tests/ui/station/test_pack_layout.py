"""The station screens lay out without cutting any text off, from 1024x600 to 4K. The
pack screen: idle, mid-order with long names, nine box tiles with a suggestion, the
weight step, a red refusal and an amber printer failure; the pick screen: idle and
walking a list."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from app.context import Actor
from app.services.catalogue import ProductInput, upsert_products
from db.engine import Database
from db.models import BoxType
from db.uow import run_in_transaction
from tests.loopback_printer import LoopbackPrinter
from tests.ui.station.conftest import Station, StationFactory, use_devices
from tests.ui.station.layout_check import clipped_labels
from tests.ui.station.test_pick_fixtures import (  # noqa: F401 (fixtures)
    PickStation,
    fixture_batch,
    fixture_pick_station,
    fixture_pick_stations,
    fixture_pick_warehouse,
    fixture_picker,
    fixture_place_order,
)
from ui.station.pack_steps import Step

SIZES = [(1024, 600), (1280, 800), (1366, 768), (1600, 1000), (1920, 1080), (3840, 2160)]
PICK_SIZES = [(1024, 600), (1920, 1080), (3840, 2160)]
LONG_ITEMS = {
    "MUG": ("Stoneware espresso mug with saucer, speckled glaze, set of two", "4006381333931"),
    "TEA": ("Organic Darjeeling first flush loose-leaf black tea, 250 g tin", "5901234123457"),
}
MORE_BOXES = [
    ("TUBE", "Poster tube 1000 mm", 1000, 80, 80),
    ("WINE", "Wine shipper, two bottles", 380, 200, 110),
    ("BOOK", "Book wrap, large", 340, 260, 80),
    ("PAL", "Euro pallet 1200x800", 1200, 800, 1000),
]


@pytest.fixture
def long_names(warehouse: Database, actor: Actor) -> Database:
    """Long product names and nine box types with long names."""
    upsert_products(
        warehouse,
        actor,
        [ProductInput(sku, name, (gtin,), 350) for sku, (name, gtin) in LONG_ITEMS.items()],
    )

    def add_boxes(session: Session) -> None:
        for code, name, length, width, height in MORE_BOXES:
            session.add(BoxType(code=code, name=name, length_mm=length, width_mm=width,
                                height_mm=height, tare_g=100))  # fmt: skip

    run_in_transaction(warehouse, add_boxes)
    return warehouse


def _sized(open_station: StationFactory, size: tuple[int, int]) -> Station:
    station = open_station()
    station.qtbot.wait(50)  # laid out at 1280x800 first, as a station resized later is
    station.window.resize(*size)
    station.qtbot.waitUntil(lambda: station.window.size().toTuple() == size)
    return station


def _assert_whole(station: Station, scene: str) -> None:
    station.qtbot.wait(1)  # let the layout settle
    assert clipped_labels(station.window) == [], scene


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_nothing_is_cut_off_at_any_step(
    open_station: StationFactory,
    long_names: Database,
    order_of: Callable[[dict[str, int]], str],
    size: tuple[int, int],
) -> None:
    printer = LoopbackPrinter()  # off: the label fails, amber
    use_devices(long_names, "pack-1", label=printer.spec, document="folder")
    station = _sized(open_station, size)
    window = station.window
    _assert_whole(station, "idle")

    number = order_of({"MUG": 2, "TEA": 1})
    station.open(number)
    station.scan(LONG_ITEMS["MUG"][1])
    _assert_whole(station, "scanning")
    headline = window.order_panel.number_label
    assert headline.width() >= headline.sizeHint().width()
    station.scan(LONG_ITEMS["TEA"][1])
    station.scan(LONG_ITEMS["MUG"][1])
    prompt = window.step_panel.prompt_label
    station.qtbot.waitUntil(lambda: prompt.text().startswith("Suggested"))
    assert len(window.step_panel.box_tiles.findChildren(type(prompt))) == 9
    _assert_whole(station, "box step")

    station.answer(lambda: station.scanner.press(Qt.Key.Key_Return, "\r"))
    station.scanner.type("123456", 180)
    _assert_whole(station, "weight step")
    station.scanner.press(Qt.Key.Key_Backspace)

    station.scan("U:NOBODY")
    assert window.alert.isVisible()
    _assert_whole(station, "red alert")

    controller = window.controller
    assert controller.advice is not None and controller.box is not None
    station.enter_by_hand(str(controller.advice.expected_g(controller.box.code)))
    assert window.controller.step is Step.PRINTER_FAILED
    _assert_whole(station, "amber printer failure")
    station.answer(lambda: station.scanner.press(Qt.Key.Key_E, "e"))
    _assert_whole(station, "amber: other printers")


def test_the_check_sees_a_label_cut_off_either_way(qtbot: QtBot) -> None:
    """The negative control: a label too narrow, and a wrapped one too short."""
    host = QWidget()
    qtbot.addWidget(host)
    narrow = QLabel("Suggested: M - Medium box 350x250x150", host)
    narrow.setObjectName("narrow")
    narrow.setGeometry(0, 0, 120, 40)
    short = QLabel("Weighs 1.50 kg, expected 0.82 kg (0.74–0.90 kg allowed)", host)
    short.setObjectName("short")
    short.setWordWrap(True)
    short.setGeometry(0, 50, 200, 20)
    host.show()

    found = clipped_labels(host)

    assert [entry.split(" ")[0] for entry in found] == ["narrow", "short"]


@pytest.mark.parametrize("size", PICK_SIZES, ids=[f"{w}x{h}" for w, h in PICK_SIZES])
def test_the_pick_station_cuts_nothing_off_either(
    pick_station: PickStation, batch: tuple[str, str], size: tuple[int, int]
) -> None:
    window = pick_station.window
    pick_station.qtbot.wait(50)
    window.resize(*size)
    pick_station.qtbot.waitUntil(lambda: window.size().toTuple() == size)
    pick_station.qtbot.wait(1)
    assert clipped_labels(window) == [], "idle"

    pick_station.press(Qt.Key.Key_N, "n")
    pick_station.qtbot.wait(1)
    assert clipped_labels(window) == [], "walking"
    row_height = window.walk_table.verticalHeader().defaultSectionSize()
    assert row_height >= window.walk_table.fontMetrics().height()
