"""Work on the DBAPI connection under a SQLAlchemy one (COPY, psycopg's pipeline),
with the driver's errors raised as SQLAlchemy's, so that callers and the unit of
work's retries treat them like those of any other statement."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError


@contextmanager
def driver_connection(connection: Connection, statement: str) -> Iterator[Any]:
    """The driver connection of `connection`; a driver error in the block comes out as
    SQLAlchemy's DBAPIError naming `statement`, with its SQLSTATE."""
    driver = connection.connection.driver_connection
    assert driver is not None
    dbapi_error = connection.dialect.loaded_dbapi.Error
    try:
        yield driver
    except dbapi_error as exc:
        raise DBAPIError.instance(
            statement,
            None,
            exc,
            dbapi_error,
            connection_invalidated=driver.closed,
            dialect=connection.dialect,
        ) from exc
