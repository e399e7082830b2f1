"""PostgreSQL least privilege: a log-in role for a station that can work, not rebuild.

The role owns nothing and may not create anything (no DDL), reads every table, inserts
and updates only the working tables, deletes only where a service deletes, and may only
add to the audit trail and the scan log: never change or remove a row of either. The
catalogue, settings and user accounts stay with the owner's log-in (the office), except
the few columns in COLUMNS_UPDATED.
"""

from __future__ import annotations

import re

from psycopg import sql
from sqlalchemy import Connection
from sqlalchemy.orm import Session

from app.context import Actor
from app.errors import ValidationFailed
from app.services.access import authorize
from db.base import Base
from db.engine import Database
from db.uow import run_in_transaction

ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")
APPEND_ONLY = frozenset({"audit_events", "scan_events"})
READ_ONLY = frozenset(
    {
        "box_types",
        "carrier_services",
        "carriers",
        "channels",
        "locations",
        "product_barcodes",
        "products",
        "settings",
        "users",
        "warehouses",
    }
)
# The only rows the services ever delete (line edits, claims, pending refunds, search rows).
DELETABLE = frozenset(
    {
        "allocations",
        "order_lines",
        "order_search",
        "packing_progress",
        "pick_tasks",
        "refunds",
        "saved_views",
    }
)
# Columns of read-only tables a station does update: log-in counters and rehashed
# secrets when someone logs in there; a carrier's next tracking number when it packs.
COLUMNS_UPDATED = {
    "users": ("failed_logins", "locked_until", "password_hash", "pin_hash"),
    "carriers": ("next_value",),
}


def station_grants(role: str, database: str, tables: list[str]) -> list[sql.Composed]:
    """The statements that make `role` a least-privilege station log-in."""
    who = sql.Identifier(role)
    statements = [
        sql.SQL("REVOKE ALL ON DATABASE {} FROM {}").format(sql.Identifier(database), who),
        sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(
            sql.Identifier(database), who
        ),
        sql.SQL("REVOKE CREATE ON SCHEMA public FROM PUBLIC, {}").format(who),
        sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(who),
        sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(who),
        sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(who),
    ]
    for table in tables:
        rights = ["SELECT"]
        if table in APPEND_ONLY:
            rights.append("INSERT")
        elif table not in READ_ONLY:
            rights += ["INSERT", "UPDATE"] + (["DELETE"] if table in DELETABLE else [])
        statements.append(
            sql.SQL("GRANT {} ON {} TO {}").format(
                sql.SQL(", ").join(sql.SQL(r) for r in rights), sql.Identifier(table), who
            )
        )
    for table, columns in COLUMNS_UPDATED.items():
        statements.append(
            sql.SQL("GRANT UPDATE ({}) ON {} TO {}").format(
                sql.SQL(", ").join(sql.Identifier(c) for c in columns), sql.Identifier(table), who
            )
        )
    return statements


def check_role_request(db: Database, role: str) -> None:
    """Refuse, before a password is asked for, what can never become a station role."""
    if db.dialect != "postgresql":
        raise ValidationFailed("db-roles is for PostgreSQL; a SQLite file has no log-ins")
    if not ROLE_NAME.fullmatch(role):
        raise ValidationFailed(
            f"role name {role[:70]!r}: lower-case letters, digits and _ (up to 63), "
            "not starting with a digit"
        )


def create_station_role(db: Database, actor: Actor, role: str, password: str) -> bool:
    """Create (or re-grant, with a new password) the station log-in `role`; True if new."""
    check_role_request(db, role)
    if len(password) < 12:
        raise ValidationFailed("a station's database password needs at least 12 characters")
    tables = sorted(Base.metadata.tables)

    def work(session: Session) -> bool:
        authorize(session, actor, "users.manage")
        conn: Connection = session.connection()
        raw = conn.connection.driver_connection
        assert raw is not None
        exists = raw.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
        if exists is None:
            raw.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
        raw.execute(
            sql.SQL(
                "ALTER ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT "
                "NOREPLICATION NOBYPASSRLS PASSWORD {}"
            ).format(sql.Identifier(role), sql.Literal(password))
        )
        database = raw.execute("SELECT current_database()").fetchone()
        assert database is not None
        for statement in station_grants(role, str(database[0]), tables):
            raw.execute(statement)
        return exists is None

    return run_in_transaction(db, work)
