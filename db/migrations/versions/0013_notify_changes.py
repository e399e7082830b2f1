"""PostgreSQL tells listening stations which table changed (NOTIFY shipshape_changes)

Statement-level triggers on the tables the queues show send the table's name on the
`shipshape_changes` channel once per statement, delivered when the transaction
commits; stations LISTEN and refresh only what changed (db.change_signal). SQLite
needs nothing: a station there watches `PRAGMA data_version`.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-29 19:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("orders", "order_lines", "shipments", "stock_levels", "pick_lists", "print_jobs")


def upgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE FUNCTION shipshape_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN PERFORM pg_notify('shipshape_changes', TG_TABLE_NAME); RETURN NULL; END $$"
    )
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_notify_change AFTER INSERT OR UPDATE OR DELETE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION shipshape_notify_change()"
        )


def downgrade() -> None:
    if op.get_context().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP TRIGGER {table}_notify_change ON {table}")
    op.execute("DROP FUNCTION shipshape_notify_change()")
