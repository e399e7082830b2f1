"""outbox rows keep what their template was given, so the desk can render one again

A resend of a message that was never rendered (a template error, a missing sender
address since fixed) renders it anew from this context.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-29 19:06:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("email_outbox", sa.Column("context", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("email_outbox", schema=None) as batch_op:
        batch_op.drop_column("context")
