"""The order detail on real data: one timeline of prints, notes, scans and e-mails in time
order (the panel on SQLite and PostgreSQL), the customer's other orders opening even
outside the current filter, bulk printing with its confirmation and result, and the
date-range and priority filters."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.order_query import Queue
from app.services.allocation import allocate
from app.services.bulk_actions import BulkAction, run
from app.services.customer_updates import queue_order_received
from app.services.intake import create_orders
from app.services.order_actions import add_note, cancel_order
from app.services.order_timeline import desk_order
from app.services.orders import list_orders, order_detail
from app.services.printing import PRINT_DIR_VAR
from app.services.scan_log import record_scan
from app.services.stations import load_station_devices
from db.engine import Database
from db.models import PrintJob
from db.uow import read, run_in_transaction
from tests.factories import channel, new_order, stock
from tests.ui.backoffice.helpers import pack_orders, select_order, wait_for_banner
from tests.ui.test_queue_supervisor import select_rows, show
from ui.context import UiContext
from ui.main_window import MainWindow
from ui.views.order_detail_panel import OrderDetailPanel
from ui.views.orders_view import OrdersView


@pytest.fixture(autouse=True)
def print_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "printed"
    monkeypatch.setenv(PRINT_DIR_VAR, str(folder))
    return folder


def test_the_timeline_shows_a_print_a_note_a_scan_and_an_e_mail_in_time_order(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database, actor: Actor
) -> None:
    view = main_window.orders_view
    order = list_orders(demo_db, status="allocated", limit=1)[0]
    run(demo_db, actor, BulkAction.PRINT_SLIPS, [order.id])
    add_note(demo_db, actor, order.number, "Customer rang: leave it at the door")
    record_scan(demo_db, actor, "SO-NOT-THIS", message="wrong parcel", order_id=order.id)
    run_in_transaction(demo_db, lambda session: queue_order_received(session, [order.id], actor))

    select_order(qtbot, view, order.number)
    panel = view.detail_panel
    qtbot.waitUntil(lambda: "E-mail" in panel.timeline_view.toPlainText())
    text = panel.timeline_view.toPlainText()

    mailed = text.index(f"to {order_detail(demo_db, order.number).email} queued")
    scanned = text.index("Scanned 'SO-NOT-THIS': refused - wrong parcel")
    noted = text.index("Note: Customer rang: leave it at the door")
    printed = text.index("Packing slip printed on")
    assert mailed < scanned < noted < printed  # newest first
    assert "· test-station · scan" in text[scanned:noted]  # a scan names its station
    assert "tester @ test-station · note" not in text  # a note has no station
    assert "· tester · note" in text[noted:printed]
    assert panel.timeline_hint.text() == "Newest first · times in Europe/London"
    assert f"Paid: {order.total:,.2f} {order.currency}" in panel.payments_label.text()


def test_a_customers_other_order_opens_on_enter_even_outside_the_current_filter(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database, actor: Actor
) -> None:
    view: OrdersView = main_window.orders_view
    channel(demo_db)
    sku = list_orders(demo_db, limit=1)[0]
    line = order_detail(demo_db, sku.number).lines[0].sku
    mine = replace(new_order({line: 1}), email="regular@example.com")
    older, newer = create_orders(
        demo_db, actor, [replace(mine, external_ref="#R1"), replace(mine, external_ref="#R2")]
    ).created
    cancel_order(demo_db, actor, older, "customer changed their mind")
    show(qtbot, view, Queue.NEW)
    select_order(qtbot, view, newer)
    assert view.model.row_of(older) is None  # cancelled: not in the New queue

    panel = view.detail_panel
    assert panel.customer_order_numbers() == [older]
    panel.history_tabs.setCurrentIndex(1)
    table = panel.customer_orders_table
    assert (table.cell_text(0, 0), table.cell_text(0, 2)) == (older, "Cancelled")
    table.setFocus()
    table.setCurrentCell(0, 0)
    qtbot.keyClick(table, Qt.Key.Key_Return)

    qtbot.waitUntil(lambda: panel.current_number() == older)
    assert view.search_edit.text() == older
    assert view.model.query().queue is None
    assert [view.model.order_at(r).number for r in range(view.model.rowCount())] == [older]
    assert panel.customer_order_numbers() == [newer]


def _jobs(db: Database, document: str) -> dict[int, int]:
    """order id -> how many print jobs of `document` it has."""

    def work(session: Session) -> dict[int, int]:
        rows = session.execute(
            select(PrintJob.order_id, func.count())
            .where(PrintJob.document == document)
            .group_by(PrintJob.order_id)
        )
        return {order_id: count for order_id, count in rows}

    return read(db, work)


def test_bulk_slips_confirm_who_gets_one_and_print_one_job_per_order(
    qtbot: QtBot,
    main_window: MainWindow,
    demo_db: Database,
    ui_context: UiContext,
    print_dir: Path,
) -> None:
    view = main_window.orders_view
    allocated = [r.number for r in list_orders(demo_db, status="allocated", limit=2)]
    waiting = list_orders(demo_db, status="backordered", limit=1)[0].number
    chosen = [*allocated, waiting]
    qtbot.waitUntil(lambda: all(view.model.row_of(n) is not None for n in chosen))
    select_rows(view, [view.model.row_of(n) or 0 for n in chosen])
    ids = {n: order_detail(demo_db, n).id for n in chosen}
    before = _jobs(demo_db, "packing_slip")
    printer = load_station_devices(demo_db, ui_context.actor.station).document_target

    view.bulk_actions.actions[BulkAction.PRINT_SLIPS].trigger()

    qtbot.waitUntil(lambda: isinstance(view.bulk_actions.dialog, QMessageBox))
    box = view.bulk_actions.dialog
    assert isinstance(box, QMessageBox)
    assert box.text() == (
        "2 of 3 orders will have their packing slip printed; 1 waits for stock."
        f" One each, on {printer}."
    )
    box.accept()

    assert (
        wait_for_banner(qtbot, view.feedback_banner, "ok")
        == f"2 packing slips printed on {printer}."
    )
    after = _jobs(demo_db, "packing_slip")
    assert {n: after.get(i, 0) - before.get(i, 0) for n, i in ids.items()} == {
        allocated[0]: 1,
        allocated[1]: 1,
        waiting: 0,
    }
    assert sorted(f.read_bytes()[:4] for f in print_dir.iterdir()) == [b"%PDF", b"%PDF"]


def test_between_dates_and_priority_narrow_the_queue(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database
) -> None:
    view = main_window.orders_view
    filters = view.queue_filters
    everything = list_orders(demo_db, limit=1000)
    day = everything[len(everything) // 2].placed_at.astimezone().date()
    on_that_day = {r.number for r in everything if r.placed_at.astimezone().date() == day}
    assert 0 < len(on_that_day) < len(everything)

    filters.placed_combo.setCurrentIndex(filters.placed_combo.count() - 1)
    assert filters.placed_range.isVisible() and not filters.ship_by_range.isVisible()
    filters.placed_range.from_edit.setDate(QDate(day.year, day.month, day.day))
    filters.placed_range.to_edit.setDate(QDate(day.year, day.month, day.day))

    def shown() -> set[str]:
        return {view.model.order_at(r).number for r in range(view.model.rowCount())}

    qtbot.waitUntil(lambda: not view.model.is_loading() and shown() == on_that_day)
    query = view.model.query()
    assert query.placed_window is None and query.placed_to - query.placed_from == timedelta(1)

    filters.service_combo.setCurrentIndex(filters.service_combo.findData(5))
    qtbot.waitUntil(lambda: view.model.query().priority == 5 and not view.model.is_loading())
    assert shown() == {r.number for r in everything if r.number in on_that_day and r.priority == 5}

    filters.placed_combo.setCurrentIndex(0)
    assert not filters.dates_row.isVisible()
    qtbot.waitUntil(lambda: view.model.query().placed_from is None)


def test_bulk_labels_go_to_packed_orders_only_one_job_each(
    qtbot: QtBot,
    main_window: MainWindow,
    demo_db: Database,
    ui_context: UiContext,
    actor: Actor,
    print_dir: Path,
) -> None:
    view = main_window.orders_view
    packed = pack_orders(demo_db, actor, 2, label_format="pdf")
    waiting = list_orders(demo_db, status="allocated", limit=1)[0].number
    chosen = [*packed, waiting]
    show(qtbot, view, None)
    qtbot.waitUntil(lambda: all(view.model.row_of(n) is not None for n in chosen))
    select_rows(view, [view.model.row_of(n) or 0 for n in chosen])
    ids = {n: order_detail(demo_db, n).id for n in chosen}
    before = _jobs(demo_db, "label")
    printer = load_station_devices(demo_db, ui_context.actor.station).label_target

    view.bulk_actions.actions[BulkAction.PRINT_LABELS].trigger()

    qtbot.waitUntil(lambda: isinstance(view.bulk_actions.dialog, QMessageBox))
    box = view.bulk_actions.dialog
    assert isinstance(box, QMessageBox)
    assert box.text() == (
        f"2 of 3 orders will have their label printed; 1 is not packed yet. One each, on {printer}."
    )
    box.accept()

    assert wait_for_banner(qtbot, view.feedback_banner, "ok") == f"2 labels printed on {printer}."
    after = _jobs(demo_db, "label")
    assert {n: after.get(i, 0) - before.get(i, 0) for n, i in ids.items()} == {
        packed[0]: 1,
        packed[1]: 1,
        waiting: 0,
    }


def test_the_panel_shows_the_merged_timeline_and_history_on_both_databases(
    qtbot: QtBot, db: Database, actor: Actor, print_dir: Path
) -> None:
    stock(db, actor, {"MUG": 5})
    channel(db)
    first, second = create_orders(
        db, actor, [new_order({"MUG": 1}, placed_minutes_ago=90), new_order({"MUG": 1})]
    ).created
    allocate(db, actor)
    order_id = order_detail(db, second).id
    run(db, actor, BulkAction.PRINT_SLIPS, [order_id])
    add_note(db, actor, second, "Gift wrap, please")
    record_scan(db, actor, "BAD-SCAN", message="not on this order", order_id=order_id)
    panel = OrderDetailPanel()
    qtbot.addWidget(panel)
    panel.resize(900, 500)

    desk = desk_order(db, second)
    panel.show_detail(desk.detail)
    panel.show_history(desk.history)

    text = panel.timeline_view.toPlainText()
    order = [
        "Scanned 'BAD-SCAN': refused - not on this order",
        "Note: Gift wrap, please",
        "Packing slip printed on folder",
        "Packing slip (PDF) queued for folder",
        "Reserved: New → Allocated",
        "Created: New",
    ]
    assert [text.index(line) for line in order] == sorted(text.index(line) for line in order)
    assert panel.customer_order_numbers() == [first]
    assert panel.customer_orders_table.cell_text(0, 2) == "Allocated"
    assert panel.history_tabs.tabText(1) == "Customer's orders (1)"
