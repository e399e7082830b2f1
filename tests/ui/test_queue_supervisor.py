"""The supervisor's queue on real data: bulk actions with their confirmation, another
process's change appearing by itself with the selection kept, the model under Qt's
model tester with filters and sort, saved views and a CSV export a spreadsheet opens
safely."""

from __future__ import annotations

import csv
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.context import Actor
from app.domain.order_query import OrderQuery, Queue, SortKey
from app.services.bulk_actions import BulkAction
from app.services.intake import create_orders
from app.services.orders import list_orders, order_detail
from app.services.stats import stats
from db.engine import Database
from tests.factories import ADDRESS, new_order
from tests.ui.backoffice.helpers import wait_for_banner
from ui.dialogs.reason_dialog import ReasonDialog
from ui.main_window import MainWindow
from ui.models.order_queue_model import PAGE_SIZE, Column
from ui.views.orders_view import OrdersView

ROOT = Path(__file__).resolve().parents[2]


def show(qtbot: QtBot, view: OrdersView, queue: Queue | None) -> None:
    view.filter_bar.select(queue)
    view.filter_bar.queue_selected.emit(queue)
    qtbot.waitUntil(lambda: view.model.query().queue is queue and not view.model.is_loading())


def select_rows(view: OrdersView, rows: list[int]) -> None:
    view.table.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in rows:
        view.table.selectionModel().select(view.model.index(row, 0), flags)


def test_bulk_hold_says_exactly_what_will_happen_and_then_what_was_done(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database
) -> None:
    view = main_window.orders_view
    held = list_orders(demo_db, status="on_hold")[0].number
    allocated = [r.number for r in list_orders(demo_db, status="allocated", limit=3)]
    qtbot.waitUntil(lambda: all(view.model.row_of(n) is not None for n in [held, *allocated]))
    select_rows(view, [view.model.row_of(n) or 0 for n in [held, *allocated]])
    assert view.selection_label.text().startswith("4 orders selected")

    view.bulk_actions.actions[BulkAction.HOLD].trigger()

    qtbot.waitUntil(lambda: isinstance(view.bulk_actions.dialog, ReasonDialog))
    dialog = view.bulk_actions.dialog
    assert isinstance(dialog, ReasonDialog)
    assert dialog.prompt_label.text() == ("3 of 4 orders will be held; 1 is already on hold. Why?")
    dialog.set_text("Stock count in aisle A")
    dialog.accept()

    assert wait_for_banner(qtbot, view.feedback_banner, "ok") == "3 orders held."
    assert {order_detail(demo_db, n).status for n in allocated} == {"on_hold"}
    assert order_detail(demo_db, allocated[0]).hold_reason == "Stock count in aisle A"


def test_a_pick_list_of_the_selection_is_confirmed_then_made_of_exactly_those_orders(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database
) -> None:
    view = main_window.orders_view
    show(qtbot, view, Queue.READY_TO_PICK)
    chosen = [view.model.order_at(r).number for r in (0, 1)]
    select_rows(view, [0, 1])

    view.bulk_actions.actions[BulkAction.PICK_LIST].trigger()

    qtbot.waitUntil(lambda: isinstance(view.bulk_actions.dialog, QMessageBox))
    box = view.bulk_actions.dialog
    assert isinstance(box, QMessageBox)
    assert box.text() == "All 2 orders will go on pick lists."
    box.accept()

    assert wait_for_banner(qtbot, view.feedback_banner, "ok") == "2 orders put on pick lists."
    assert {order_detail(demo_db, n).status for n in chosen} == {"allocated"}  # listed, not picked
    qtbot.waitUntil(lambda: view.model.rowCount() > 0 and not view.model.is_loading())


def test_another_processs_change_appears_by_itself_keeping_the_selection(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database
) -> None:
    view = main_window.orders_view
    show(qtbot, view, Queue.READY_TO_PICK)
    rows = [2, 3]
    kept = {view.model.order_at(r).id for r in rows}
    select_rows(view, rows)
    target = view.model.order_at(0).number
    script = (
        "import sys; from app.context import Actor; from db.engine import open_database;"
        "from app.services.order_actions import hold_order;"
        "hold_order(open_database(sys.argv[1], station='other'), Actor('other', 'desk-2'),"
        " sys.argv[2], 'held at another desk')"
    )
    url = demo_db.url.render_as_string(hide_password=False)

    subprocess.run([sys.executable, "-c", script, url, target], cwd=ROOT, check=True)

    qtbot.waitUntil(lambda: view.model.row_of(target) is None, timeout=10_000)
    assert set(view.selected_ids()) == kept
    held = len(list_orders(demo_db, status="on_hold"))
    qtbot.waitUntil(lambda: view.filter_bar.count_of(Queue.ON_HOLD) == held)  # counts: own query


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")
def test_the_queue_model_passes_the_model_tester_filtered_sorted_and_fetched_further(
    qtbot: QtBot, main_window: MainWindow, qtmodeltester: ModelTester, demo_db: Database
) -> None:
    model = main_window.orders_view.model
    model.set_query(OrderQuery(queue=Queue.READY_TO_PICK, sort=SortKey.SHIP_BY, descending=False))
    qtbot.waitUntil(lambda: not model.is_loading())
    qtmodeltester.check(model)
    ship_by = [model.order_at(r).ship_by for r in range(model.rowCount())]
    assert ship_by == sorted(ship_by, key=lambda t: (t is not None, t))

    model.sort(Column.CUSTOMER, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: model.query().sort is SortKey.CUSTOMER and not model.is_loading())
    model.set_query(OrderQuery(sort=SortKey.TOTAL))
    qtbot.waitUntil(lambda: not model.is_loading() and model.query().sort is SortKey.TOTAL)
    model.fetchMore(QModelIndex())  # the tester may have fetched already: then a no-op
    qtbot.waitUntil(lambda: not model.is_loading() and not model.canFetchMore(QModelIndex()))
    assert model.rowCount() == stats(demo_db).orders_total > PAGE_SIZE
    qtmodeltester.check(model)
    totals = [model.order_at(r).total for r in range(model.rowCount())]
    assert totals == sorted(totals, reverse=True)


def test_a_saved_view_comes_back_and_the_export_neutralises_formulas(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database, actor: Actor, tmp_path: Path
) -> None:
    hostile = '=HYPERLINK("http://evil")'
    create_orders(
        demo_db,
        actor,
        [
            replace(
                new_order({"SKU-00001": 1}), ship_to=replace(ADDRESS, name=hostile, country="FR")
            )
        ],
    )
    view = main_window.orders_view
    filters = view.queue_filters
    qtbot.waitUntil(lambda: filters.channel_combo.count() > 1)
    filters.channel_combo.setCurrentIndex(filters.channel_combo.findData("web"))
    filters.country_edit.setText("FR")
    filters.country_edit.textEdited.emit("FR")
    qtbot.waitUntil(lambda: view.model.query().country == "FR" and not view.model.is_loading())
    filters.save_view("French web orders")
    qtbot.waitUntil(lambda: filters.view_names() == ["French web orders"])

    show(qtbot, view, Queue.LATE)
    filters.choose_view("French web orders")
    qtbot.waitUntil(lambda: view.model.query().queue is None and not view.model.is_loading())
    assert (view.model.query().channel, view.model.query().country) == ("web", "FR")
    numbers = {view.model.order_at(r).number for r in range(view.model.rowCount())}

    out = tmp_path / "french.csv"
    filters.export(out)
    qtbot.waitUntil(lambda: "exported to" in view.feedback_banner.text())
    assert view.feedback_banner.text() == f"{len(numbers)} orders exported to {out}"
    with out.open(newline="", encoding="utf-8") as handle:
        exported = list(csv.DictReader(handle))
    assert {row["order"] for row in exported} == numbers
    assert f"'{hostile}" in {row["customer"] for row in exported}
