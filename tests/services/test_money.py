"""Money is Decimal end to end: exact on PostgreSQL and SQLite (whole cents, never REAL)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.new_order import NewLine
from app.errors import ValidationFailed
from app.services.intake import create_orders
from app.services.orders import order_detail
from db.engine import Database, open_database
from db.models import Order, OrderLine, Product
from db.schema import SchemaError, current_revision, downgrade, upgrade
from db.uow import read, run_in_transaction
from tests.factories import channel, new_order

LARGEST = Decimal("9999999999.99")


def test_amounts_come_back_exactly_and_sqlite_holds_them_as_integer_cents(
    db: Database, actor: Actor
) -> None:
    channel(db, "web")
    lines = (NewLine("MUG", 3, Decimal("0.10")), NewLine("TEA", 1, Decimal("9999999999.00")))
    create_orders(db, actor, [replace(new_order({}, ref="M-1"), lines=lines)])

    detail = order_detail(db, "M-1")

    assert [line.unit_price for line in detail.lines] == [Decimal("0.10"), Decimal("9999999999.00")]
    assert detail.grand_total == Decimal("9999999999.30")
    if db.dialect == "sqlite":
        stored = read(
            db, lambda s: s.execute(text("SELECT typeof(grand_total), grand_total FROM orders"))
        ).all()
        assert stored == [("integer", 999999999930)]


def test_sql_sums_comparisons_and_products_of_amounts_are_in_money_not_cents(
    db: Database, actor: Actor
) -> None:
    channel(db, "web")
    lines = (NewLine("A", 3, Decimal("0.10")), NewLine("B", 2, Decimal("12.25")))
    create_orders(db, actor, [replace(new_order({}, ref="S-1"), lines=lines)])

    def work(session: Session) -> tuple[object, ...]:
        line_total = func.sum(OrderLine.unit_price * OrderLine.qty_ordered)
        return (
            session.execute(select(line_total)).scalar(),
            session.execute(select(func.sum(OrderLine.unit_price * 3))).scalar(),
            session.execute(select(OrderLine.sku).where(OrderLine.unit_price > Decimal("1.5")))
            .scalars()
            .all(),
            session.execute(select(Order.grand_total - Decimal("0.30"))).scalar(),
        )

    assert read(db, work) == (Decimal("24.80"), Decimal("37.05"), ["B"], Decimal("24.50"))


@pytest.mark.parametrize("amount", [LARGEST + Decimal("0.01"), Decimal("-1E+20"), Decimal("NaN")])
def test_an_amount_beyond_the_column_is_refused_before_it_reaches_the_database(
    db: Database, amount: Decimal
) -> None:
    def work(session: Session) -> None:
        session.add(Product(sku="BIG", name="big", price=amount))
        session.flush()

    with pytest.raises(StatementError, match="does not fit Numeric"):
        run_in_transaction(db, work)


def test_intake_refuses_a_line_total_beyond_the_column_naming_the_line(
    db: Database, actor: Actor
) -> None:
    channel(db, "web")
    lines = (NewLine("A", 1, Decimal("1.00")), NewLine("B", 1_000_000_000, LARGEST))
    order = replace(new_order({}, ref="X-1"), lines=lines)

    with pytest.raises(ValidationFailed) as refused:
        create_orders(db, actor, [order])

    assert refused.value.problems[0] == (
        "order X-1: line 2 total 1000000000 x 9999999999.99 = 9999999999990000000.00 "
        "is more than 9999999999.99"
    )
    assert read(db, lambda s: s.scalar(select(func.count()).select_from(Order))) == 0


def _sqlite_at_0002(path: Path) -> Database:
    db = open_database(f"sqlite:///{path}", station="test")
    upgrade(db, "0002")
    return db


def _insert_prices(db: Database, prices: list[object]) -> None:
    with db.engine.begin() as conn:
        for n, price in enumerate(prices):
            conn.execute(
                text(
                    "INSERT INTO products (sku, name, price, active, updated_at) "
                    "VALUES (:sku, 'p', :price, 1, '2024-01-01 00:00:00')"
                ),
                {"sku": f"P{n}", "price": price},
            )


def _stored(db: Database) -> list[tuple[str, object]]:
    with db.engine.connect() as conn:
        query = "SELECT typeof(price), price FROM products ORDER BY id"
        return [(kind, value) for kind, value in conn.execute(text(query))]


def test_the_migration_turns_sqlite_real_amounts_into_exact_cents_and_back(tmp_path: Path) -> None:
    db = _sqlite_at_0002(tmp_path / "old.db")
    _insert_prices(db, [12.5, 0.1, 12, None, 9999999999.99, 0.07, 1234567.89])
    assert _stored(db)[0] == ("real", 12.5)

    upgrade(db)

    assert _stored(db) == [
        ("integer", 1250),
        ("integer", 10),
        ("integer", 1200),
        ("null", None),
        ("integer", 999999999999),
        ("integer", 7),
        ("integer", 123456789),
    ]
    prices = read(db, lambda s: s.scalars(select(Product.price).order_by(Product.id)).all())
    assert prices[4] == LARGEST and prices[6] == Decimal("1234567.89")

    downgrade(db, "0002")

    assert _stored(db) == [
        ("real", 12.5),
        ("real", 0.1),
        ("integer", 12),
        ("null", None),
        ("real", 9999999999.99),
        ("real", 0.07),
        ("real", 1234567.89),
    ]
    db.dispose()


def test_the_migration_refuses_a_corrupted_amount_by_name_and_changes_nothing(
    tmp_path: Path,
) -> None:
    db = _sqlite_at_0002(tmp_path / "old.db")
    _insert_prices(db, [12.5, 9999999999000000512.0])

    with pytest.raises(SchemaError) as refused:
        upgrade(db)

    assert str(refused.value).startswith(
        "cannot convert money to exact cents: products id 2 price = 9.999999999e+18 is not"
    )
    assert current_revision(db) == "0002"
    assert _stored(db) == [("real", 12.5), ("real", 9.999999999e18)]
    db.dispose()
