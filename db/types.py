"""Column types that behave the same on SQLite and PostgreSQL."""

import operator
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import DateTime, Integer, Numeric
from sqlalchemy.engine import Dialect
from sqlalchemy.sql.operators import OperatorType
from sqlalchemy.types import TypeDecorator, TypeEngine

CENT = Decimal("0.01")
MONEY_MAX = Decimal("9999999999.99")  # the largest amount a Numeric(12, 2) column holds
_SCALING = (operator.mul, operator.truediv, operator.floordiv, operator.mod)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; Shipshape stores UTC only")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        moment = datetime.fromisoformat(value) if isinstance(value, str) else value
        assert isinstance(moment, datetime)
        if moment.tzinfo is None:
            return moment.replace(tzinfo=UTC)
        return moment.astimezone(UTC)


class _WholeCents(Numeric[Decimal]):
    """SQLite's side of Money: declared NUMERIC(12, 2), handed integers untouched
    (SQLAlchemy's own Numeric would turn a Decimal into a float on the way in)."""

    def bind_processor(self, dialect: Dialect) -> None:
        return None

    def result_processor(self, dialect: Dialect, coltype: object) -> None:
        return None


class Money(TypeDecorator[Decimal]):
    """Amounts in Numeric(12, 2): Decimal in, Decimal out, on both databases.

    PostgreSQL keeps them as numeric. SQLite has no decimal type and would store a
    REAL, so there the column holds whole cents as an INTEGER (exact, and it still
    sorts, sums and compares in SQL; SQL whose result has no type, such as a bare
    avg(), sees cents). Amounts are rounded half up to the cent, as PostgreSQL does;
    one beyond the column's range is refused on both.
    """

    impl = Numeric(12, 2)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        sqlite = dialect.name == "sqlite"
        return dialect.type_descriptor(_WholeCents(12, 2) if sqlite else self.impl)

    def coerce_compared_value(self, op: OperatorType | None, value: Any) -> TypeEngine[Any]:
        """`price * 3` multiplies by three, not by three hundred cents."""
        if op in _SCALING:
            return Integer() if isinstance(value, int) else Numeric()
        return self

    def process_bind_param(self, value: Decimal | int | float | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        amount = stored_amount(value)
        return int(amount * 100) if dialect.name == "sqlite" else amount

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        if dialect.name != "sqlite":
            return Decimal(value)
        cents = Decimal(value if isinstance(value, int) else str(value))  # price * 1.5 is a REAL
        return (cents / 100).quantize(CENT)


def stored_amount(value: Decimal | int | float) -> Decimal:
    """`value` as a Money column keeps it, and reads it back: rounded half up to the
    cent. One beyond the column's range is refused."""
    amount = Decimal(str(value) if isinstance(value, float) else value)
    if not amount.is_finite() or abs(amount) > MONEY_MAX:
        raise ValueError(f"amount {amount} does not fit Numeric(12, 2)")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def utcnow() -> datetime:
    return datetime.now(UTC)
