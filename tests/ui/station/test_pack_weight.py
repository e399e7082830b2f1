"""The weight step: the expected weight shown, a weight outside the tolerance refused with
both figures, a supervisor's badge accepting it (audited), and a scale filling it in."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services.orders import order_detail
from db.engine import Database
from db.models import AuditEvent, User
from db.uow import read, run_in_transaction
from tests.ui.station.conftest import HUMAN_GAP_MS, MUG_GTIN, Station, StationFactory, use_devices
from ui.station.pack_controller import WEIGHT_OVERRIDE_HINT
from ui.station.pack_steps import Step

OrderOf = Callable[[dict[str, int]], str]
REFUSED = (
    "Weighs 1.50 kg, expected 0.82 kg (0.74–0.90 kg allowed)"
    " - check the contents or call a supervisor"
)


@pytest.fixture
def staff(warehouse: Database) -> Database:
    """A supervisor (badge U:SAM) and a packer (U:PAT), as the demo has them."""

    def add(session: Session) -> None:
        session.add(User(username="sam", display_name="Sam Supervisor", role="supervisor",
                         badge="U:SAM"))  # fmt: skip
        session.add(User(username="pat", display_name="Pat Packer", role="packer", badge="U:PAT"))

    run_in_transaction(warehouse, add)
    return warehouse


def _at_weight(station: Station, number: str) -> None:
    """Two mugs (350 g each) scanned into the small box (120 g): 820 g expected."""
    station.open(number)
    station.scan(MUG_GTIN)
    station.scan(MUG_GTIN)
    station.scan("B:S")


def test_a_weight_outside_the_tolerance_is_refused_with_both_figures(
    station: Station, warehouse: Database, order_of: OrderOf
) -> None:
    number = order_of({"MUG": 2})
    _at_weight(station, number)
    assert "expected 0.82 kg" in station.window.step_panel.prompt_label.text()

    message, sound = station.enter_by_hand("1500")

    assert (message, sound) == (REFUSED, "error")
    alert = station.window.alert
    assert alert.message() == REFUSED
    assert alert.hint_label.text() == WEIGHT_OVERRIDE_HINT
    assert station.window.controller.step is Step.WEIGHT
    assert order_detail(warehouse, number).status == "allocated"


def test_a_supervisors_badge_after_a_refusal_accepts_the_weight_and_is_audited(
    station: Station, staff: Database, order_of: OrderOf
) -> None:
    number = order_of({"MUG": 2})
    _at_weight(station, number)
    station.enter_by_hand("1500")

    message, _ = station.scan("U:SAM")

    assert message.endswith(f"{number} packed, weight accepted by Sam Supervisor")
    detail = order_detail(staff, number)
    assert detail.status == "packed"
    assert [p.weight_g for p in detail.shipments[0].packages] == [1500]
    overrides = read(
        staff,
        lambda s: s.execute(
            select(AuditEvent.username, AuditEvent.reason, AuditEvent.details).where(
                AuditEvent.action == "weight_override"
            )
        ).all(),
    )
    assert [(who, why) for who, why, _ in overrides] == [("pat", REFUSED)]
    assert overrides[0][2] == {"supervisor": "sam", "badge": "U:SAM"}
    assert number in station.window.idle_panel.last_result_label.text()
    assert "accepted by Sam Supervisor" in station.window.idle_panel.last_result_label.text()


def test_a_packers_badge_cannot_override_and_changes_nothing(
    station: Station, staff: Database, order_of: OrderOf
) -> None:
    number = order_of({"MUG": 2})
    _at_weight(station, number)
    station.enter_by_hand("1500")

    message, sound = station.scan("U:PAT")

    assert (message, sound) == (
        "Pat Packer is a packer; only a supervisor's badge can override",
        "error",
    )
    assert station.window.alert.hint_label.text() == WEIGHT_OVERRIDE_HINT
    assert order_detail(staff, number).status == "allocated"
    assert station.scan("U:SAM")[0].endswith("weight accepted by Sam Supervisor")


def test_a_badge_with_no_refused_weight_approves_nothing(
    station: Station, staff: Database, order_of: OrderOf
) -> None:
    _at_weight(station, order_of({"MUG": 2}))
    assert station.scan("U:SAM") == (
        "A badge is needed only when a weight is refused - weigh the parcel",
        "error",
    )


def test_a_weight_typed_after_a_refusal_is_checked_afresh(
    station: Station, warehouse: Database, order_of: OrderOf
) -> None:
    number = order_of({"MUG": 2})
    _at_weight(station, number)
    station.enter_by_hand("1500")

    message, _ = station.enter_by_hand("830")

    assert message.endswith(f"{number} packed")
    assert [p.weight_g for p in order_detail(warehouse, number).shipments[0].packages] == [830]


@pytest.fixture
def scale_port() -> Iterator[tuple[int, str]]:
    """A pty pair standing in for the scale's serial port: (the scale's end, the path)."""
    scale_end, station_end = os.openpty()
    yield scale_end, os.ttyname(station_end)
    os.close(scale_end)
    os.close(station_end)


def test_the_scale_fills_in_the_weight_and_enter_confirms_it(
    open_station: StationFactory,
    warehouse: Database,
    order_of: OrderOf,
    scale_port: tuple[int, str],
) -> None:
    scale_end, path = scale_port
    use_devices(warehouse, "pack-1", scale=path)
    station = open_station()
    number = order_of({"MUG": 2})
    _at_weight(station, number)
    prompt = station.window.step_panel.prompt_label
    assert prompt.text().endswith("Weight:  put the parcel on the scale (or type grams + Enter)")

    os.write(scale_end, b"US,GS,+  0.400kg\r\nST,GS,+  0.826kg\r\n")
    station.qtbot.waitUntil(lambda: "0.83 kg on the scale" in prompt.text())
    message, _ = station.answer(lambda: station.scanner.press(Qt.Key.Key_Return, "\r"))

    assert message.endswith(f"{number} packed")
    assert [p.weight_g for p in order_detail(warehouse, number).shipments[0].packages] == [826]


def test_with_a_scale_enter_alone_waits_for_it_and_typed_grams_still_work(
    open_station: StationFactory,
    warehouse: Database,
    order_of: OrderOf,
    scale_port: tuple[int, str],
) -> None:
    use_devices(warehouse, "pack-1", scale=scale_port[1])
    station = open_station()
    number = order_of({"MUG": 2})
    _at_weight(station, number)

    waiting = station.answer(lambda: station.scanner.press(Qt.Key.Key_Return, "\r"))
    assert waiting == ("Waiting for the scale - or type the grams + Enter", "")
    station.scanner.type("81", HUMAN_GAP_MS)
    assert station.window.step_panel.prompt_label.text().endswith(
        "Weight:  81 g   ·   Enter to confirm"
    )
    message, _ = station.answer(lambda: station.scanner.enter_by_hand("5", pause_ms=HUMAN_GAP_MS))

    assert message.endswith(f"{number} packed")
    assert [p.weight_g for p in order_detail(warehouse, number).shipments[0].packages] == [815]
