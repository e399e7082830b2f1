"""indexes for the supervisor's reports (issue 15)

Every report reads a date range of one of these tables; without an index on the
time column each of them would scan the whole history (millions of rows after a
few years). `audit_events` is searched by the status an order reached and when
(shipped, cancelled, picked, packed per day); `orders` by when they were placed
and when they were due.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 19:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_orders_placed_at", "orders", ["placed_at"]),
    ("ix_orders_ship_by", "orders", ["ship_by"]),
    ("ix_audit_to_status_time", "audit_events", ["to_status", "occurred_at"]),
    ("ix_scan_events_time", "scan_events", ["occurred_at"]),
    ("ix_returns_created_at", "returns", ["created_at"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
