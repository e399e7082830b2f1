"""a covering index for an order's milestones in the audit trail (issue 15)

Cycle times, late orders and the return rate ask, for each of tens of thousands of
orders, when it reached a status. With (entity, entity_id) alone each answer reads
every audit row of the order from the table; with to_status and occurred_at in the
index it is answered from the index alone.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29 19:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_audit_entity_milestones",
        "audit_events",
        ["entity", "entity_id", "to_status", "occurred_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_audit_entity_milestones", table_name="audit_events")
