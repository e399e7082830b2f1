"""order search index (SQLite FTS5 trigram, PostgreSQL pg_trgm GIN), saved queue views,
indexes for the queues

`order_search` holds one document of search keys per order. On PostgreSQL a pg_trgm
GIN index serves `document LIKE '%key%'`; on SQLite an FTS5 table with the trigram
tokenizer indexes the column as external content, kept in step by triggers. The
documents of orders that exist already are written by `migrate` right after this
upgrade (app.services.search_index.index_missing): the keys are the application's
search normalisation, which a migration cannot import.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 19:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.types

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_FTS = [
    "CREATE VIRTUAL TABLE order_search_fts USING fts5("
    "document, content='order_search', content_rowid='order_id', tokenize='trigram')",
    "CREATE TRIGGER order_search_ai AFTER INSERT ON order_search BEGIN "
    "INSERT INTO order_search_fts(rowid, document) VALUES (new.order_id, new.document); END",
    "CREATE TRIGGER order_search_ad AFTER DELETE ON order_search BEGIN "
    "INSERT INTO order_search_fts(order_search_fts, rowid, document) "
    "VALUES ('delete', old.order_id, old.document); END",
    "CREATE TRIGGER order_search_au AFTER UPDATE ON order_search BEGIN "
    "INSERT INTO order_search_fts(order_search_fts, rowid, document) "
    "VALUES ('delete', old.order_id, old.document); "
    "INSERT INTO order_search_fts(rowid, document) VALUES (new.order_id, new.document); END",
]


def upgrade() -> None:
    op.create_table(
        "order_search",
        sa.Column("order_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name=op.f("fk_order_search_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("order_id", name=op.f("pk_order_search")),
    )
    op.create_table(
        "saved_views",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("query", sa.JSON(), nullable=False),
        sa.Column("updated_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_views")),
        sa.UniqueConstraint("username", "name", name=op.f("uq_saved_views_username_name")),
    )
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.create_index("ix_orders_status_id", ["status", "id"], unique=False)
        batch_op.create_index("ix_orders_status_ship_by", ["status", "ship_by"], unique=False)
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.create_index("ix_shipments_shipped_at", ["shipped_at"], unique=False)
    if op.get_context().dialect.name == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
    else:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_index(
            "ix_order_search_trigrams",
            "order_search",
            ["document"],
            postgresql_using="gin",
            postgresql_ops={"document": "gin_trgm_ops"},
        )


def downgrade() -> None:
    if op.get_context().dialect.name == "sqlite":
        op.execute("DROP TABLE order_search_fts")  # its triggers go with order_search
    with op.batch_alter_table("shipments", schema=None) as batch_op:
        batch_op.drop_index("ix_shipments_shipped_at")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_index("ix_orders_status_ship_by")
        batch_op.drop_index("ix_orders_status_id")
    op.drop_table("saved_views")
    op.drop_table("order_search")  # with its GIN index; pg_trgm stays installed
