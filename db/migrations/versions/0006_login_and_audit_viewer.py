"""log-in: PIN, failed attempts and lock-out on users; audit viewer indexes (issue 13)

A station user logs in with a badge and a short PIN (hashed like the password);
`failed_logins` and `locked_until` lock an account for a while after repeated
failures. The audit viewer filters by time, by user and time; scan accuracy per user
reads the scan log by user and time.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 19:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.types

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_audit_time", "audit_events", ["occurred_at"]),
    ("ix_audit_user_time", "audit_events", ["username", "occurred_at"]),
    ("ix_scan_events_user_time", "scan_events", ["user_id", "occurred_at"]),
)


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("pin_hash", sa.String(length=255), nullable=True))
        batch.add_column(
            sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0")
        )
        batch.add_column(
            sa.Column("locked_until", db.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch.create_check_constraint(op.f("ck_users_failed_logins"), "failed_logins >= 0")
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    with op.batch_alter_table("users") as batch:
        batch.drop_constraint(op.f("ck_users_failed_logins"), type_="check")
        batch.drop_column("locked_until")
        batch.drop_column("failed_logins")
        batch.drop_column("pin_hash")
