"""Count the SQL statements and commits a piece of work sends, on every engine of a Database.

A statement is one round trip to the server (SQLite's `BEGIN IMMEDIATE` and savepoints
included, since they are sent like any other); an `executemany` counts once, as it is
one call. Used by the throughput benchmark's `statements_per_order` and by the test
that pins the statements a packed and shipped order costs.

`driver_seconds` is the time spent inside the driver's execute and commit calls. On
SQLite that is the database's own work (in this process): the work would take at
least that long if every line of Python around it cost nothing. On PostgreSQL it
adds the round trips, but misses what a psycopg pipeline sends at its end.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, event

from db.engine import Database


@dataclass
class StatementCount:
    statements: int = 0
    commits: int = 0
    driver_seconds: float = 0.0
    texts: list[str] = field(default_factory=list)

    def per(self, units: int) -> tuple[float, float]:
        """(statements, commits) per unit of work, rounded for a JSON line."""
        return round(self.statements / units, 2), round(self.commits / units, 2)


@contextmanager
def counting_statements(db: Database, *, keep_texts: bool = False) -> Iterator[StatementCount]:
    count = StatementCount()

    def on_execute(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        count.statements += 1
        if keep_texts:
            count.texts.append(" ".join(statement.split())[:120])

    def on_commit(_conn: Any) -> None:
        count.commits += 1

    def timed(call: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return call(*args, **kwargs)
            finally:
                count.driver_seconds += time.perf_counter() - started

        return run

    engines: list[Engine] = list({id(e): e for e in (db.engine, db.read_engine)}.values())
    dialects = {id(e.dialect): e.dialect for e in engines}.values()
    for engine in engines:
        event.listen(engine, "before_cursor_execute", on_execute)
        event.listen(engine, "commit", on_commit)
    for dialect in dialects:  # instance attributes shadow the dialect's methods
        for name in _DRIVER_CALLS:
            setattr(dialect, name, timed(getattr(dialect, name)))
    try:
        yield count
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", on_execute)
            event.remove(engine, "commit", on_commit)
        for dialect in dialects:
            for name in _DRIVER_CALLS:
                delattr(dialect, name)


_DRIVER_CALLS = ("do_execute", "do_executemany", "do_execute_no_params", "do_commit")
