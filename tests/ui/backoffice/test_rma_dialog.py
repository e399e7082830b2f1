"""The desk's RMA dialog: shipped-less-returned limits per line, the site's reasons, a
return authorised in the service's words, and a refusal shown in the dialog."""

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
from app.services.orders import order_detail
from app.services.return_views import ReturnView, return_detail
from app.services.returns import authorise_return, receive_return
from db.engine import Database
from tests import factories
from tests.services.test_returns import shipped
from ui.context import UiContext
from ui.dialogs.rma_dialog import RmaDialog
from ui.hub import AppHub
from ui.tasks import TaskRunner
from ui.views.return_actions import returnable


@pytest.fixture(name="order")
def fixture_order(sqlite_db: Database, actor: Actor) -> str:
    factories.stock(sqlite_db, actor, {"TEE": 5, "MUG": 5})
    return shipped(sqlite_db, actor, {"TEE": 2, "MUG": 1})


@pytest.fixture(name="dialog")
def fixture_dialog(
    qtbot: QtBot, sqlite_db: Database, order: str, qapp: QApplication
) -> Iterator[RmaDialog]:
    agent = Actor("dana", "desk")
    tasks = TaskRunner()
    dialog = RmaDialog(UiContext(sqlite_db, "test", agent, "desk", tasks, AppHub()), order)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: len(dialog.spins) == 2)
    yield dialog
    tasks.shutdown()


def test_the_dialog_authorises_what_the_agent_set(
    qtbot: QtBot, dialog: RmaDialog, sqlite_db: Database, order: str, tmp_path: Path
) -> None:
    assert dialog.spins["TEE"].maximum() == 2 and dialog.spins["MUG"].maximum() == 1
    assert dialog.reason_combo.itemText(2) == "Doesn't fit"
    assert not dialog.ok_button.isEnabled()
    dialog.spins["TEE"].setValue(1)
    dialog.reason_combo.setCurrentIndex(2)
    dialog.resolution_combo.setCurrentIndex(1)  # exchange
    assert dialog.grab().save(str(tmp_path / "rma-dialog.png"))
    with qtbot.waitSignal(dialog.authorised, timeout=10_000) as blocker:
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    view: ReturnView = blocker.args[0]
    stored = return_detail(sqlite_db, view.number)
    assert (stored.reason, stored.resolution, stored.authorised_by) == (
        "doesnt_fit",
        "exchange",
        "dana",
    )
    assert [(line.sku, line.qty_authorised) for line in stored.lines] == [("TEE", 1)]


def test_a_refusal_stays_in_the_dialog_and_saves_nothing(
    qtbot: QtBot, dialog: RmaDialog, sqlite_db: Database, order: str, actor: Actor
) -> None:
    dialog.spins["TEE"].setValue(2)
    authorise_return(sqlite_db, actor, order, {"TEE": 1}, "damaged")  # another agent, meanwhile
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.error_label.isVisible, timeout=10_000)
    assert "only 1 can be returned" in dialog.error_label.text()
    assert dialog.isVisible() and dialog.ok_button.isEnabled()


def test_only_orders_with_units_left_to_return_offer_the_action(
    sqlite_db: Database, actor: Actor, order: str
) -> None:
    assert returnable(order_detail(sqlite_db, order))
    unit = ReceiptItem("TEE", 2, Condition.SELLABLE, Disposition.RESTOCK)
    receive_return(sqlite_db, actor, order, [unit, replace(unit, sku="MUG", quantity=1)])
    assert not returnable(order_detail(sqlite_db, order)) and not returnable(None)
