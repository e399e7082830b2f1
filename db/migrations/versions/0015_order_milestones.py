"""when each order first reached allocated, picked, packed, shipped and cancelled (issue 15)

The reports ask, for tens of thousands of orders at a time, when an order reached a
milestone; read from the audit trail that is a join per order (1.9-3.1 s for a month
of a million orders). These columns on `orders` hold the earliest such moment, so a
report is an index range scan on `orders` (by shipped_at, by cancelled_at) reading
one row per order.

They are kept by a trigger on INSERT INTO audit_events, not by the services: every
path that moves an order (set_status, transition, bulk allocation, intake holds, demo
data, imports) already writes that audit row, so none can forget the column, and it
costs no extra round trip. The earliest moment wins (a re-pack or an event recorded
late does not move it). The upgrade fills the columns from the audit trail.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-29 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.types import UTCDateTime

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MILESTONES = ("allocated", "picked", "packed", "shipped", "cancelled")
INDEXED = ("shipped", "cancelled")  # the reports' ranges; the others are read per order


def _keep(status: str) -> str:
    """The statement a trigger runs for an audit row of an order reaching `status`."""
    return (
        f"UPDATE orders SET {status}_at = NEW.occurred_at WHERE id = NEW.entity_id "
        f"AND ({status}_at IS NULL OR {status}_at > NEW.occurred_at)"
    )


def upgrade() -> None:
    for status in MILESTONES:
        op.add_column("orders", sa.Column(f"{status}_at", UTCDateTime(timezone=True)))
    firsts = ", ".join(
        f"min(CASE WHEN to_status = '{s}' THEN occurred_at END) AS {s}_at" for s in MILESTONES
    )
    listed = ", ".join(f"'{s}'" for s in MILESTONES)
    op.execute(
        f"UPDATE orders SET {', '.join(f'{s}_at = m.{s}_at' for s in MILESTONES)} "
        f"FROM (SELECT entity_id, {firsts} FROM audit_events "
        f"WHERE entity = 'order' AND to_status IN ({listed}) GROUP BY entity_id) AS m "
        "WHERE orders.id = m.entity_id"
    )
    for status in INDEXED:
        op.create_index(f"ix_orders_{status}_at", "orders", [f"{status}_at"])
    if op.get_context().dialect.name == "postgresql":
        branches = " ELS".join(f"IF NEW.to_status = '{s}' THEN {_keep(s)};\n" for s in MILESTONES)
        op.execute(
            "CREATE FUNCTION shipshape_order_milestone() RETURNS trigger LANGUAGE plpgsql "
            f"AS $$ BEGIN\n{branches}END IF;\nRETURN NULL; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_events_order_milestone AFTER INSERT ON audit_events "
            f"FOR EACH ROW WHEN (NEW.entity = 'order' AND NEW.to_status IN ({listed})) "
            "EXECUTE FUNCTION shipshape_order_milestone()"
        )
        return
    for status in MILESTONES:
        op.execute(
            f"CREATE TRIGGER audit_events_order_{status} AFTER INSERT ON audit_events "
            f"WHEN NEW.entity = 'order' AND NEW.to_status = '{status}' "
            f"BEGIN {_keep(status)}; END"
        )


def downgrade() -> None:
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_events_order_milestone ON audit_events")
        op.execute("DROP FUNCTION shipshape_order_milestone()")
    else:
        for status in MILESTONES:
            op.execute(f"DROP TRIGGER audit_events_order_{status}")
    for status in reversed(INDEXED):
        op.drop_index(f"ix_orders_{status}_at", table_name="orders")
    with op.batch_alter_table("orders") as batch:
        for status in reversed(MILESTONES):
            batch.drop_column(f"{status}_at")
