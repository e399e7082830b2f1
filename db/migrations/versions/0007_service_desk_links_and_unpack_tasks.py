"""service desk: replacement and split orders linked to their origin; unpack tasks

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 19:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.types

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN, no table rebuild: orders may hold millions of rows. SQLite takes
    # the foreign key inline (it cannot ALTER one in); PostgreSQL as a named constraint.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE orders ADD COLUMN origin_order_id INTEGER REFERENCES orders (id)")
    else:
        op.add_column("orders", sa.Column("origin_order_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_orders_origin_order_id_orders"),
            "orders",
            "orders",
            ["origin_order_id"],
            ["id"],
        )
    op.add_column("orders", sa.Column("origin_kind", sa.String(length=16), nullable=True))
    op.create_index(op.f("ix_orders_origin_order_id"), "orders", ["origin_order_id"])

    op.create_table(
        "unpack_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("order_line_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("from_location_id", sa.Integer(), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("qty_put_away", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=True),
        sa.Column("created_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("done_at", db.types.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_unpack_tasks_positive")),
        sa.CheckConstraint(
            "qty_put_away BETWEEN 0 AND quantity", name=op.f("ck_unpack_tasks_put_away")
        ),
        sa.CheckConstraint("status IN ('open', 'done')", name=op.f("ck_unpack_tasks_status")),
        sa.ForeignKeyConstraint(
            ["order_id"], ["orders.id"], name=op.f("fk_unpack_tasks_order_id_orders")
        ),
        sa.ForeignKeyConstraint(
            ["order_line_id"],
            ["order_lines.id"],
            name=op.f("fk_unpack_tasks_order_line_id_order_lines"),
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_unpack_tasks_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["from_location_id"],
            ["locations.id"],
            name=op.f("fk_unpack_tasks_from_location_id_locations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unpack_tasks")),
    )
    op.create_index(op.f("ix_unpack_tasks_order_id"), "unpack_tasks", ["order_id"])
    op.create_index("ix_unpack_tasks_status", "unpack_tasks", ["status"])


def downgrade() -> None:
    op.drop_index("ix_unpack_tasks_status", table_name="unpack_tasks")
    op.drop_index(op.f("ix_unpack_tasks_order_id"), table_name="unpack_tasks")
    op.drop_table("unpack_tasks")
    op.drop_index(op.f("ix_orders_origin_order_id"), table_name="orders")
    if op.get_bind().dialect.name != "sqlite":  # SQLite's inline key goes with its column
        op.drop_constraint(op.f("fk_orders_origin_order_id_orders"), "orders", type_="foreignkey")
    with op.batch_alter_table("orders", schema=None) as batch_op:
        batch_op.drop_column("origin_kind")
        batch_op.drop_column("origin_order_id")
