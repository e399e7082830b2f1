"""Picking a list at the pick station: N, the location label, each unit, the list done."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from app.context import Actor
from app.services.orders import order_detail
from app.services.pick_lists import create_pick_lists, pick_list_view
from app.services.picking import claim_next_pick_list
from db.engine import Database
from db.models import PickList
from db.types import utcnow
from db.uow import run_in_transaction
from tests.ui.station.conftest import MUG_GTIN, TEA_GTIN
from tests.ui.station.test_pick_fixtures import (  # noqa: F401 (fixtures)
    PEN_GTIN,
    PickStation,
    PickStationFactory,
    fixture_batch,
    fixture_pick_station,
    fixture_pick_stations,
    fixture_pick_warehouse,
    fixture_picker,
    fixture_place_order,
    view_of,
)
from ui.station import STATION_SCREENS, PickStationWindow, open_pick_station
from ui.station.pick_steps import PickStep
from ui.station.pick_walk_model import Column


def _marks(station: PickStation) -> list[str]:
    model = station.window.walk_model
    return [model.index(row, Column.MARK).data() for row in range(model.rowCount())]


def test_n_claims_the_next_list_and_shows_its_first_stop_big(
    pick_station: PickStation, pick_warehouse: Database, batch: tuple[str, str]
) -> None:
    window = pick_station.window
    assert window.pages.currentIndex() == 0
    assert window.idle_panel.prompt_label.text() == "Press N or scan P:<list> to start"

    answer = pick_station.press(Qt.Key.Key_N, "n")

    assert answer == ("PL-000001: go to A-01-01-A", "ok")
    assert window.controller.step is PickStep.WALKING
    panel = window.stop_panel
    assert (panel.caption_label.text(), panel.location_label.text()) == ("GO TO", "A-01-01-A")
    assert (panel.name_label.text(), panel.quantity_label.text()) == (
        "Stoneware mug, white",
        "PICK 1",
    )
    assert panel.tote_label.text() == "TOTE T-1-1" and panel.tote_label.isVisible()
    assert window.header.progress_label.text() == "stop 1 of 4 · 0 of 5 units"
    assert window.prompt_label.text() == "Scan the location label  L:A-01-01-A"
    assert window.walk_model.rowCount() == 4 and window.walk_model.current_row == 0
    assert [order_detail(pick_warehouse, n).status for n in batch] == ["picking", "picking"]


def test_a_list_walked_location_then_units_is_closed_and_its_orders_are_picked(
    pick_station: PickStation, pick_warehouse: Database, batch: tuple[str, str]
) -> None:
    window = pick_station.window
    pick_station.claim()

    assert pick_station.scan("L:A-01-01-A") == ("A-01-01-A: pick 1 × MUG into tote T-1-1", "ok")
    assert window.stop_panel.caption_label.text() == "✔ AT LOCATION"
    assert window.prompt_label.text().startswith("Scan each MUG into tote T-1-1  ·  1 to go")
    assert pick_station.scan(MUG_GTIN) == (
        "MUG 1 of 1 into tote T-1-1 - next: TEA here at A-01-01-A",
        "ok",
    )
    assert (
        pick_station.scan(TEA_GTIN)[0] == "TEA 1 of 1 into tote T-1-1 - next: MUG here at A-01-01-A"
    )
    assert window.header.progress_label.text() == "stop 3 of 4 · 2 of 5 units"
    assert _marks(pick_station) == ["✔", "✔", "", ""]
    assert window.stop_panel.tote_label.text() == "TOTE T-1-2"
    # one GS1 label with count (AI 30) 2 picks both mugs for tote 2
    assert pick_station.scan(f"(01)0{MUG_GTIN}(30)2")[0] == (
        "MUG 2 of 2 into tote T-1-2 - next: C-03-01-A"
    )
    assert window.prompt_label.text() == "Scan the location label  L:C-03-01-A"
    assert pick_station.scan("L:C-03-01-A")[0] == "C-03-01-A: pick 1 × PEN into tote T-1-2"

    done = pick_station.scan(PEN_GTIN)

    assert done == ("List PL-000001 done - take the totes to packing", "complete")
    assert window.controller.step is PickStep.IDLE and window.pages.currentIndex() == 0
    assert window.idle_panel.last_result_label.text() == (
        f"Last: PL-000001 picked  ·  5 units  ·  {batch[0]}, {batch[1]}"
    )
    assert [order_detail(pick_warehouse, n).status for n in batch] == ["picked", "picked"]
    assert window.controller.lease.timer.isActive() is False


def test_the_lease_is_renewed_on_a_timer_while_the_list_is_open(
    pick_stations: PickStationFactory, pick_warehouse: Database, batch: tuple[str, str]
) -> None:
    station = pick_stations(lease_seconds=1)
    station.claim()
    keeper = station.window.controller.lease
    assert keeper.timer.interval() == 333
    before = view_of(pick_warehouse, station).lease_expires_at
    assert before is not None

    with station.qtbot.waitSignal(keeper.renewed, timeout=3_000) as renewed:
        pass

    after = view_of(pick_warehouse, station).lease_expires_at
    assert after is not None and after > before
    assert renewed.args == [after]


def test_a_lease_taken_over_by_another_station_closes_the_list_with_a_red_alert(
    pick_station: PickStation,
    pick_warehouse: Database,
    batch: tuple[str, str],
) -> None:
    pick_station.claim()
    run_in_transaction(
        pick_warehouse,
        lambda s: s.execute(
            update(PickList).values(lease_expires_at=utcnow() - timedelta(seconds=1))
        ),
    )
    assert claim_next_pick_list(pick_warehouse, Actor("olaf", "pick-2")) is not None

    renew_now = lambda: pick_station.window.controller.lease.timer.start(10)  # noqa: E731
    message, sound = pick_station.answer(renew_now)

    assert (message, sound) == (
        "PL-000001 is being picked at station pick-2 (olaf) - this station no longer holds it",
        "error",
    )
    assert pick_station.window.alert.isVisible()
    assert pick_station.window.controller.step is PickStep.IDLE


def test_esc_then_enter_releases_the_list_and_its_orders_wait_again(
    pick_station: PickStation, pick_warehouse: Database, batch: tuple[str, str]
) -> None:
    view = pick_station.claim()
    pick_station.scan("L:A-01-01-A")
    pick_station.scan(MUG_GTIN)

    question = pick_station.press(Qt.Key.Key_Escape, "\x1b")
    assert question == ("Release PL-000001? Picked units stay recorded", "")
    assert "Enter = release" in pick_station.window.prompt_label.text()
    released = pick_station.press(Qt.Key.Key_Return, "\r")

    assert released == ("Released PL-000001 - back in the queue, picked units kept", "ok")
    after = pick_list_view(pick_warehouse, view.id)
    assert (after.status, after.station, after.picked) == ("open", None, 1)
    assert [order_detail(pick_warehouse, n).status for n in batch] == ["allocated", "allocated"]
    assert pick_station.window.controller.step is PickStep.IDLE


def test_esc_twice_keeps_picking(pick_station: PickStation, batch: tuple[str, str]) -> None:
    pick_station.claim()
    pick_station.press(Qt.Key.Key_Escape, "\x1b")
    assert pick_station.press(Qt.Key.Key_Escape, "\x1b") == ("Still picking PL-000001", "")
    assert pick_station.scan("L:A-01-01-A")[1] == "ok"


def test_a_restarted_station_resumes_its_list_from_the_p_scan(
    pick_stations: PickStationFactory, batch: tuple[str, str]
) -> None:
    crashed = pick_stations()
    crashed.claim()
    crashed.scan("L:A-01-01-A")
    crashed.scan(MUG_GTIN)
    crashed.window.close()

    restarted = pick_stations()
    answer = restarted.scan("P:PL-000001")

    assert answer == ("PL-000001: go to A-01-01-A - resumed, 1 of 5 picked", "ok")
    assert restarted.window.walk_model.current_row == 1
    assert restarted.scan(TEA_GTIN)[1] == "ok"  # the scan log still knows the location


def test_at_idle_n_or_a_scanned_pick_list_starts_work_and_a_held_list_is_refused(
    pick_stations: PickStationFactory,
    pick_warehouse: Database,
    actor: Actor,
    batch: tuple[str, str],
) -> None:
    station = pick_stations()
    assert station.scan(MUG_GTIN) == (
        f"GTIN 0{MUG_GTIN} is not a pick list - press N or scan a pick list (P:)",
        "error",
    )
    other = pick_stations(Actor("olaf", "pick-2"))
    other.scan("P:PL-000001")
    assert other.window.controller.step is not PickStep.IDLE
    assert station.scan("P:PL-000001")[0] == "PL-000001 is being picked at station pick-2"
    assert station.press(Qt.Key.Key_N, "n") == ("Queue empty - no pick list is waiting", "")
    assert station.window.controller.step is PickStep.IDLE
    assert create_pick_lists(pick_warehouse, actor) == []


def test_open_pick_station_is_registered_full_screen_and_stops_its_threads_on_close(
    qtbot: QtBot, pick_warehouse: Database, picker: Actor
) -> None:
    assert STATION_SCREENS["pick"] is open_pick_station
    window = open_pick_station(pick_warehouse, picker)
    qtbot.addWidget(window)
    assert isinstance(window, PickStationWindow)
    assert window.windowState() & Qt.WindowState.WindowFullScreen
    assert window.windowTitle() == "Shipshape - pick station pick-1"
    window.show()
    window.close()
