"""The print queue: a printer that is down, a one-click reprint, the system printer."""

from __future__ import annotations

import socket
import socketserver
import threading
from collections.abc import Iterator
from pathlib import Path

import pypdfium2
import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.context import Actor
from app.services.printing import JobView, list_jobs
from db.engine import Database
from tests.ui.backoffice.helpers import pack_orders, show_page, wait_for_banner
from ui.dialogs.printer_choice_dialog import PrinterChoiceDialog
from ui.main_window import MainWindow
from ui.models.print_jobs_model import ERROR_COLOUR, Column
from ui.printing.print_preview import PRINT_ACTION_TEXT, PdfPreviewDialog
from ui.views.print_jobs_view import PrintJobsView


class _LabelPrinter(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        chunks = []
        while data := self.request.recv(65536):
            chunks.append(data)
        self.server.received.append(b"".join(chunks))  # type: ignore[attr-defined]


class _ReusableServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def printer_port() -> Iterator[tuple[int, list[socketserver.TCPServer]]]:
    """A free loopback port; start a label printer on it with `start_label_printer`."""
    servers: list[socketserver.TCPServer] = []
    yield _free_port(), servers
    for server in servers:
        server.shutdown()
        server.server_close()


def start_label_printer(port: int, servers: list[socketserver.TCPServer]) -> list[bytes]:
    server = _ReusableServer(("127.0.0.1", port), _LabelPrinter)
    server.received = []  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    servers.append(server)
    return server.received  # type: ignore[attr-defined, no-any-return]


def _jobs_view(qtbot: QtBot, window: MainWindow, jobs: int) -> PrintJobsView:
    show_page(qtbot, window, window.print_jobs_view)
    view = window.print_jobs_view
    view.refresh()
    qtbot.waitUntil(lambda: view.model.rowCount() == jobs)
    return view


def _label_job(db: Database) -> JobView:
    return next(job for job in list_jobs(db) if job.document == "label")


def _cell(view: PrintJobsView, job_id: int, column: Column) -> str:
    row = view.model.row_of(job_id)
    assert row is not None
    return str(view.model.index(row, column).data())


def test_a_label_sent_to_a_printer_that_is_down_stays_pending_with_its_error_until_resent(
    qtbot: QtBot,
    main_window: MainWindow,
    demo_db: Database,
    actor: Actor,
    printer_port: tuple[int, list[socketserver.TCPServer]],
    qtmodeltester: ModelTester,
) -> None:
    port, servers = printer_port
    (number,) = pack_orders(demo_db, actor, 1)
    view = _jobs_view(qtbot, main_window, jobs=2)
    job = _label_job(demo_db)
    view.select_job(job.id)

    view.print_to_action.trigger()
    dialog = view.dialog
    assert isinstance(dialog, PrinterChoiceDialog)
    dialog.choose("tcp", f"tcp://127.0.0.1:{port}")
    dialog.ok_button.click()

    text = wait_for_banner(qtbot, view.banner, "problem")
    assert text.startswith(f"Job {job.id}: NOT printed on tcp://127.0.0.1:{port}")
    qtbot.waitUntil(lambda: _cell(view, job.id, Column.ATTEMPTS) == "1")
    row = view.model.row_of(job.id)
    assert row is not None
    error = view.model.index(row, Column.ERROR)
    assert _cell(view, job.id, Column.STATUS) == "Pending"
    assert "refused the connection" in str(error.data())
    assert error.data(Qt.ItemDataRole.ForegroundRole) == ERROR_COLOUR
    qtmodeltester.check(view.model)

    received = start_label_printer(port, servers)
    view.select_job(job.id)
    view.print_to_action.trigger()  # a one-off printer that failed did not stick to the job
    dialog = view.dialog
    assert isinstance(dialog, PrinterChoiceDialog)
    dialog.choose("tcp", f"tcp://127.0.0.1:{port}")
    dialog.ok_button.click()

    assert wait_for_banner(qtbot, view.banner, "ok") == (
        f"Job {job.id}: sent to tcp://127.0.0.1:{port}"
    )
    qtbot.waitUntil(lambda: _cell(view, job.id, Column.STATUS) == "Printed")
    assert _cell(view, job.id, Column.ERROR) == ""
    assert len(received) == 1 and number.encode() in received[0]


def test_the_system_printer_prints_a_label_job_page_by_page_through_qt(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database, actor: Actor, tmp_path: Path
) -> None:
    pack_orders(demo_db, actor, 1, label_format="pdf")
    view = _jobs_view(qtbot, main_window, jobs=2)
    job = _label_job(demo_db)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "system-printer.pdf"))

    view.print_to_system(job.id, printer)

    assert wait_for_banner(qtbot, view.banner, "ok") == f"Job {job.id}: sent to system"
    printed = pypdfium2.PdfDocument((tmp_path / "system-printer.pdf").read_bytes())
    assert len(printed) == 1
    assert [j.status for j in list_jobs(demo_db) if j.id == job.id] == ["printed"]


def test_a_zpl_job_cannot_be_sent_to_the_system_printer_and_the_dialog_says_why(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database, actor: Actor
) -> None:
    pack_orders(demo_db, actor, 1)
    view = _jobs_view(qtbot, main_window, jobs=2)
    view.select_job(_label_job(demo_db).id)

    view.print_to_action.trigger()
    dialog = view.dialog
    assert isinstance(dialog, PrinterChoiceDialog)
    dialog.choose("system")
    dialog.ok_button.click()

    assert dialog.isVisible()
    assert dialog.error_label.text().startswith("The system printer takes PDF")
    dialog.reject()


def test_preview_shows_the_labels_as_they_will_print_without_its_own_print_button(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database, actor: Actor
) -> None:
    pack_orders(demo_db, actor, 1)
    view = _jobs_view(qtbot, main_window, jobs=2)
    view.select_job(_label_job(demo_db).id)

    view.preview_action.trigger()

    qtbot.waitUntil(lambda: isinstance(view.dialog, PdfPreviewDialog))
    preview = view.dialog
    assert isinstance(preview, PdfPreviewDialog)
    qtbot.waitUntil(lambda: preview.pages == 1)
    assert not any(a.isVisible() for a in preview.actions_named(PRINT_ACTION_TEXT))
    preview.reject()
