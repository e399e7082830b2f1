"""Count the SQL statements and commits a piece of work sends, on every engine of a Database.

A statement is one round trip to the server (SQLite's `BEGIN IMMEDIATE` and savepoints
included, since they are sent like any other); an `executemany` counts once, as it is
one call. Used by the throughput benchmark's `statements_per_order` and by the test
that pins the statements a packed and shipped order costs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, event

from db.engine import Database


@dataclass
class StatementCount:
    statements: int = 0
    commits: int = 0
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

    engines: list[Engine] = list({id(e): e for e in (db.engine, db.read_engine)}.values())
    for engine in engines:
        event.listen(engine, "before_cursor_execute", on_execute)
        event.listen(engine, "commit", on_commit)
    try:
        yield count
    finally:
        for engine in engines:
            event.remove(engine, "before_cursor_execute", on_execute)
            event.remove(engine, "commit", on_commit)
