"""order lines: units the channel already handled (shipped, cancelled, refunded there)

`qty_handled_elsewhere` counts the units of a line that the shop dealt with itself:
fulfilled from its own stock, cancelled or refunded before shipping. They are never
reserved, picked or shipped here, so allocated plus handled elsewhere never exceeds
what was ordered. Existing lines had none.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 19:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("qty_handled_elsewhere", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.create_check_constraint(
            batch_op.f("ck_order_lines_handled_elsewhere"),
            "qty_handled_elsewhere BETWEEN 0 AND qty_ordered - qty_allocated",
        )


def downgrade() -> None:
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_order_lines_handled_elsewhere"), type_="check")
        batch_op.drop_column("qty_handled_elsewhere")
