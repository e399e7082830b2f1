"""TaskRunner: work off the UI thread, results back on it (the shape of Anki's taskman)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

from PySide6.QtCore import QObject, Qt, Signal

T = TypeVar("T")
log = logging.getLogger(__name__)


class TaskRunner(QObject):
    """Runs writes on one worker thread and reads on a small pool.

    Writes apply strictly in submission order and never interleave, so a scan can
    not overtake the one before it. `on_done` callbacks run on the main thread.
    """

    _closures_pending = Signal()

    def __init__(self, parent: QObject | None = None, *, readers: int = 3) -> None:
        super().__init__(parent)
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="shipshape-write")
        self._readers = ThreadPoolExecutor(max_workers=readers, thread_name_prefix="shipshape-read")
        self._closures: list[Callable[[], None]] = []
        self._lock = threading.Lock()
        self._closed = False
        self._closures_pending.connect(
            self._on_closures_pending, Qt.ConnectionType.QueuedConnection
        )

    def run_on_main(self, closure: Callable[[], None]) -> None:
        """Call `closure` on the main thread soon; safe from any thread."""
        with self._lock:
            if self._closed:
                return
            self._closures.append(closure)
        self._closures_pending.emit()

    def run_in_background(
        self,
        task: Callable[[], T],
        on_done: Callable[[Future[T]], None],
        *,
        writes: bool = False,
    ) -> None:
        """Run `task` on a worker, then `on_done(future)` on the main thread.

        Work submitted after `shutdown` is dropped.
        """
        with self._lock:
            if self._closed:
                return
            executor = self._writer if writes else self._readers
            future = executor.submit(task)
        future.add_done_callback(lambda done: self.run_on_main(lambda: on_done(done)))

    def shutdown(self) -> None:
        """Finish running and queued writes, drop queued reads and pending callbacks."""
        with self._lock:
            self._closed = True
            self._closures.clear()
        self._readers.shutdown(wait=True, cancel_futures=True)
        self._writer.shutdown(wait=True)

    def _on_closures_pending(self) -> None:
        with self._lock:
            closures, self._closures = self._closures, []
        for closure in closures:
            try:
                closure()
            except Exception:  # one failing callback must not drop the others queued with it
                log.exception("callback failed on the main thread")
