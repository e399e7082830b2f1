"""Bulk statements shared by intake, allocation, demo data and imports.

Ids are reserved up front instead of coming back through RETURNING, so that many rows
go in one statement: on SQLite a multi-row INSERT of up to `SQLITE_ROWS_PER_INSERT`
rows, on PostgreSQL COPY. On SQLite the write lock (BEGIN IMMEDIATE) is held, so
max(id) + 1 onwards is ours; on PostgreSQL the table's own sequence hands out the block.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from operator import itemgetter
from typing import Any

from sqlalchemy import Insert, Select, Table, func, insert, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql.schema import CallableColumnDefault, ScalarElementColumnDefault

from db.base import Base, table_of
from db.driver import driver_connection
from db.pipeline import in_pipeline

_NEXTVAL = text("SELECT nextval(:seq) FROM generate_series(1, :n)")


def insert_unless_present(
    session: Session, model: type[Base], unique: Sequence[str]
) -> postgresql.Insert | sqlite.Insert:
    """INSERT into `model` that does nothing where a row with the same `unique` columns
    exists (ON CONFLICT DO NOTHING, which both databases spell alike): add `.values()`.
    Another transaction's row wins even while it is uncommitted, by waiting for it."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(model).on_conflict_do_nothing(index_elements=list(unique))
    return sqlite.insert(model).on_conflict_do_nothing(index_elements=list(unique))


@lru_cache(maxsize=64)
def _max_id(table: Table) -> Select[Any]:
    return select(func.max(table.c.id))


@lru_cache(maxsize=64)
def _insert_returning_id(table: Table) -> Insert:
    return insert(table).returning(table.c.id)


def reserve_ids(session: Session, model: type[Base], count: int) -> list[int]:
    table = table_of(model)
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        start = (connection.execute(_max_id(table)).scalar() or 0) + 1
        return list(range(start, start + count))
    sequence = f"{table.name}_id_seq"
    return list(connection.execute(_NEXTVAL, {"seq": sequence, "n": count}).scalars())


COPY_MIN_ROWS = 50  # below this COPY's set-up round trips cost more than they save
# Rows per multi-row INSERT on SQLite. A statement per row (executemany) costs SQLite a
# statement journal and a savepoint of every virtual table a trigger writes per row:
# the order search's FTS5 index then flushes at each row, six times the work.
SQLITE_ROWS_PER_INSERT = 500
SQLITE_MAX_VARIABLES = 32766  # SQLite's default limit on ? in one statement (3.32+)


@dataclass(frozen=True)
class _InsertPlan:
    sql: str
    head: str  # INSERT INTO table (columns) VALUES
    row: str  # (?, ?, ...)
    copy_sql: str
    defaults: tuple[ScalarElementColumnDefault | CallableColumnDefault, ...]
    processors: tuple[tuple[int, Callable[[Any], Any]], ...]  # column index -> bind processor


@lru_cache(maxsize=256)
def _plan(table: Table, given: tuple[str, ...], dialect: Dialect) -> _InsertPlan:
    defaults = {
        c.name: c.default
        for c in table.columns
        if c.name not in given
        and isinstance(c.default, ScalarElementColumnDefault | CallableColumnDefault)
    }
    names = [*given, *defaults]
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    quote = dialect.identifier_preparer.quote
    processors = [table.c[name].type._cached_bind_processor(dialect) for name in names]
    columns = ", ".join(quote(n) for n in names)
    head = f"INSERT INTO {quote(table.name)} ({columns}) VALUES "
    row = f"({', '.join([marker] * len(names))})"
    return _InsertPlan(
        copy_sql=f"COPY {quote(table.name)} ({columns}) FROM STDIN",
        sql=head + row,
        head=head,
        row=row,
        defaults=tuple(defaults.values()),
        processors=tuple((i, p) for i, p in enumerate(processors) if p is not None),
    )


def insert_rows(session: Session, model: type[Base], rows: Sequence[dict[str, Any]]) -> None:
    """The rows in as few statements as the database takes (COPY, multi-row INSERT),
    built once per column set; values go through their columns' bind processors (UTC
    times, Decimal, JSON) column by column.

    Columns missing from the rows get their scalar or callable Python-side default.
    """
    if not rows:
        return
    connection = session.connection()
    given = tuple(rows[0])
    plan = _plan(table_of(model), given, connection.dialect)
    default_values = [
        d.arg if isinstance(d, ScalarElementColumnDefault) else d.arg(None)  # type: ignore[arg-type]
        for d in plan.defaults
    ]
    getter = itemgetter(*given)
    columns: list[Sequence[Any]] = (
        list(zip(*map(getter, rows), strict=True)) if len(given) > 1 else [list(map(getter, rows))]
    )
    columns += [[value] * len(rows) for value in default_values]
    for index, processor in plan.processors:
        columns[index] = _converted(processor, columns[index])
    params = list(zip(*columns, strict=True))
    if (
        connection.dialect.name == "postgresql"
        and len(params) >= COPY_MIN_ROWS
        and not in_pipeline(connection)  # COPY cannot ride a pipeline
    ):
        _copy(connection, plan.copy_sql, params)
    elif connection.dialect.name == "sqlite" and len(params) > 1:
        _insert_multirow(connection, plan, params)
    else:
        connection.exec_driver_sql(plan.sql, params)


def _insert_multirow(
    connection: Connection, plan: _InsertPlan, rows: list[tuple[Any, ...]]
) -> None:
    """SQLite: the rows in INSERT ... VALUES (...), (...), ... statements."""
    per = max(1, min(SQLITE_ROWS_PER_INSERT, SQLITE_MAX_VARIABLES // len(rows[0])))
    for start in range(0, len(rows), per):
        chunk = rows[start : start + per]
        connection.exec_driver_sql(
            _multirow_sql(plan, len(chunk)), tuple(chain.from_iterable(chunk))
        )


@lru_cache(maxsize=256)
def _multirow_sql(plan: _InsertPlan, count: int) -> str:
    return plan.head + ", ".join([plan.row] * count)


def _copy(connection: Connection, sql: str, rows: list[tuple[Any, ...]]) -> None:
    """PostgreSQL's COPY: one stream instead of a statement per row, inside the same
    transaction (the driver connection under the session's); its errors (a unique
    violation, a NUL byte, a numeric overflow) come out as SQLAlchemy's."""
    with (
        driver_connection(connection, sql) as driver,
        driver.cursor() as cursor,
        cursor.copy(sql) as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _converted(processor: Callable[[Any], Any], values: Sequence[Any]) -> list[Any]:
    """`values` through a column's bind processor, None staying NULL. Bulk rows share
    timestamps, prices and statuses: where the values are of one hashable type, each
    distinct value is converted once."""
    kinds = set(map(type, values)) - {type(None)}
    if len(kinds) == 1:
        try:
            distinct = dict.fromkeys(values)
        except TypeError:  # unhashable: a JSON document
            pass
        else:
            done = {v: None if v is None else processor(v) for v in distinct}
            return list(map(done.__getitem__, values))
    return [None if value is None else processor(value) for value in values]


def insert_returning_ids(
    session: Session, model: type[Base], rows: list[dict[str, Any]]
) -> list[int]:
    """Insert many rows; their ids come back in input order."""
    if len(rows) == 1:  # one statement instead of reserving first
        statement = _insert_returning_id(table_of(model))
        return [session.connection().execute(statement, rows[0]).scalar_one()]
    ids = reserve_ids(session, model, len(rows))
    for row, row_id in zip(rows, ids, strict=True):
        row["id"] = row_id
    insert_rows(session, model, rows)
    return ids
