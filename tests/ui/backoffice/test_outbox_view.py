"""The desk's E-mails page: what waits, what failed and why, a preview, and Resend;
and the desk's background sender, which never runs on the UI thread."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

import app.services.email_sender as email_sender
from app.context import Actor
from app.emails.transport import smtp_from_url
from app.services.email_sender import send_due
from app.services.intake import create_orders
from app.services.outbox import OutboxEntry, list_outbox
from app.services.settings import set_settings
from db.engine import Database
from db.models import AuditEvent
from db.uow import read
from tests.factories import ADDRESS, channel, new_order
from tests.smtp_server import SmtpServer
from tests.ui.backoffice.helpers import show_page, wait_for_banner
from tests.ui.backoffice.outbox_screenshot import render_outbox
from tests.ui.backoffice.screenshots import SIZE
from ui.main_window import MainWindow
from ui.models.outbox_model import FAILED_COLOUR, Column
from ui.views.outbox_view import OutboxView


def _orders(db: Database, actor: Actor, *names: str) -> list[str]:
    """New orders (their "order received" e-mails queued) for customers named so."""
    channel(db, "web")
    orders = [
        replace(
            new_order({"SKU-00001": 1}, ref=f"#77{i}"),
            ship_to=replace(ADDRESS, name=name),
            email=f"{name.split()[0].lower()}@example.de",
        )
        for i, name in enumerate(names)
    ]
    return create_orders(db, actor, orders).created


def _outbox_page(qtbot: QtBot, window: MainWindow, db: Database) -> OutboxView:
    """The E-mails page showing every message (the demo's returns have some too)."""
    show_page(qtbot, window, window.outbox_view)
    view = window.outbox_view
    view.refresh()
    rows = len(list_outbox(db))
    qtbot.waitUntil(lambda: view.model.rowCount() == rows)
    return view


def _message_to(db: Database, address: str) -> OutboxEntry:
    return next(e for e in list_outbox(db) if e.to_addr == address)


def test_a_failed_message_shows_its_reason_in_red_and_the_preview_is_escaped_html(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database, actor: Actor
) -> None:
    _orders(demo_db, actor, "Ana <b>Bold</b> & Co", "Ben Bounce")
    server = SmtpServer().start()
    try:
        server.refuse("ben@example.de", "550 5.1.1 Mailbox unavailable")
        send_due(demo_db, worker="t", config=smtp_from_url(server.url))
    finally:
        server.stop()
    view = _outbox_page(qtbot, main_window, demo_db)

    failed = _message_to(demo_db, "ben@example.de")
    assert failed.status == "failed"
    row = view.model.row_of(failed.id)
    assert row is not None
    problem = view.model.index(row, Column.PROBLEM)
    assert problem.data() == "refused by the server: 550 5.1.1 Mailbox unavailable"
    assert view.model.index(row, Column.STATUS).data(0) == "Failed"
    assert problem.data(9) == FAILED_COLOUR  # ForegroundRole
    qtbot.waitUntil(lambda: "1 failed" in view.count_label.text())

    view.select_message(_message_to(demo_db, "ana@example.de").id)
    qtbot.waitUntil(lambda: "Ana <b>Bold</b> & Co" in view.header_label.text())
    assert "Hello Ana <b>Bold</b> & Co," in view.html_view.toPlainText()  # shown, not bold
    assert "Hello Ana <b>Bold</b> & Co," in view.text_view.toPlainText()


def test_resend_queues_a_new_message_and_audits_it_on_the_order(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database, actor: Actor, tmp_path: Path
) -> None:
    _orders(demo_db, actor, "Cleo Carter")
    set_settings(demo_db, actor, {"email.folder": str(tmp_path)})
    send_due(demo_db, worker="t")
    view = _outbox_page(qtbot, main_window, demo_db)
    before = view.model.rowCount()
    original = _message_to(demo_db, "cleo@example.de")
    view.select_message(original.id)
    qtbot.waitUntil(view.resend_action.isEnabled)

    view.resend_action.trigger()

    assert "queued again as" in wait_for_banner(qtbot, view.banner, "ok")
    qtbot.waitUntil(lambda: view.model.rowCount() == before + 1)
    copy = list_outbox(demo_db)[0]
    assert (copy.resend_of, copy.status, copy.subject) == (original.id, "pending", original.subject)
    reasons = read(
        demo_db,
        lambda s: list(
            s.scalars(select(AuditEvent.reason).where(AuditEvent.action == "e-mail resent"))
        ),
    )
    assert reasons == [
        f"order received e-mail #{original.id} sent again as #{copy.id} to cleo@example.de"
    ]


def test_the_desk_sends_in_the_background_off_the_ui_thread(
    qtbot: QtBot,
    main_window: MainWindow,
    demo_db: Database,
    actor: Actor,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _orders(demo_db, actor, "Dora Dune")
    set_settings(demo_db, actor, {"email.folder": str(tmp_path)})
    threads: list[str] = []
    real = email_sender.send_due

    def watched(*args: object, **kwargs: object) -> email_sender.SendReport:
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(email_sender, "send_due", watched)
    main_window.email_sender.run_now()

    qtbot.waitUntil(lambda: main_window.email_sender.last_report is not None, timeout=10_000)
    report = main_window.email_sender.last_report
    assert report is not None and report.failed == 0
    assert threads and threads[0] != threading.main_thread().name
    # Dora's "order received", the demo's return e-mails, and a "delayed" for each demo
    # order backordered past its ship-by
    assert len(list(tmp_path.glob("*.eml"))) == report.sent
    assert _message_to(demo_db, "dora@example.de").status == "sent"
    assert "delayed" in {e.template for e in list_outbox(demo_db)}
    assert all(e.status == "sent" for e in list_outbox(demo_db))


def test_the_outbox_screenshot_shows_sent_failed_and_waiting_messages(
    demo_db: Database, actor: Actor, qapp: QApplication, tmp_path: Path
) -> None:
    shot = render_outbox(demo_db, actor, tmp_path / "outbox.png")

    image = QImage(str(shot))
    # at least 1400 wide: the main window is as wide as its widest page needs
    assert image.width() >= SIZE[0] and image.height() == SIZE[1]
    statuses = {e.status for e in list_outbox(demo_db)}
    assert {"sent", "failed", "pending"} <= statuses
