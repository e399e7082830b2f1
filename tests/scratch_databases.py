"""Throwaway PostgreSQL databases for tests and benchmarks: created on the server of a
URL under a random name, dropped afterwards even while connections are still open."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


@contextmanager
def scratch_pg_database(
    server_url: str, prefix: str, *, template: str | None = None
) -> Iterator[str]:
    """The URL of a new database `<prefix>_<random>` on `server_url`'s server (empty,
    or a copy of the database `template`)."""
    server = make_url(server_url)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    copy = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"{copy}'))
    try:
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
