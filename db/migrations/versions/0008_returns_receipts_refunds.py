"""returns: resolution, unexpected parcels, receipts with their ledger move, refund terms

A return records the resolution wanted (refund, exchange, store credit), whether it
came with no RMA, who received it and the replacement order of an exchange. Each
receipt (units of one line in one condition, sent to one place) points at the one
stock move that put them there, so `verify` can hold every received unit to exactly
one disposition move. Refunds keep their parts (goods, restocking fee, shipping), the
method (refund or store credit) and who issued them. Returns to a vendor are a
disposition now.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 19:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.types

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CONDITIONS = "('sellable', 'opened', 'damaged', 'wrong_item')"
OLD_DISPOSITIONS = "('restock', 'quarantine', 'scrap')"
DISPOSITIONS = "('restock', 'quarantine', 'scrap', 'vendor')"


def upgrade() -> None:
    with op.batch_alter_table("returns", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("resolution", sa.String(length=16), nullable=False, server_default="refund")
        )
        batch_op.add_column(
            sa.Column("unexpected", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("received_by", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("received_station", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("closed_at", db.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column("exchange_order_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_returns_exchange_order_id_orders"),
            "orders",
            ["exchange_order_id"],
            ["id"],
        )
        batch_op.create_check_constraint(
            "resolution", "resolution IN ('refund', 'exchange', 'credit')"
        )
        batch_op.create_index(batch_op.f("ix_returns_status"), ["status"], unique=False)

    with op.batch_alter_table("return_lines", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_return_lines_disposition"), type_="check")
        batch_op.create_check_constraint(
            "disposition", f"disposition IS NULL OR disposition IN {DISPOSITIONS}"
        )
        batch_op.create_check_constraint(
            "condition", f"condition IS NULL OR condition IN {CONDITIONS} OR condition = 'mixed'"
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_return_lines_return_id_order_line_id"), ["return_id", "order_line_id"]
        )

    op.create_table(
        "return_receipts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("return_line_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("condition", sa.String(length=16), nullable=False),
        sa.Column("disposition", sa.String(length=16), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("stock_move_id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("station", sa.String(length=64), nullable=True),
        sa.Column("created_at", db.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_return_receipts_positive")),
        sa.CheckConstraint(f"condition IN {CONDITIONS}", name=op.f("ck_return_receipts_condition")),
        sa.CheckConstraint(
            f"disposition IN {DISPOSITIONS}", name=op.f("ck_return_receipts_disposition")
        ),
        sa.ForeignKeyConstraint(
            ["return_line_id"],
            ["return_lines.id"],
            name=op.f("fk_return_receipts_return_line_id_return_lines"),
        ),
        sa.ForeignKeyConstraint(
            ["location_id"], ["locations.id"], name=op.f("fk_return_receipts_location_id_locations")
        ),
        sa.ForeignKeyConstraint(
            ["stock_move_id"],
            ["stock_moves.id"],
            name=op.f("fk_return_receipts_stock_move_id_stock_moves"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_return_receipts")),
        sa.UniqueConstraint("stock_move_id", name=op.f("uq_return_receipts_stock_move_id")),
    )
    with op.batch_alter_table("return_receipts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_return_receipts_return_line_id"), ["return_line_id"], unique=False
        )

    zero = sa.text("0")
    with op.batch_alter_table("refunds", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("method", sa.String(length=8), nullable=False, server_default="refund")
        )
        for name in ("goods_amount", "fee_amount", "shipping_amount"):
            batch_op.add_column(
                sa.Column(name, db.types.Money(), nullable=False, server_default=zero)
            )
        batch_op.add_column(sa.Column("issued_by", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("issued_at", db.types.UTCDateTime(), nullable=True))
        batch_op.create_check_constraint("method", "method IN ('refund', 'credit')")
        batch_op.create_check_constraint("status", "status IN ('pending', 'issued')")
        batch_op.create_check_constraint("issued", "(status = 'issued') = (issued_at IS NOT NULL)")
        batch_op.create_index(batch_op.f("ix_refunds_return_id"), ["return_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("refunds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_refunds_return_id"))
        batch_op.drop_constraint(op.f("ck_refunds_issued"), type_="check")
        batch_op.drop_constraint(op.f("ck_refunds_status"), type_="check")
        batch_op.drop_constraint(op.f("ck_refunds_method"), type_="check")
        for name in ("issued_at", "issued_by", "shipping_amount", "fee_amount", "goods_amount"):
            batch_op.drop_column(name)
        batch_op.drop_column("method")
    op.drop_table("return_receipts")
    with op.batch_alter_table("return_lines", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("uq_return_lines_return_id_order_line_id"), type_="unique")
        batch_op.drop_constraint(op.f("ck_return_lines_condition"), type_="check")
        batch_op.drop_constraint(op.f("ck_return_lines_disposition"), type_="check")
        batch_op.create_check_constraint(
            "disposition", f"disposition IS NULL OR disposition IN {OLD_DISPOSITIONS}"
        )
    with op.batch_alter_table("returns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_returns_status"))
        batch_op.drop_constraint(op.f("ck_returns_resolution"), type_="check")
        batch_op.drop_constraint(op.f("fk_returns_exchange_order_id_orders"), type_="foreignkey")
        for name in (
            "exchange_order_id",
            "closed_at",
            "received_station",
            "received_by",
            "unexpected",
            "resolution",
        ):
            batch_op.drop_column(name)
