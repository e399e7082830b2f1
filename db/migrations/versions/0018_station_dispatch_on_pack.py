"""stations.dispatch_on_pack: a station that packs and ships at once (issue 16)

Where the packer also hands the parcel to the carrier, the station's pack completion
dispatches in the same transaction. Off for every existing station.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-29 22:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("stations") as batch:
        batch.add_column(
            sa.Column("dispatch_on_pack", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("stations") as batch:
        batch.drop_column("dispatch_on_pack")
