"""Alembic migrations on both databases, each time on a fresh, empty database."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from db.base import Base
from db.engine import Database
from db.models.search import ONE_DATABASE_ONLY, SQLITE_FTS_TABLES
from db.schema import (
    SchemaError,
    SchemaState,
    current_revision,
    downgrade,
    head_revision,
    require_current,
    schema_state,
    upgrade,
)


def table_names(db: Database) -> set[str]:
    """Every table but SQLite's full-text index tables, which are index structures."""
    with db.engine.connect() as conn:
        return set(inspect(conn).get_table_names()) - SQLITE_FTS_TABLES


def _on_both_databases(name: str | None, *_: object) -> bool:
    """Alembic's include_name filter: full-text index structures exist on one side only."""
    return name not in ONE_DATABASE_ONLY


def _object_on_both_databases(_object: object, name: str | None, *_: object) -> bool:
    return _on_both_databases(name)


def stamp(db: Database, revision: str) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = :v"), {"v": revision})


def test_a_new_database_is_empty_until_upgraded_to_a_schema_that_matches_the_models(
    empty_db: Database,
) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    assert schema_state(empty_db) is SchemaState.EMPTY
    assert current_revision(empty_db) is None
    with pytest.raises(SchemaError, match="has no Shipshape schema: run init-db"):
        require_current(empty_db)

    upgrade(empty_db)

    assert schema_state(empty_db) is SchemaState.CURRENT
    assert current_revision(empty_db) == head_revision()
    require_current(empty_db)
    models = {t.name for t in Base.metadata.sorted_tables}
    assert table_names(empty_db) == models | {"alembic_version"}
    # No model change was left without a migration: autogenerate finds nothing to do.
    with empty_db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "include_name": _on_both_databases,
                "include_object": _object_on_both_databases,
            },
        )
        assert compare_metadata(context, Base.metadata) == []


def test_downgrading_to_base_leaves_only_alembic_version_and_upgrading_again_restores_it_all(
    empty_db: Database,
) -> None:
    upgrade(empty_db)
    tables = table_names(empty_db)

    downgrade(empty_db, "base")

    assert table_names(empty_db) == {"alembic_version"}
    with empty_db.engine.connect() as conn:
        found = inspect(conn)
        assert found.get_view_names() == []
        if empty_db.dialect == "postgresql":
            assert found.get_sequence_names() == []
    assert schema_state(empty_db) is SchemaState.EMPTY

    upgrade(empty_db)

    assert table_names(empty_db) == tables
    assert schema_state(empty_db) is SchemaState.CURRENT
    with empty_db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO channels (code, name, kind, allow_partial, safety_buffer, active) "
                "VALUES ('web', 'Web', 'csv', false, 0, true)"
            )
        )

    upgrade(empty_db)  # already at head: a no-op that keeps the data

    with empty_db.engine.connect() as conn:
        assert conn.execute(text("SELECT code FROM channels")).scalars().all() == ["web"]
    assert schema_state(empty_db) is SchemaState.CURRENT


def test_a_database_from_a_newer_shipshape_is_refused_and_left_alone(empty_db: Database) -> None:
    upgrade(empty_db)
    stamp(empty_db, "9999_future")
    tables = table_names(empty_db)

    assert schema_state(empty_db) is SchemaState.NEWER
    with pytest.raises(SchemaError, match="was created by a newer Shipshape") as refused:
        require_current(empty_db)
    assert "9999_future" in str(refused.value)
    assert "\n" not in str(refused.value)

    with pytest.raises(SchemaError, match="was created by a newer Shipshape"):
        upgrade(empty_db)

    assert table_names(empty_db) == tables
    assert current_revision(empty_db) == "9999_future"
