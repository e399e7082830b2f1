"""e-mail outbox ready to send: sender, Message-ID, HTML part, attachments; tracking events

Existing outbox rows (none were ever written before this revision) get a Message-ID
derived from their id.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 19:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.types

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("email_outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channel_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("message_id", sa.String(length=255), nullable=True))
        for name, length in (("from_name", 200), ("from_addr", 255), ("to_name", 200)):
            batch_op.add_column(
                sa.Column(name, sa.String(length=length), nullable=False, server_default="")
            )
        batch_op.add_column(sa.Column("body_html", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("claimed_by", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("resend_of", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("created_by", sa.String(length=100), nullable=True))
    op.execute(
        "UPDATE email_outbox SET message_id = "
        "'<outbox-' || CAST(id AS VARCHAR(20)) || '@shipshape.invalid>'"
    )
    with op.batch_alter_table("email_outbox", schema=None) as batch_op:
        batch_op.alter_column("message_id", existing_type=sa.String(length=255), nullable=False)
        for name, length in (("from_name", 200), ("from_addr", 255), ("to_name", 200)):
            batch_op.alter_column(
                name, existing_type=sa.String(length=length), server_default=None
            )
        batch_op.create_unique_constraint(
            batch_op.f("uq_email_outbox_message_id"), ["message_id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_email_outbox_channel_id_channels"), "channels", ["channel_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_email_outbox_resend_of_email_outbox"),
            "email_outbox",
            ["resend_of"],
            ["id"],
        )
        batch_op.create_check_constraint(batch_op.f("ck_email_outbox_attempts"), "attempts >= 0")

    op.create_table(
        "email_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["outbox_id"],
            ["email_outbox.id"],
            name=op.f("fk_email_attachments_outbox_id_email_outbox"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_attachments")),
    )
    with op.batch_alter_table("email_attachments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_email_attachments_outbox_id"), ["outbox_id"])

    op.create_table(
        "tracking_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shipment_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=64), nullable=False),
        sa.Column("occurred_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("location", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["shipment_id"],
            ["shipments.id"],
            name=op.f("fk_tracking_events_shipment_id_shipments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tracking_events")),
        sa.UniqueConstraint(
            "shipment_id",
            "event",
            "occurred_at",
            "location",
            name=op.f("uq_tracking_events_shipment_id_event_occurred_at_location"),
        ),
    )
    with op.batch_alter_table("tracking_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tracking_events_shipment_id"), ["shipment_id"])


def downgrade() -> None:
    with op.batch_alter_table("tracking_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tracking_events_shipment_id"))
    op.drop_table("tracking_events")
    with op.batch_alter_table("email_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_email_attachments_outbox_id"))
    op.drop_table("email_attachments")
    with op.batch_alter_table("email_outbox", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_email_outbox_attempts"), type_="check")
        batch_op.drop_constraint(
            batch_op.f("fk_email_outbox_resend_of_email_outbox"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_email_outbox_channel_id_channels"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("uq_email_outbox_message_id"), type_="unique")
        for name in (
            "created_by",
            "resend_of",
            "claimed_by",
            "body_html",
            "to_name",
            "from_addr",
            "from_name",
            "message_id",
            "channel_id",
        ):
            batch_op.drop_column(name)
