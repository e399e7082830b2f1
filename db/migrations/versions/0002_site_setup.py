"""site set-up: carriers and services, stations, box and location checks, channel branding

The first warehouse's sender address and GS1 prefix move into settings (company.*,
gs1.company_prefix); GS1's example prefix 0614141, the old default, is not carried over.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 15:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.types

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_KINDS = "('pick', 'bulk', 'receiving', 'packing', 'quarantine', 'scrap')"
NEW_KINDS = "('pick', 'bulk', 'receiving', 'packing', 'staging', 'returns', 'quarantine', 'scrap')"
EXAMPLE_PREFIX = "0614141"
WAREHOUSE_TO_SETTINGS = {
    "company": "company.name",
    "address1": "company.address1",
    "address2": "company.address2",
    "postcode": "company.postcode",
    "city": "company.city",
    "country": "company.country",
}


def upgrade() -> None:
    op.create_table(
        "carriers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("tracking_scheme", sa.String(length=8), nullable=False),
        sa.Column("tracking_prefix", sa.String(length=8), nullable=False),
        sa.Column("tracking_suffix", sa.String(length=8), nullable=False),
        sa.Column("tracking_width", sa.Integer(), nullable=False),
        sa.Column("range_start", sa.BigInteger(), nullable=False),
        sa.Column("range_end", sa.BigInteger(), nullable=False),
        sa.Column("next_value", sa.BigInteger(), nullable=False),
        sa.Column("tracking_url", sa.String(length=500), nullable=False),
        sa.Column("label_layout", sa.String(length=32), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "tracking_scheme IN ('s10', 'mod10', 'mod11', 'mod7', 'none')",
            name=op.f("ck_carriers_scheme"),
        ),
        sa.CheckConstraint(
            "range_start >= 0 AND range_start <= next_value AND next_value <= range_end + 1",
            name=op.f("ck_carriers_range"),
        ),
        sa.CheckConstraint("tracking_width BETWEEN 1 AND 20", name=op.f("ck_carriers_width")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_carriers")),
        sa.UniqueConstraint("code", name=op.f("uq_carriers_code")),
    )
    op.create_table(
        "carrier_services",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("carrier_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("service_level", sa.String(length=20), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["carrier_id"],
            ["carriers.id"],
            name=op.f("fk_carrier_services_carrier_id_carriers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_carrier_services")),
        sa.UniqueConstraint("carrier_id", "code", name=op.f("uq_carrier_services_carrier_id_code")),
    )
    with op.batch_alter_table("carrier_services", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_carrier_services_service_level"), ["service_level"], unique=False
        )
    op.create_table(
        "stations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("label_printer", sa.String(length=200), nullable=False),
        sa.Column("document_printer", sa.String(length=200), nullable=False),
        sa.Column("scale", sa.String(length=200), nullable=False),
        sa.Column("updated_at", db.types.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stations")),
        sa.UniqueConstraint("name", name=op.f("uq_stations_name")),
    )
    with op.batch_alter_table("channels", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sender_name", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("sender_email", sa.String(length=255), nullable=True))
        batch_op.add_column(
            sa.Column("packing_slip", sa.Boolean(), nullable=False, server_default=sa.true())
        )
        batch_op.add_column(sa.Column("risk_overrides", sa.JSON(), nullable=True))
    with op.batch_alter_table("box_types", schema=None) as batch_op:
        batch_op.create_check_constraint(
            "size", "length_mm > 0 AND width_mm > 0 AND height_mm > 0"
        )
        batch_op.create_check_constraint("tare", "tare_g >= 0")
        batch_op.create_check_constraint("max_weight", "max_weight_g IS NULL OR max_weight_g > 0")
    with op.batch_alter_table("locations", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_locations_kind"), type_="check")
        batch_op.create_check_constraint("kind", f"kind IN {NEW_KINDS}")
    _warehouse_to_settings()
    with op.batch_alter_table("warehouses", schema=None) as batch_op:
        batch_op.drop_column("gs1_company_prefix")


def _warehouse_to_settings() -> None:
    conn = op.get_bind()
    row = conn.execute(
        sa.text(
            "SELECT company, address1, address2, postcode, city, country, gs1_company_prefix "
            "FROM warehouses ORDER BY id LIMIT 1"
        )
    ).mappings().first()
    if row is None:
        return
    values = {key: row[column] for column, key in WAREHOUSE_TO_SETTINGS.items() if row[column]}
    if row["gs1_company_prefix"] and row["gs1_company_prefix"] != EXAMPLE_PREFIX:
        values["gs1.company_prefix"] = row["gs1_company_prefix"]
    settings = sa.table("settings", sa.column("key", sa.String), sa.column("value", sa.Text))
    taken = set(conn.execute(sa.select(settings.c.key)).scalars())
    rows = [{"key": k, "value": str(v)} for k, v in values.items() if k not in taken]
    if rows:
        op.bulk_insert(settings, rows)


def downgrade() -> None:
    with op.batch_alter_table("warehouses", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "gs1_company_prefix",
                sa.String(length=12),
                nullable=False,
                server_default=EXAMPLE_PREFIX,
            )
        )
    with op.batch_alter_table("locations", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_locations_kind"), type_="check")
        batch_op.create_check_constraint("kind", f"kind IN {OLD_KINDS}")
    with op.batch_alter_table("box_types", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_box_types_max_weight"), type_="check")
        batch_op.drop_constraint(op.f("ck_box_types_tare"), type_="check")
        batch_op.drop_constraint(op.f("ck_box_types_size"), type_="check")
    with op.batch_alter_table("channels", schema=None) as batch_op:
        batch_op.drop_column("risk_overrides")
        batch_op.drop_column("packing_slip")
        batch_op.drop_column("sender_email")
        batch_op.drop_column("sender_name")
    op.drop_table("stations")
    with op.batch_alter_table("carrier_services", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_carrier_services_service_level"))
    op.drop_table("carrier_services")
    op.drop_table("carriers")
