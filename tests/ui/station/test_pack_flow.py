"""Packing an order at the station: scan the slip, the items, the box, the weight."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.context import Actor
from app.dto import PackResult
from app.services.orders import order_detail
from db.engine import Database
from tests.ui.station.conftest import (
    HUMAN_GAP_MS,
    MUG_GTIN,
    TEA_GTIN,
    Station,
    StationFactory,
)
from ui.station.pack_steps import Step


def test_a_scanned_order_is_packed_into_the_chosen_box_and_its_documents_printed(
    station: Station,
    warehouse: Database,
    order_of: Callable[[dict[str, int]], str],
    print_folder: Path,
) -> None:
    number = order_of({"MUG": 2, "TEA": 1})
    window = station.window
    steps: list[Step] = []
    window.controller.step_changed.connect(steps.append)

    assert station.open(number) == (f"{number}: scan each item", "ok")
    assert window.order_panel.number_label.text() == number
    assert window.order_panel.progress_label.text() == "0 of 3 items"
    assert station.scan(MUG_GTIN) == ("MUG 1 of 2", "ok")
    assert station.scan(TEA_GTIN) == ("TEA 1 of 1", "ok")
    assert window.order_panel.progress_label.text() == "2 of 3 items"
    assert station.scan(MUG_GTIN) == ("All 3 items scanned - choose the box", "complete")
    assert station.scan("B:M") == ("Medium box 350x250x150 (M) - now the weight", "ok")
    station.scanner.type("105", HUMAN_GAP_MS)
    assert window.step_panel.prompt_label.text() == (
        "M - Medium box 350x250x150   ·   expected 1.04 kg\nWeight:  105 g   ·   Enter to confirm"
    )
    packed: list[PackResult] = []
    window.controller.packed.connect(packed.append)
    message, sound = station.answer(
        lambda: station.scanner.enter_by_hand("0", pause_ms=HUMAN_GAP_MS)
    )

    assert (message, sound) == (
        f"Label printed on folder  ·  Packing slip printed on folder  ·  {number} packed",
        "ok",
    )
    assert steps == [
        Step.OPENING, Step.SCANNING, Step.BOX, Step.WEIGHT, Step.COMPLETING, Step.PRINTING,
        Step.IDLE,
    ]  # fmt: skip
    detail = order_detail(warehouse, number)
    assert detail.status == "packed"
    assert [(p.box, p.weight_g) for p in detail.shipments[0].packages] == [("M", 1050)]
    tracking = packed[0].tracking_number
    assert window.idle_panel.last_result_label.text() == (
        f"Last: {number} packed  ·  tracking {tracking}"
    )
    label_job, slip_job = packed[0].print_job_ids
    printed = sorted(path.name for path in print_folder.iterdir())
    assert [name.rsplit("-", 3)[0] for name in printed] == [  # the folder adds a time stamp
        f"label-{label_job}",
        f"packing_slip-{slip_job}",
    ]
    assert not window.alert.isVisible() and not window.printer_alert.isVisible()


def test_pressing_2_picks_the_small_box_and_enter_alone_takes_the_estimated_weight(
    station: Station, warehouse: Database, order_of: Callable[[dict[str, int]], str]
) -> None:
    number = order_of({"MUG": 2, "TEA": 1})
    station.open(number)
    for code in (MUG_GTIN, TEA_GTIN, MUG_GTIN):
        station.scan(code)
    window = station.window
    assert window.step_panel.box_tiles.isVisible()

    box = station.answer(lambda: station.scanner.press(Qt.Key.Key_2, "2"))
    assert box == ("Small box 250x180x100 (S) - now the weight", "ok")
    assert "Enter alone = estimate" in window.step_panel.prompt_label.text()
    station.answer(lambda: station.scanner.press(Qt.Key.Key_Return, "\r"))

    packages = order_detail(warehouse, number).shipments[0].packages
    assert [(p.box, p.weight_g) for p in packages] == [("S", 2 * 350 + 120 + 120)]
    assert number in window.idle_panel.last_result_label.text()


def test_scans_made_while_the_order_opens_are_applied_once_it_is_open(
    station: Station, order_of: Callable[[dict[str, int]], str]
) -> None:
    number = order_of({"MUG": 2, "TEA": 1})
    station.scanner.scan(f"O:{number}")
    station.scanner.scan(MUG_GTIN)
    progress = station.window.order_panel.progress_label
    station.qtbot.waitUntil(lambda: progress.text() == "1 of 3 items")


def test_a_station_restarted_mid_order_resumes_with_its_scans(
    open_station: StationFactory, order_of: Callable[[dict[str, int]], str]
) -> None:
    number = order_of({"MUG": 2, "TEA": 1})
    crashed = open_station()
    crashed.open(number)
    crashed.scan(MUG_GTIN)
    crashed.window.close()

    restarted = open_station()
    answer = restarted.open(number)

    assert answer == (f"{number}: scan each item - resumed, 1 of 3 already scanned", "ok")
    model = restarted.window.lines_model
    rows = [model.line_at(row) for row in range(model.rowCount())]
    assert [(line.sku, line.scanned) for line in rows] == [("MUG", 1), ("TEA", 0)]
    assert restarted.scan(MUG_GTIN) == ("MUG 2 of 2", "ok")


def test_a_second_station_is_told_where_and_by_whom_the_order_is_being_packed(
    open_station: StationFactory, warehouse: Database, order_of: Callable[[dict[str, int]], str]
) -> None:
    number = order_of({"MUG": 1})
    first = open_station()
    second = open_station(Actor(username="jo", station="pack-2"))
    first.open(number)
    before = order_detail(warehouse, number)

    message, sound = second.scan(f"O:{number}")

    assert (message, sound) == (f"{number} is being packed at station pack-1 (pat)", "error")
    assert second.window.alert.message() == message
    assert second.window.controller.step is Step.IDLE
    assert order_detail(warehouse, number) == before
    assert first.scan(MUG_GTIN) == ("All 1 items scanned - choose the box", "complete")


def test_esc_then_enter_releases_the_order_and_keeps_its_scans(
    station: Station, warehouse: Database, order_of: Callable[[dict[str, int]], str]
) -> None:
    number = order_of({"MUG": 2})
    station.open(number)
    station.scan(MUG_GTIN)

    question = station.answer(lambda: station.scanner.press(Qt.Key.Key_Escape, "\x1b"))
    assert question == (f"Release {number}? Its scans are kept", "")
    assert "Enter = release" in station.window.step_panel.prompt_label.text()
    released = station.answer(lambda: station.scanner.press(Qt.Key.Key_Return, "\r"))

    assert released == (f"Released {number} - its scans are kept", "ok")
    assert station.window.controller.step is Step.IDLE
    assert order_detail(warehouse, number).packing is None
    assert station.open(number)[0].endswith("resumed, 1 of 2 already scanned")


def test_esc_twice_keeps_packing(
    station: Station, order_of: Callable[[dict[str, int]], str]
) -> None:
    number = order_of({"MUG": 2})
    station.open(number)
    station.answer(lambda: station.scanner.press(Qt.Key.Key_Escape, "\x1b"))
    kept = station.answer(lambda: station.scanner.press(Qt.Key.Key_Escape, "\x1b"))
    assert kept == (f"Still packing {number}", "")
    assert station.scan(MUG_GTIN) == ("MUG 1 of 2", "ok")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (MUG_GTIN, f"GTIN 0{MUG_GTIN} is an item - scan the order slip, pick list or tote first"),
        ("O:SO-999999", "no order SO-999999"),
        ("B:M", "Box type M is not an order, pick list or tote"),
    ],
)
def test_without_an_open_order_only_an_order_pick_list_or_tote_opens_one(
    station: Station, code: str, expected: str
) -> None:
    assert station.scan(code) == (expected, "error")
    assert station.window.alert.isVisible()
    assert station.window.controller.step is Step.IDLE


def test_an_unknown_box_or_a_typed_non_number_weight_is_refused(
    station: Station, order_of: Callable[[dict[str, int]], str]
) -> None:
    station.open(order_of({"MUG": 1}))
    station.scan(MUG_GTIN)
    assert station.scan("B:XXL") == (
        "Unknown box type XXL - scan or press one of ENV, S, M, L, XL",
        "error",
    )
    station.scan("B:S")
    assert station.enter_by_hand("12a") == ("Type the weight in grams and press Enter", "error")
    assert station.window.controller.step is Step.WEIGHT
