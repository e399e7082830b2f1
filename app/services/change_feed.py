"""Other stations' changes, as `Changes`, from a thread of their own.

`ChangeFeed(db, on_changes)` calls `on_changes(changes)` from its thread whenever
another connection committed (db.change_signal); the UI hands that to its hub.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from app.changes import Changes
from db.change_signal import UNKNOWN, open_listener
from db.engine import Database

log = logging.getLogger(__name__)
INTERVAL_S = 1.0
_ORDER_TABLES = {"orders", "order_lines", "shipments", "packages", "allocations"}


def changes_from(tables: set[str]) -> Changes:
    if UNKNOWN in tables:
        return Changes(True, True, True, True, from_elsewhere=True)
    return Changes(
        orders=bool(tables & _ORDER_TABLES),
        stock="stock_levels" in tables,
        pick_lists="pick_lists" in tables,
        print_jobs="print_jobs" in tables,
        from_elsewhere=True,
    )


class ChangeFeed:
    def __init__(
        self, db: Database, on_changes: Callable[[Changes], None], interval: float = INTERVAL_S
    ) -> None:
        self._db = db
        self._on_changes = on_changes
        self._interval = interval
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="shipshape-changes", daemon=True)

    def start(self) -> None:
        """Start listening; returns once the listener is in place (or failed)."""
        self._thread.start()
        self._ready.wait(timeout=10)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        try:
            listener = open_listener(self._db)
        except Exception:
            log.exception("cannot listen for other stations' changes")
            self._ready.set()
            return
        self._ready.set()
        try:
            while not self._stop.is_set():
                tables = listener.wait(self._interval, self._stop)
                if tables and not self._stop.is_set():
                    self._on_changes(changes_from(tables))
        except Exception:  # the database went away: views still refresh on their own actions
            log.exception("stopped listening for other stations' changes")
        finally:
            listener.close()
