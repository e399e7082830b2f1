"""The quantity key: `*`, a number and Enter make the next scan count that many."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt

from app.services.orders import order_detail
from db.engine import Database
from tests.ui.station.conftest import MUG_GTIN, Station, StationFactory
from ui.station.pack_steps import Step
from ui.station.settings import StationSettings
from ui.widgets.scan_input import ScanSettings


def _star(station: Station) -> tuple[str, str]:
    return station.answer(lambda: station.scanner.press(Qt.Key.Key_Asterisk, "*"))


def test_a_bulk_item_is_counted_with_the_quantity_key(
    station: Station, warehouse: Database, order_of: Callable[[dict[str, int]], str]
) -> None:
    number = order_of({"MUG": 12})
    station.open(number)

    assert _star(station)[0] == "How many of the next item? Type the number, then Enter"
    assert station.enter_by_hand("12")[0] == "The next scan counts 12"
    message, sound = station.scan(MUG_GTIN)

    assert (message, sound) == ("All 12 items scanned - choose the box", "complete")
    packing = order_detail(warehouse, number).packing
    assert packing is not None and packing.scanned == {"MUG": 12}


def test_the_quantity_applies_to_one_scan_only_and_too_many_changes_nothing(
    station: Station, warehouse: Database, order_of: Callable[[dict[str, int]], str]
) -> None:
    number = order_of({"MUG": 3})
    station.open(number)
    _star(station)
    station.enter_by_hand("5")

    message, sound = station.scan(MUG_GTIN)

    assert (message, sound) == (f"{number} needs 3 × MUG Mug; 0 already scanned", "error")
    assert station.window.controller.units == 1
    assert station.scan(MUG_GTIN)[0] == "MUG 1 of 3"


def test_esc_at_the_quantity_question_goes_back_to_one_per_scan(
    station: Station, order_of: Callable[[dict[str, int]], str]
) -> None:
    station.open(order_of({"MUG": 2}))
    _star(station)

    answer = station.answer(lambda: station.scanner.press(Qt.Key.Key_Escape, "\x1b"))

    assert answer == ("Each scan counts one", "")
    assert station.window.controller.step is Step.SCANNING


@pytest.mark.parametrize("min_burst", [4, 2])  # 2: even `*3` counts as a scanner's burst
def test_star_and_a_number_typed_fast_is_a_quantity_not_a_barcode(
    open_station: StationFactory,
    warehouse: Database,
    order_of: Callable[[dict[str, int]], str],
    min_burst: int,
) -> None:
    settings = StationSettings(ScanSettings(min_burst_length=min_burst))
    station = open_station(settings=settings)
    number = order_of({"MUG": 12})
    station.open(number)

    assert station.scan("*3") == ("The next scan counts 3", "")
    assert station.scan(MUG_GTIN) == ("MUG 3 of 12", "ok")
    assert station.scan("*9") == ("The next scan counts 9", "")
    assert station.scan(MUG_GTIN) == ("All 12 items scanned - choose the box", "complete")
    packing = order_detail(warehouse, number).packing
    assert packing is not None and packing.scanned == {"MUG": 12}


def test_after_the_quantity_key_a_fast_number_is_the_count(
    open_station: StationFactory, order_of: Callable[[dict[str, int]], str]
) -> None:
    station = open_station(settings=StationSettings(ScanSettings(min_burst_length=2)))
    station.open(order_of({"MUG": 12}))
    _star(station)

    assert station.scan("12") == ("The next scan counts 12", "")
    assert station.window.controller.units == 12
