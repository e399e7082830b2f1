"""outbox rows are rendered when they are sent, not when they are queued

`rendered_at` is NULL until the sender renders the message from its context snapshot
and stores subject, body, sender and Message-ID; a retry sends what was stored. Rows
written before this version were rendered when queued: they count as rendered then,
except those whose rendering failed (no body), which a resend renders anew.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-29 21:57:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.types import UTCDateTime

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "email_outbox", sa.Column("rendered_at", UTCDateTime(timezone=True), nullable=True)
    )
    op.execute("UPDATE email_outbox SET rendered_at = created_at WHERE body <> ''")


def downgrade() -> None:
    with op.batch_alter_table("email_outbox", schema=None) as batch_op:
        batch_op.drop_column("rendered_at")
