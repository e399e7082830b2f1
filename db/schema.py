"""Schema version checks and upgrades through Alembic."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from db.engine import Database

MIGRATIONS = Path(__file__).parent / "migrations"


class SchemaState(Enum):
    EMPTY = "empty"
    OUTDATED = "outdated"
    CURRENT = "current"
    NEWER = "newer"


class SchemaError(Exception):
    """The database's schema does not fit this version of Shipshape."""


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(db: Database) -> str | None:
    with db.read_engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def schema_state(db: Database) -> SchemaState:
    current = current_revision(db)
    if current is None:
        return SchemaState.EMPTY
    scripts = ScriptDirectory.from_config(alembic_config())
    if current == scripts.get_current_head():
        return SchemaState.CURRENT
    known = {rev.revision for rev in scripts.walk_revisions()}
    return SchemaState.OUTDATED if current in known else SchemaState.NEWER


def require_current(db: Database) -> None:
    state = schema_state(db)
    if state is SchemaState.NEWER:
        raise SchemaError(
            f"the database {db.describe()} was created by a newer Shipshape "
            f"(schema {current_revision(db)}); install the newer version to open it"
        )
    if state is SchemaState.EMPTY:
        raise SchemaError(f"the database {db.describe()} has no Shipshape schema: run init-db")
    if state is SchemaState.OUTDATED:
        raise SchemaError(
            f"the database {db.describe()} has an older schema ({current_revision(db)}): "
            "run migrate to upgrade it"
        )


def upgrade(db: Database, revision: str = "head") -> None:
    if schema_state(db) is SchemaState.NEWER:
        require_current(db)
    config = alembic_config()
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def downgrade(db: Database, revision: str) -> None:
    config = alembic_config()
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)
