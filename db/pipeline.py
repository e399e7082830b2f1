"""Several writes in one round trip on PostgreSQL: psycopg 3's pipeline mode.

Inside `pipelined(session)` the statements go out without waiting for their results;
their results, or the first error, come back when the block ends: one round trip for
the lot. So only statements whose results nobody reads belong there - no RETURNING,
no rowcount check, no COPY (`insert_rows` uses executemany instead). SQLAlchemy still
sees and counts each statement. On SQLite, where a statement is a function call and
not a round trip, the block runs as it is.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from db.driver import driver_connection


@contextmanager
def pipelined(session: Session) -> Iterator[None]:
    """Send the block's statements together. An error the server reports for one of
    them is raised at the end as SQLAlchemy's DBAPIError, like any statement's, so
    the unit of work retries a deadlock or serialization failure as usual."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        yield
        return
    with (
        driver_connection(connection, "(pipelined statements)") as driver,
        driver.pipeline(),
    ):
        yield


def in_pipeline(connection: Connection) -> bool:
    """Whether `connection` is inside `pipelined`: its statements' results are not back."""
    if connection.dialect.name != "postgresql":
        return False
    driver = connection.connection.driver_connection
    return driver is not None and driver.pgconn.pipeline_status != 0
