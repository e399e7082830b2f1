"""What the pick screen refuses (red, the error tone, nothing changed) and the short pick."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt

from app.services.orders import order_detail
from db.engine import Database
from tests.ui.station.conftest import MUG_GTIN
from tests.ui.station.test_pick_fixtures import (  # noqa: F401 (fixtures)
    PEN_GTIN,
    PickStation,
    fixture_batch,
    fixture_pick_station,
    fixture_pick_stations,
    fixture_pick_warehouse,
    fixture_picker,
    fixture_place_order,
    view_of,
)
from ui.station.pick_steps import PickStep


@pytest.fixture
def walking(pick_station: PickStation, batch: tuple[str, str]) -> PickStation:
    """The batch list claimed; nothing scanned yet."""
    pick_station.claim()
    return pick_station


def refused(station: PickStation, db: Database, keys: Callable[[], None]) -> str:
    """Send `keys`; assert the screen went red and nothing changed; the message."""
    window = station.window
    before = view_of(db, station)
    shown = (window.controller.view, window.controller.location, window.controller.step)
    message, sound = station.answer(keys)
    assert view_of(db, station) == before
    assert (window.controller.view, window.controller.location, window.controller.step) == shown
    assert window.alert.isVisible() and window.alert.message() == message
    assert window.feedback_bar.tone() == "bad"
    assert window.sounds.last_sound == sound == "error"
    return message


@pytest.mark.parametrize(
    ("before", "code", "expected"),
    [
        ((), MUG_GTIN, "Scan the location first - next: A-01-01-A"),
        (
            (),
            "L:D-04-01-A",
            "Wrong location: PL-000001 has nothing at D-04-01-A - next: A-01-01-A",
        ),
        ((), "L:Z-99-99-Z", "Unknown location Z-99-99-Z - rescan"),
        (("L:A-01-01-A",), "SPARE-BC", "Wrong product: SPARE is not on PL-000001 - put it back"),
        (
            ("L:A-01-01-A",),
            PEN_GTIN,
            "Wrong product: PEN is picked at C-03-01-A, not A-01-01-A - put it back",
        ),
        (
            ("L:A-01-01-A",),
            f"(01)0{MUG_GTIN}(30)5",
            "Over-pick: tote T-1-1 needs 1 more × MUG, 5 scanned - put them back",
        ),
        (("L:A-01-01-A",), "P:PL-000009", "This is pick list PL-000009; you are picking PL-000001"),
    ],
    ids=[
        "product-before-location",
        "wrong-location",
        "unknown-location",
        "product-not-on-list",
        "product-of-another-stop",
        "over-pick",
        "another-list",
    ],
)
def test_a_wrong_scan_turns_the_screen_red_with_the_services_sentence_and_changes_nothing(
    walking: PickStation,
    pick_warehouse: Database,
    before: tuple[str, ...],
    code: str,
    expected: str,
) -> None:
    for scan in before:
        assert walking.scan(scan)[1] == "ok"
    assert refused(walking, pick_warehouse, lambda: walking.scanner.scan(code)) == expected
    assert walking.scan("L:A-01-01-A")[1] == "ok"  # the next good scan carries on


def test_a_short_pick_takes_the_rest_from_another_location_as_a_new_stop(
    walking: PickStation, pick_warehouse: Database, batch: tuple[str, str]
) -> None:
    window = walking.window
    for code in ("L:A-01-01-A", MUG_GTIN, "5901234123457"):
        walking.scan(code)
    question = walking.press(Qt.Key.Key_S, "s")
    assert question == ("Short pick at A-01-01-A: how many MUG did you find?", "")
    walking.scanner.type("0", 180)
    assert window.prompt_label.text().startswith("MUG found:  0  (0-1)   Enter = report")

    message, sound = walking.answer(lambda: walking.scanner.press(Qt.Key.Key_Return, "\r"))

    assert (message, sound) == (
        f"{batch[1]}: 2 × MUG not at A-01-01-A; 2 from B-02-01-A (stop 5)",
        "ok",
    )
    assert window.feedback_bar.tone() == "notice" and not window.alert.isVisible()
    assert window.controller.step is PickStep.WALKING
    stops = [
        (t.location, t.sku, t.quantity, t.status) for t in view_of(pick_warehouse, walking).tasks
    ]
    assert stops[2:] == [
        ("A-01-01-A", "MUG", 0, "short"),
        ("C-03-01-A", "PEN", 1, "open"),
        ("B-02-01-A", "MUG", 2, "open"),
    ]
    assert window.walk_model.rowCount() == 5
    assert window.header.progress_label.text() == "stop 3 of 4 · 2 of 5 units"
    assert window.prompt_label.text() == "Scan the location label  L:C-03-01-A"


def test_a_short_pick_with_no_stock_elsewhere_sends_the_order_back_and_the_list_still_closes(
    walking: PickStation, pick_warehouse: Database, batch: tuple[str, str]
) -> None:
    for code in ("L:A-01-01-A", MUG_GTIN, "5901234123457", f"(01)0{MUG_GTIN}(30)2", "L:C-03-01-A"):
        walking.scan(code)
    walking.press(Qt.Key.Key_S, "s")

    done = walking.enter_by_hand("0")

    assert done == ("List PL-000001 done - take the totes to packing", "complete")
    assert order_detail(pick_warehouse, batch[0]).status == "picked"
    short = order_detail(pick_warehouse, batch[1])
    # Ship-complete: the short order goes back to wait whole; its picked mugs go back.
    assert short.status == "backordered"
    assert [(line.sku, line.qty_allocated, line.qty_picked) for line in short.lines] == [
        ("MUG", 0, 0),
        ("PEN", 0, 0),
    ]


def test_a_found_count_out_of_range_is_refused_and_esc_cancels_the_short(
    walking: PickStation, pick_warehouse: Database
) -> None:
    walking.scan("L:A-01-01-A")
    walking.press(Qt.Key.Key_S, "s")
    message = refused(walking, pick_warehouse, lambda: walking.scanner.enter_by_hand("1"))
    assert message == "Type how many you found (0), then Enter"
    assert walking.press(Qt.Key.Key_Escape, "\x1b") == ("Short pick cancelled", "")
    assert walking.window.controller.step is PickStep.WALKING
    assert walking.scan(MUG_GTIN)[0] == "MUG 1 of 1 into tote T-1-1 - next: TEA here at A-01-01-A"


def test_a_short_pick_after_some_units_counts_them_among_the_found(
    walking: PickStation, pick_warehouse: Database, batch: tuple[str, str]
) -> None:
    for code in ("L:A-01-01-A", MUG_GTIN, "5901234123457", MUG_GTIN):
        walking.scan(code)
    question = walking.press(Qt.Key.Key_S, "s")
    assert (
        question[0] == "Short pick at A-01-01-A: how many MUG did you find, counting the 1 picked?"
    )

    answer = walking.enter_by_hand("1")

    assert answer == (f"{batch[1]}: 1 × MUG not at A-01-01-A; 1 from B-02-01-A (stop 5)", "ok")
    assert walking.window.prompt_label.text() == "Scan the location label  L:C-03-01-A"
    assert walking.window.walk_model.index(2, 0).data() == "✖"  # stop 3: short
