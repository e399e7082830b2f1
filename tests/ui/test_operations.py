"""TaskRunner and the fluent operations: threads, ordering and error routing."""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.errors import NotFound
from app.services.orders import order_detail
from ui.context import UiContext
from ui.operations import DbOp, QueryOp
from ui.tasks import TaskRunner


@pytest.fixture
def runner(qapp: QApplication) -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    tasks.shutdown()


def test_writes_run_one_at_a_time_in_order_and_report_on_the_main_thread(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    done: list[tuple[int, str, bool]] = []

    def write(n: int) -> tuple[int, str]:
        time.sleep(0.01 * (5 - n))
        return n, threading.current_thread().name

    def record(future: Future[tuple[int, str]]) -> None:
        n, thread = future.result()
        done.append((n, thread, threading.current_thread() is threading.main_thread()))

    for n in range(5):
        runner.run_in_background(functools.partial(write, n), record, writes=True)
    qtbot.waitUntil(lambda: len(done) == 5)
    assert [n for n, _, _ in done] == [0, 1, 2, 3, 4]
    assert len({thread for _, thread, _ in done}) == 1
    assert all(on_main for _, _, on_main in done)


def test_work_submitted_after_shutdown_is_dropped(qtbot: QtBot, runner: TaskRunner) -> None:
    runner.shutdown()
    called: list[int] = []
    runner.run_in_background(lambda: 1, lambda future: called.append(future.result()))
    qtbot.wait(50)
    assert called == []


def test_a_failing_query_goes_to_the_failure_callback(
    qtbot: QtBot, ui_context: UiContext
) -> None:
    failures: list[Exception] = []
    QueryOp(None, ui_context, order_detail, "SO-999999").success(
        lambda _: pytest.fail("no such order")
    ).failure(failures.append).run()
    qtbot.waitUntil(lambda: len(failures) == 1)
    assert isinstance(failures[0], NotFound)


def test_a_failing_change_is_not_announced_on_the_hub(
    qtbot: QtBot, ui_context: UiContext
) -> None:
    failures: list[Exception] = []
    announced: list[object] = []
    ui_context.hub.changes_applied.connect(lambda changes, _: announced.append(changes))
    DbOp(None, ui_context, order_detail, "nope").failure(failures.append).run()
    qtbot.waitUntil(lambda: len(failures) == 1)
    assert announced == []
