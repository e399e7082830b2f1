"""Today's labels as one document: progress while it builds, Cancel writes nothing."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pypdfium2
import pytest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from app.context import Actor
from app.services.printing import ProgressReporter, label_batch
from db.engine import Database
from tests.ui.backoffice.helpers import pack_orders, show_page, wait_for_banner
from ui.dialogs.printer_choice_dialog import PrintTarget
from ui.main_window import MainWindow
from ui.printing import label_export
from ui.views.print_jobs_view import PrintJobsView


def _jobs_view(qtbot: QtBot, window: MainWindow) -> PrintJobsView:
    show_page(qtbot, window, window.print_jobs_view)
    view = window.print_jobs_view
    view.todays_labels.runner.chunk = 1
    return view


def test_todays_labels_are_written_to_one_pdf_with_progress_shown_on_the_way(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database, actor: Actor, tmp_path: Path
) -> None:
    pack_orders(demo_db, actor, 3, label_format="pdf")
    view = _jobs_view(qtbot, main_window)
    steps: list[tuple[int, int]] = []
    view.todays_labels.runner.progressed.connect(lambda done, total: steps.append((done, total)))
    out = tmp_path / "labels.zpl"

    with qtbot.waitSignal(view.todays_labels.runner.finished, timeout=20_000):
        view.todays_labels.print_todays_labels(PrintTarget("file", str(out)), "pdf")

    written = tmp_path / "labels.pdf"
    assert not out.exists() and written.exists()
    assert len(pypdfium2.PdfDocument(written.read_bytes())) == 3
    assert steps[:3] == [(1, 3), (2, 3), (3, 3)]
    text = wait_for_banner(qtbot, view.banner, "ok")
    assert text.startswith("Labels of 3 shipments (PDF, ")
    assert text.endswith(f"written to {written}")
    assert view.todays_labels.runner.progress_dialog is None


def test_cancelling_the_batch_part_way_writes_nothing(
    qtbot: QtBot,
    main_window: MainWindow,
    demo_db: Database,
    actor: Actor,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    pack_orders(demo_db, actor, 3, label_format="pdf")
    view = _jobs_view(qtbot, main_window)
    first_chunk_done = threading.Event()

    class HoldAfterFirstChunk:
        """Lets the worker wait, after the first chunk, until the user's Cancel arrived."""

        def __init__(self, real: ProgressReporter) -> None:
            self.real = real

        def update(self, done: int, total: int, label: str) -> None:
            self.real.update(done, total, label)
            first_chunk_done.set()
            for _ in range(500):
                if self.real.cancelled():
                    return
                threading.Event().wait(0.01)

        def cancelled(self) -> bool:
            return self.real.cancelled()

    def held_batch(db: Any, ids: Sequence[int], fmt: str, progress: ProgressReporter,
                   **kwargs: Any) -> bytes | None:  # fmt: skip
        return label_batch(db, ids, fmt, HoldAfterFirstChunk(progress), **kwargs)

    monkeypatch.setattr(label_export, "label_batch", held_batch)
    folder = tmp_path / "labels"
    folder.mkdir()
    out = folder / "labels.pdf"

    def click_cancel(done: int, _total: int) -> None:
        dialog = view.todays_labels.runner.progress_dialog
        if done == 1 and dialog is not None:
            button = dialog.findChild(QPushButton)
            assert button is not None and button.text() == "Cancel"
            button.click()

    view.todays_labels.runner.progressed.connect(click_cancel)

    with qtbot.waitSignal(view.todays_labels.runner.finished, timeout=20_000) as finished:
        view.todays_labels.print_todays_labels(PrintTarget("file", str(out)), "pdf")

    assert first_chunk_done.is_set()
    assert finished.args == [None]
    assert list(folder.iterdir()) == []
    assert wait_for_banner(qtbot, view.banner, "problem") == (
        "Cancelled: no labels were written or sent"
    )


def test_with_nothing_packed_today_there_is_nothing_to_print(
    qtbot: QtBot, main_window: MainWindow, tmp_path: Path
) -> None:
    view = _jobs_view(qtbot, main_window)

    view.todays_labels.print_todays_labels(PrintTarget("file", str(tmp_path / "a.pdf")), "pdf")

    text = wait_for_banner(qtbot, view.banner, "problem")
    assert text == "No shipments were packed today: no labels to print"
    assert not view.todays_labels.runner.is_running()
