"""money on SQLite: whole cents as INTEGER instead of REAL

SQLite has no decimal type: amounts used to reach it as floats, so 12.50 was stored
as REAL 12.5 and an overflowing total as 9.999999999e+18. From now on db.types.Money
stores whole cents as INTEGER there. Each stored REAL is read back through its
shortest decimal form (which gives the amount that was written, for any value of
Numeric(12, 2)'s 12 digits) and rounded half up to the cent, as PostgreSQL does. A
value outside Numeric(12, 2) cannot be converted exactly: the upgrade names it and
changes nothing. PostgreSQL keeps numeric(12, 2); nothing to do there.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 10:00:00
"""

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from alembic import op

from db.schema import SchemaError

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY_COLUMNS = (
    ("products", "price"),
    ("orders", "subtotal"),
    ("orders", "shipping_total"),
    ("orders", "tax_total"),
    ("orders", "grand_total"),
    ("order_lines", "unit_price"),
    ("refunds", "amount"),
)
LARGEST = "9999999999.99"
CENT = Decimal("0.01")


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    beyond = [
        f"{table} id {row_id} {column} = {value!r}"
        for table, column in MONEY_COLUMNS
        for row_id, value in conn.execute(
            sa.text(
                f"SELECT id, {column} FROM {table} WHERE typeof({column}) NOT IN "
                f"('integer', 'real', 'null') OR abs({column}) > {LARGEST} ORDER BY id"
            )
        )
    ]
    if beyond:
        shown = "; ".join(beyond[:5]) + (f"; and {len(beyond) - 5} more" if len(beyond) > 5 else "")
        raise SchemaError(
            f"cannot convert money to exact cents: {shown} is not an amount of at most "
            f"{LARGEST} (left by an earlier version); correct or delete it, then migrate again"
        )
    for table, column in MONEY_COLUMNS:
        conn.execute(
            sa.text(f"UPDATE {table} SET {column} = {column} * 100 WHERE typeof({column}) = 'integer'")
        )
        cents = [
            {"id": row_id, "cents": int(Decimal(repr(value)).quantize(CENT, ROUND_HALF_UP) * 100)}
            for row_id, value in conn.execute(
                sa.text(f"SELECT id, {column} FROM {table} WHERE typeof({column}) = 'real'")
            )
        ]
        if cents:
            conn.execute(sa.text(f"UPDATE {table} SET {column} = :cents WHERE id = :id"), cents)


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "sqlite":
        return
    for table, column in MONEY_COLUMNS:
        conn.execute(
            sa.text(f"UPDATE {table} SET {column} = {column} / 100.0 WHERE typeof({column}) = 'integer'")
        )
