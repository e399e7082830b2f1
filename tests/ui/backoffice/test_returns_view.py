"""The desk's returns list: status, reason, units and refund per return; the selected
one in full; Issue refund records who issued it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot

from app.context import Actor
from app.domain.returns import Condition, Disposition, ReceiptItem
from app.services.return_views import return_detail
from app.services.returns import authorise_return, receive_return
from db.engine import Database
from tests import factories
from tests.services.test_returns import shipped
from tests.ui.backoffice.helpers import wait_for_banner
from ui.context import UiContext
from ui.hub import AppHub
from ui.tasks import TaskRunner
from ui.views.returns_view import ReturnsView


@pytest.fixture(name="view")
def fixture_view(
    qtbot: QtBot, sqlite_db: Database, actor: Actor, qapp: QApplication
) -> Iterator[ReturnsView]:
    factories.stock(sqlite_db, actor, {"TEE": 5, "MUG": 5})
    order = shipped(sqlite_db, actor, {"TEE": 2, "MUG": 1})
    first = authorise_return(sqlite_db, actor, order, {"TEE": 2}, "damaged")
    unit = ReceiptItem("TEE", 2, Condition.DAMAGED, Disposition.QUARANTINE)
    receive_return(sqlite_db, actor, first.number, [unit])
    authorise_return(sqlite_db, actor, order, {"MUG": 1}, "changed_mind", "exchange")
    tasks = TaskRunner()
    agent = Actor("dana", "desk")
    later = datetime.now(UTC) + timedelta(days=3)
    widget = ReturnsView(
        UiContext(sqlite_db, "test", agent, "desk", tasks, AppHub()), clock=lambda: later
    )
    qtbot.addWidget(widget)
    widget.resize(1024, 600)
    widget.show()
    qtbot.waitUntil(lambda: widget.table.rowCount() == 2)
    yield widget
    tasks.shutdown()


def test_the_list_shows_status_age_reason_and_refund(view: ReturnsView) -> None:
    cells = [
        [view.table.item(r, c).text() for c in range(view.table.columnCount())]
        for r in range(view.table.rowCount())
    ]
    assert cells[0][0] == "RMA-100002" and cells[0][3:8] == [
        "authorised", "Changed mind", "exchange", "0/1", "3 d",
    ]  # fmt: skip
    assert cells[1][3:] == ["closed", "Damaged", "refund", "2/2", "3 d", "20.00 pending"]


def test_issue_refund_records_who_issued_it(
    qtbot: QtBot, view: ReturnsView, sqlite_db: Database, tmp_path: Path
) -> None:
    view.table.selectRow(1)
    qtbot.waitUntil(lambda: "RMA-100001" in view.detail_view.toPlainText())
    assert "2 damaged -> quarantine QUARANTINE" in view.detail_view.toPlainText()
    assert view.refund_action.isEnabled()
    assert view.grab().save(str(tmp_path / "returns-list.png"))
    view.refund_action.trigger()
    text = wait_for_banner(qtbot, view.banner, "ok")
    assert "RMA-100001: refund of 20.00 EUR issued by dana" in text
    assert return_detail(sqlite_db, "RMA-100001").refunds[0].issued_by == "dana"
    qtbot.waitUntil(lambda: view.table.item(1, 8).text() == "20.00 issued")


def test_the_label_and_slip_are_saved_for_the_customer(
    qtbot: QtBot, view: ReturnsView, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args: str(tmp_path))
    view.table.selectRow(0)
    qtbot.waitUntil(view.documents_action.isEnabled)
    view.documents_action.trigger()
    text = wait_for_banner(qtbot, view.banner, "ok")
    assert "RMA-100002-label.pdf, RMA-100002-slip.pdf" in text
    for name in ("RMA-100002-label.pdf", "RMA-100002-slip.pdf"):
        assert (tmp_path / name).read_bytes().startswith(b"%PDF")
