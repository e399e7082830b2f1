"""A station's PostgreSQL log-in made by db-roles: it works a station's day, and the
server itself refuses it DDL and any change to the audit trail or the scan log."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from psycopg.errors import InsufficientPrivilege
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from app.context import Actor
from app.errors import ValidationFailed
from app.services import users
from app.services.allocation import allocate
from app.services.db_roles import create_station_role
from app.services.pack_completion import pack_unverified
from app.services.packing import open_for_packing
from app.services.shipping import ship_order
from db.engine import Database, open_database
from db.models import AuditEvent
from db.uow import read
from tests.factories import place, stock

pytestmark = pytest.mark.postgres
PASSWORD = "office password 1"


@pytest.fixture
def station_role(pg_db: Database) -> Iterator[str]:
    role = f"station_{uuid.uuid4().hex[:8]}"
    yield role
    engine = create_engine(pg_db.url)
    with engine.begin() as conn:
        conn.execute(text(f'DROP OWNED BY "{role}"'))
        conn.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
    engine.dispose()


@pytest.fixture
def admin(pg_db: Database, actor: Actor) -> Actor:
    users.add_user(pg_db, actor, "alex", "admin", PASSWORD)
    return users.log_in(pg_db, "alex", PASSWORD, "office")


def _as(pg_db: Database, role: str) -> Database:
    url = make_url(pg_db.url).set(username=role, password="station secret 99")
    return open_database(url.render_as_string(hide_password=False), station="pack-1")


def test_the_station_role_works_a_station_and_cannot_rewrite_history(
    pg_db: Database, admin: Actor, station_role: str
) -> None:
    assert create_station_role(pg_db, admin, station_role, "station secret 99") is True
    assert create_station_role(pg_db, admin, station_role, "station secret 99") is False
    packer = users.add_user(pg_db, admin, "pat", "packer", PASSWORD, pin="4071")
    stock(pg_db, admin, {"MUG": 5})
    number = place(pg_db, admin, {"MUG": 1})
    allocate(pg_db, admin)

    station = _as(pg_db, station_role)
    try:
        pat = users.log_in_with_badge(station, packer.badge or "", "4071", "pack-1")
        assert open_for_packing(station, pat, number).number == number
        lead = users.log_in(station, "alex", PASSWORD, "pack-1")
        pack_unverified(station, lead, number)
        ship_order(station, pat, number)
        actions = read(station, lambda s: list(s.scalars(select(AuditEvent.action))))
        assert "shipped" in actions and "login" in actions

        refused = [
            "DROP TABLE orders",
            "TRUNCATE audit_events",
            "ALTER TABLE orders ADD COLUMN sneaky integer",
            "CREATE TABLE sneaky (x integer)",
            "UPDATE audit_events SET reason = 'nothing happened'",
            "DELETE FROM audit_events",
            "UPDATE scan_events SET outcome = 'accepted'",
            "DELETE FROM scan_events",
            "UPDATE users SET role = 'admin'",
            "INSERT INTO products (sku, name) VALUES ('X', 'x')",
            "DELETE FROM orders",
        ]
        with station.engine.connect() as conn:
            for statement in refused:
                with pytest.raises(ProgrammingError) as caught, conn.begin():
                    conn.execute(text(statement))
                assert isinstance(caught.value.orig, InsufficientPrivilege), statement
    finally:
        station.dispose()


def test_db_roles_refuses_sqlite_and_bad_names(
    pg_db: Database, sqlite_db: Database, actor: Actor
) -> None:
    with pytest.raises(ValidationFailed, match="db-roles is for PostgreSQL"):
        create_station_role(sqlite_db, actor, "pack_1", "station secret 99")
    with pytest.raises(ValidationFailed, match="lower-case letters, digits and _"):
        create_station_role(pg_db, actor, 'x"; DROP TABLE orders; --', "station secret 99")
    with pytest.raises(ValidationFailed, match="at least 12 characters"):
        create_station_role(pg_db, actor, "pack_1", "short")
