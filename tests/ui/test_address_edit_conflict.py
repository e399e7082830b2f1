"""Two desks, or a desk and a packer, on one order: the address edit that comes second is
told what happened and overwrites nothing. On a SQLite file and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.context import Actor
from app.services.allocation import allocate
from app.services.orders import order_detail
from app.services.packing import open_for_packing
from db.engine import Database
from tests.factories import place, stock
from ui.context import UiContext
from ui.dialogs.address_dialog import AddressDialog


@pytest.fixture
def sessions(db: Database, qapp: QApplication) -> Iterator[tuple[UiContext, UiContext]]:
    """Two desk sessions on the same database, each with its own workers and hub."""
    first = UiContext.open(db, Actor(username="cara", station="desk-1"), station=None)
    second = UiContext.open(db, Actor(username="dev", station="desk-2"), station=None)
    yield first, second
    first.tasks.shutdown()
    second.tasks.shutdown()


@pytest.fixture
def order(db: Database, actor: Actor) -> str:
    stock(db, actor, {"MUG": 5})
    number = place(db, actor, {"MUG": 1})
    allocate(db, actor)
    return number


def _dialog(qtbot: QtBot, ctx: UiContext, db: Database, number: str) -> AddressDialog:
    dialog = AddressDialog(ctx, order_detail(db, number))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_packer_opening_the_order_while_the_agent_types_is_a_conflict_not_an_overwrite(
    qtbot: QtBot, db: Database, order: str, sessions: tuple[UiContext, UiContext]
) -> None:
    desk, _ = sessions
    dialog = _dialog(qtbot, desk, db, order)
    qtbot.keyClicks(dialog.edits["address1"], " Hinterhaus")
    open_for_packing(db, Actor(username="piet", station="pack-3"), f"O:{order}")

    dialog.save_button.click()

    qtbot.waitUntil(dialog.problem_label.isVisible, timeout=10_000)
    assert dialog.problem_label.text() == (
        f"{order} was changed by someone else since you opened it (station pack-3 (piet) has "
        "opened it); nothing was saved: reload the order to see its latest details"
    )
    assert dialog.isVisible() and not dialog.save_button.isEnabled()
    assert dialog.edits["address1"].text() == "Torstraße 12 Hinterhaus"  # the typing is kept
    assert order_detail(db, order).ship_to["address1"] == "Torstraße 12"


def test_of_two_agents_the_second_to_save_is_refused_and_the_first_change_stands(
    qtbot: QtBot, db: Database, order: str, sessions: tuple[UiContext, UiContext]
) -> None:
    first_desk, second_desk = sessions
    first = _dialog(qtbot, first_desk, db, order)
    second = _dialog(qtbot, second_desk, db, order)
    first.edits["postcode"].setText("10435")
    second.edits["postcode"].setText("10999")

    with qtbot.waitSignal(first.saved, timeout=10_000):
        first.save_button.click()
    second.save_button.click()

    qtbot.waitUntil(second.problem_label.isVisible, timeout=10_000)
    assert "was changed by someone else since you opened it" in second.problem_label.text()
    detail = order_detail(db, order)
    assert detail.ship_to["postcode"] == "10435"
    assert [e.username for e in detail.events if e.action == "address changed"] == ["cara"]


def test_a_missing_field_is_named_and_the_dialog_stays_open(
    qtbot: QtBot, db: Database, order: str, sessions: tuple[UiContext, UiContext]
) -> None:
    desk, _ = sessions
    dialog = _dialog(qtbot, desk, db, order)
    dialog.edits["city"].clear()
    dialog.save_button.click()
    qtbot.waitUntil(dialog.problem_label.isVisible, timeout=10_000)
    assert dialog.problem_label.text() == (
        f"The address of {order} was not saved: the city is required"
    )
    assert dialog.save_button.isEnabled()
