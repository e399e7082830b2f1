"""Hearing that another connection changed the database, without polling its tables.

PostgreSQL: statement triggers (migration 0010) send `NOTIFY shipshape_changes` with
the table's name; a listener holds one connection with LISTEN. SQLite on one machine:
`PRAGMA data_version` on a connection of our own goes up whenever any other
connection commits to the file.

A listener belongs to the thread that opened it (SQLite connections do).
"""

from __future__ import annotations

import threading
import time
from typing import Any, Protocol, cast

from db.engine import Database

CHANNEL = "shipshape_changes"
UNKNOWN = "*"  # SQLite knows that something changed, not which table
STOP_CHECK_S = 0.2


class ChangeListener(Protocol):
    def wait(self, timeout: float, stop: threading.Event) -> set[str]:
        """Tables changed by others within `timeout` seconds (empty: none); returns
        early once `stop` is set."""

    def close(self) -> None: ...


def open_listener(db: Database) -> ChangeListener:
    if db.dialect == "postgresql":
        return _PostgresListener(db)
    return _SqliteListener(db)


class _SqliteListener:
    def __init__(self, db: Database) -> None:
        self._raw = db.read_engine.raw_connection()
        self._version = self._read()

    def _read(self) -> int:
        cursor: Any = self._raw.cursor()
        try:
            cursor.execute("PRAGMA data_version")
            return int(cursor.fetchone()[0])
        finally:
            cursor.close()

    def wait(self, timeout: float, stop: threading.Event) -> set[str]:
        stop.wait(timeout)
        version = self._read()
        changed, self._version = version != self._version, version
        return {UNKNOWN} if changed else set()

    def close(self) -> None:
        self._raw.close()


class _PostgresListener:
    def __init__(self, db: Database) -> None:
        self._raw = db.engine.raw_connection()
        self._conn = cast(Any, self._raw.driver_connection)
        self._conn.autocommit = True
        self._conn.execute(f"LISTEN {CHANNEL}")

    def wait(self, timeout: float, stop: threading.Event) -> set[str]:
        # Everything heard within the window: a burst of writes is one refresh.
        tables: set[str] = set()
        deadline = time.monotonic() + timeout
        while not stop.is_set() and (left := deadline - time.monotonic()) > 0:
            notes = self._conn.notifies(timeout=min(left, STOP_CHECK_S))
            tables.update(note.payload or UNKNOWN for note in notes)
        return tables

    def close(self) -> None:
        self._raw.invalidate()  # a LISTENing session must not go back to the pool
