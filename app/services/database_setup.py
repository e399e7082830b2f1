"""Opening a database for a user: the schema made current, a first-run demo, and one
line that says what went wrong. The GUI and the CLI both come through here, so
neither ui/ nor the commands need to know about engines or Alembic."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.exc import DBAPIError

from app.context import Actor
from app.errors import OmsError
from app.services import search_index
from app.services.demo_data import load_demo
from db.engine import Database, DatabaseConfigError, open_database
from db.schema import SchemaError, SchemaState, require_current, schema_state, upgrade
from db.uow import DatabaseUnavailable

__all__ = [
    "Database",
    "DatabaseUnavailable",
    "describe_failure",
    "is_one_line_error",
    "open_database",
    "prepare_database",
]

DEMO_ORDERS = 300
_ONE_LINE_ERRORS = (OmsError, DatabaseConfigError, SchemaError, DatabaseUnavailable)


def prepare_database(
    db: Database,
    actor: Actor,
    *,
    confirm_upgrade: Callable[[str], bool],
    demo_on_first_run: bool = True,
) -> bool:
    """Make the schema current; False if the user declined the upgrade.

    An empty database gets the schema, and with `demo_on_first_run` a demo warehouse
    so a first run shows real data (only for the default local file: a database the
    user named is theirs, and stays empty). A newer schema raises SchemaError.
    """
    state = schema_state(db)
    if state is SchemaState.EMPTY:
        upgrade(db)
        if demo_on_first_run:
            load_demo(db, actor, orders=DEMO_ORDERS)
    elif state is SchemaState.OUTDATED:
        question = (
            f"The database {db.describe()} was made by an older Shipshape.\n\n"
            "Upgrade it now? Stations still running the older version will then refuse it."
        )
        if not confirm_upgrade(question):
            return False
        upgrade(db)
        search_index.index_missing(db)
    require_current(db)
    return True


def is_one_line_error(exc: BaseException) -> bool:
    """Errors whose message is already the sentence for the user (no traceback owed)."""
    return isinstance(exc, _ONE_LINE_ERRORS)


def describe_failure(exc: BaseException) -> str:
    """One line for the user: our own errors as they are, driver errors by their cause."""
    if is_one_line_error(exc):
        return str(exc)
    if isinstance(exc, DBAPIError):
        text = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        if "readonly" in text or "read-only" in text:
            return f"the database file is read-only ({text}); nothing was changed"
        if "not a database" in text or "malformed" in text:
            return f"the database file is damaged or not a Shipshape database ({text})"
        if "unable to open" in text:
            return f"cannot open the database file ({text})"
        return f"database error: {text}"
    lines = str(exc).strip().splitlines()
    return f"database error: {lines[0] if lines else type(exc).__name__}"
