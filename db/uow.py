"""Units of work: one transaction per user action, committed only on success.

Whole units are retried on the failures that a retry cures: PostgreSQL
serialization failures (40001), deadlocks (40P01), a dropped connection, and a
SQLite database that stayed locked past the busy timeout.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session

from db.engine import Database

T = TypeVar("T")

RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})
# psycopg 3 raises connect failures with no SQLSTATE; these texts identify them.
CONNECTION_ERROR_TEXT = (
    "connection failed",  # psycopg 3's prefix for every failed connect
    "the database system is",  # shutting down / starting up / in recovery
    "Connection refused",
    "could not connect",
    "server closed",
    "timeout",
    # psycopg's executemany pipeline, when the server ended the backend mid-batch
    "cannot exit pipeline mode while busy",
)
DEFAULT_ATTEMPTS = 6


class DatabaseUnavailable(Exception):
    """The database could not be reached; nothing was saved."""


def sqlstate(exc: BaseException) -> str | None:
    orig = getattr(exc, "orig", None)
    return getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)


def is_retryable(exc: DBAPIError) -> bool:
    """Serialization failures, deadlocks, a dropped or refused connection, a busy SQLite."""
    if exc.connection_invalidated or sqlstate(exc) in RETRYABLE_SQLSTATES:
        return True
    if is_connection_error(exc):
        return True
    return isinstance(exc, OperationalError) and "database is locked" in str(exc.orig)


def is_connection_error(exc: DBAPIError) -> bool:
    if exc.connection_invalidated:
        return True
    state = sqlstate(exc)
    if state is not None:
        return state.startswith("08") or state in ("57P01", "57P02", "57P03")
    return isinstance(exc, OperationalError) and any(
        text in str(exc.orig) for text in CONNECTION_ERROR_TEXT
    )


def run_in_transaction(
    db: Database,
    work: Callable[[Session], T],
    *,
    attempts: int = DEFAULT_ATTEMPTS,
    read_only: bool = False,
) -> T:
    """Run `work(session)` in one transaction; commit if it returns, else roll back.

    `work` may run more than once, so it must not have side effects outside the
    session (send mail through the outbox, print through print jobs).
    """
    for attempt in range(1, attempts + 1):
        session = db.read_session() if read_only else db.write_session()
        try:
            with session.begin():
                result = work(session)
            return result
        except DBAPIError as exc:
            if attempt < attempts and is_retryable(exc):
                time.sleep(min(0.02 * 2**attempt, 1.0) * random.uniform(0.5, 1.5))
                continue
            if is_connection_error(exc):
                raise DatabaseUnavailable(
                    f"NOT saved - database unavailable ({db.describe()}), retry"
                ) from exc
            raise
        finally:
            session.close()
    raise AssertionError("unreachable")  # pragma: no cover


def read(db: Database, work: Callable[[Session], T]) -> T:
    return run_in_transaction(db, work, read_only=True)
