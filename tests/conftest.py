"""Database fixtures: every service test runs on a SQLite file AND on PostgreSQL.

PostgreSQL: the local test server (or $SHIPSHAPE_TEST_PG); one fresh database per
test session, dropped after; tables truncated between tests. Unreachable: the run
fails under CI=true and skips loudly elsewhere.
"""

from __future__ import annotations

import gc
import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.context import Actor
from db.base import Base
from db.engine import Database, open_database
from db.schema import upgrade
from tests.scratch_databases import scratch_pg_database
from ui.main_thread_gc import collect_due

PG_ADMIN_URL = os.environ.get(
    "SHIPSHAPE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
SEQUENCES = {"order": 100001, "pick_list": 1, "return": 1, "sscc": 1, "tracking": 1}


@pytest.fixture(autouse=True, scope="session")
def _collect_garbage_on_the_main_thread() -> Iterator[None]:
    """As the application does (ui.main_thread_gc): a cycle holding a Qt object collected
    on a reader thread deadlocks PySide against the GUI thread."""
    gc.disable()
    yield
    gc.enable()


@pytest.fixture(autouse=True)
def _collect_after_each_test() -> Iterator[None]:
    yield
    collect_due()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    db = open_database(f"sqlite:///{path}")
    upgrade(db)
    db.dispose()
    return path


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", pool_pre_ping=True)
    try:
        with admin.connect() as conn:
            conn.execute(text("select 1"))
    except Exception as exc:
        admin.dispose()
        message = f"PostgreSQL test server unreachable at {PG_ADMIN_URL}: {exc}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(f"SKIPPING POSTGRESQL TESTS - {message}")
    name = f"shipshape_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    db = open_database(url)
    upgrade(db)
    db.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        for name, value in SEQUENCES.items():
            conn.execute(
                text("INSERT INTO sequences (name, next_value) VALUES (:n, :v)"),
                {"n": name, "v": value},
            )
    engine.dispose()


@pytest.fixture
def sqlite_db(sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "shipshape.db"
    shutil.copy(sqlite_template, path)
    db = open_database(f"sqlite:///{path}", station="test")
    yield db
    db.dispose()


@pytest.fixture
def pg_db(pg_url: str) -> Iterator[Database]:
    _reset_postgres(pg_url)
    db = open_database(pg_url, station="test")
    yield db
    db.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest) -> Database:
    """The same test on both databases."""
    name = "sqlite_db" if request.param == "sqlite" else "pg_db"
    database: Database = request.getfixturevalue(name)
    return database


@pytest.fixture
def actor() -> Actor:
    return Actor(username="tester", station="test-station")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A database with no tables at all: a new file, or a throwaway PostgreSQL database."""
    if request.param == "sqlite":
        db = open_database(f"sqlite:///{tmp_path / 'fresh.db'}", station="test")
        yield db
        db.dispose()
        return
    with scratch_pg_database(request.getfixturevalue("pg_url"), "shipshape_empty") as url:
        db = open_database(url)
        try:
            yield db
        finally:
            db.dispose()
