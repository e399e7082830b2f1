"""the waiting orders in allocation's priority order, for receipts (issue 16)

A receipt allocates only the waiting orders its units can serve, most urgent first;
it walks this index a page at a time instead of sorting the whole backlog (those with
a ship-by date and those without as two ranges, as SQLite sorts NULLs first and
allocation last). Partial: only new and backordered orders are in it, so it stays the
size of the backlog, not of the order history.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-29 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WAITING = sa.text("status IN ('new', 'backordered')")


def upgrade() -> None:
    op.create_index(
        "ix_orders_waiting",
        "orders",
        ["priority", "ship_by", "placed_at", "id"],
        postgresql_where=WAITING,
        sqlite_where=WAITING,
    )


def downgrade() -> None:
    op.drop_index("ix_orders_waiting", table_name="orders")
