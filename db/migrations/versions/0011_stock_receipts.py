"""stock receipts: each delivery's reference taken in once (issue 9)

A receipt reference (delivery note, purchase order, a file's digest, a receiving
station's token) is unique: receiving it again finds it and changes no stock.
A new, empty table; existing databases keep their data as it is.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 19:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.types

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "stock_receipts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=80), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("lines", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("station", sa.String(length=64), nullable=False),
        sa.Column("received_at", db.types.UTCDateTime(), nullable=False),
        sa.CheckConstraint("units >= 0", name=op.f("ck_stock_receipts_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_receipts")),
        sa.UniqueConstraint("reference", name=op.f("uq_stock_receipts_reference")),
    )


def downgrade() -> None:
    op.drop_table("stock_receipts")
