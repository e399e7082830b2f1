"""N at the pack station: a packer without a printed slip picks up the most urgent order."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.context import Actor
from app.services.allocation import allocate
from app.services.orders import order_detail
from db.engine import Database
from tests.factories import place
from tests.ui.station.conftest import MUG_GTIN, Station
from ui.station.pack_steps import Step
from ui.station.step_panels import IDLE_PROMPT


def test_n_opens_the_most_urgent_order_nobody_is_packing(
    station: Station, warehouse: Database, actor: Actor
) -> None:
    standard = place(warehouse, actor, {"MUG": 1}, placed_minutes_ago=120)
    express = place(warehouse, actor, {"MUG": 2}, service_level="express")
    allocate(warehouse, actor)
    assert "press N" in IDLE_PROMPT

    answer = station.answer(lambda: station.scanner.press(Qt.Key.Key_N, "n"))

    assert answer == (f"{express}: scan each item", "ok")
    window = station.window
    assert window.controller.step is Step.SCANNING
    assert window.order_panel.number_label.text() == express
    assert order_detail(warehouse, express).packing is not None
    assert order_detail(warehouse, standard).packing is None
    assert station.scan(MUG_GTIN) == ("MUG 1 of 2", "ok")


def test_n_with_nothing_waiting_says_the_queue_is_empty(station: Station) -> None:
    answer = station.answer(lambda: station.scanner.press(Qt.Key.Key_N, "n"))

    assert answer == ("Queue empty - no order is waiting to be packed", "")
    assert station.window.controller.step is Step.IDLE
    assert station.window.feedback_bar.tone() == "notice"
    assert not station.window.alert.isVisible()


def test_n_typed_and_entered_by_hand_also_takes_the_next_order(
    station: Station, warehouse: Database, actor: Actor
) -> None:
    number = place(warehouse, actor, {"MUG": 1})
    allocate(warehouse, actor)
    assert station.enter_by_hand("n") == (f"{number}: scan each item", "ok")
