"""`verify` on both databases: silent after real work, loud and precise on tampered data.

The corruptions are written with plain SQL statements, the way a bad script, a manual
fix in a database console or a bug that bypasses the services would write them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from app.context import Actor
from app.services.allocation import allocate
from app.services.demo_data import load_demo
from app.services.integrity import verify
from app.services.inventory import StockCount, receive_and_allocate
from app.services.order_actions import cancel_order, hold_order
from app.services.orders import list_orders
from app.services.pack_completion import pack_unverified
from app.services.shipping import ship_order
from db.engine import Database
from db.models import Allocation, Location, Order, OrderLine, Product, StockLevel, StockMove
from db.uow import read


@dataclass(frozen=True)
class Level:
    id: int
    product_id: int
    location_id: int
    sku: str
    code: str
    on_hand: int
    reserved: int

    @property
    def where(self) -> str:
        return f"stock {self.sku} at {self.code}"


def levels(db: Database) -> list[Level]:
    def work(session: Session) -> list[Level]:
        rows = session.execute(
            select(
                StockLevel.id,
                StockLevel.product_id,
                StockLevel.location_id,
                Product.sku,
                Location.code,
                StockLevel.on_hand,
                StockLevel.reserved,
            )
            .join(Product, Product.id == StockLevel.product_id)
            .join(Location, Location.id == StockLevel.location_id)
            .order_by(StockLevel.id)
        )
        return [Level(*row) for row in rows]

    return read(db, work)


def a_level(db: Database, test: Callable[[Level], bool]) -> Level:
    return next(level for level in levels(db) if test(level))


@pytest.fixture
def busy_db(db: Database, actor: Actor) -> Database:
    """A small demo warehouse after a morning's work: packed, shipped, cancelled, held."""
    load_demo(db, actor, orders=40, skus=20, seed=11)
    allocated = [r.number for r in list_orders(db, status="allocated", limit=100)]
    assert len(allocated) >= 6
    for number in allocated[:4]:
        pack_unverified(db, actor, number)
    for number in allocated[:2]:
        ship_order(db, actor, number)
    cancel_order(db, actor, allocated[4], "customer changed their mind")
    hold_order(db, actor, allocated[5], "address check")
    empty = a_level(db, lambda level: level.on_hand == 0)
    sku = empty.sku
    receive_and_allocate(db, actor, [StockCount(sku, empty.code, 25)])
    allocate(db, actor)
    assert verify(db) == []
    return db


def test_verify_finds_nothing_wrong_after_ordinary_work(busy_db: Database) -> None:
    assert verify(busy_db) == []
    assert any(level.reserved for level in levels(busy_db))


def test_verify_finds_nothing_wrong_in_an_empty_database(db: Database) -> None:
    assert verify(db) == []


def test_on_hand_changed_behind_the_ledgers_back_is_named(busy_db: Database) -> None:
    level = a_level(busy_db, lambda lv: lv.on_hand > 0)
    with busy_db.engine.begin() as conn:
        conn.execute(
            update(StockLevel).where(StockLevel.id == level.id).values(on_hand=level.on_hand + 7)
        )

    assert verify(busy_db) == [
        f"{level.where}: on hand {level.on_hand + 7} but ledger sums to {level.on_hand}"
    ]


def test_reserved_changed_without_an_allocation_is_named(busy_db: Database) -> None:
    level = a_level(busy_db, lambda lv: lv.reserved < lv.on_hand)  # stays within the CHECK
    with busy_db.engine.begin() as conn:
        conn.execute(
            update(StockLevel).where(StockLevel.id == level.id).values(reserved=level.reserved + 1)
        )

    assert verify(busy_db) == [
        f"{level.where}: reserved {level.reserved + 1} but active allocations sum to "
        f"{level.reserved}"
    ]


def test_a_deleted_allocation_is_named_on_the_stock_and_on_the_order_line(
    busy_db: Database,
) -> None:
    allocation_id, quantity, level_id, number, line_no, sku, allocated = read(
        busy_db,
        lambda session: session.execute(
            select(
                Allocation.id,
                Allocation.quantity,
                Allocation.stock_level_id,
                Order.number,
                OrderLine.line_no,
                OrderLine.sku,
                OrderLine.qty_allocated,
            )
            .join(OrderLine, OrderLine.id == Allocation.order_line_id)
            .join(Order, Order.id == OrderLine.order_id)
            .where(Allocation.status == "active")
            .order_by(Allocation.id)
            .limit(1)
        ).one(),
    )
    level = a_level(busy_db, lambda lv: lv.id == level_id)
    with busy_db.engine.begin() as conn:
        conn.execute(delete(Allocation).where(Allocation.id == allocation_id))

    assert sorted(verify(busy_db)) == [
        f"order {number} line {line_no} ({sku}): allocated {allocated} but allocations "
        f"sum to {allocated - quantity}",
        f"{level.where}: reserved {level.reserved} but active allocations sum to "
        f"{level.reserved - quantity}",
    ]


def test_a_stock_move_without_a_stock_update_is_named(busy_db: Database) -> None:
    level = a_level(busy_db, lambda lv: lv.on_hand > 0)
    with busy_db.engine.begin() as conn:
        conn.execute(
            insert(StockMove).values(
                product_id=level.product_id,
                location_id=level.location_id,
                quantity=3,
                kind="receipt",
                reason="forgot to update the balance",
            )
        )

    assert verify(busy_db) == [
        f"{level.where}: on hand {level.on_hand} but ledger sums to {level.on_hand + 3}"
    ]


def test_a_stock_move_to_a_place_without_a_stock_row_is_named(busy_db: Database) -> None:
    first, second = levels(busy_db)[:2]  # demo products each live in their own bin
    with busy_db.engine.begin() as conn:
        conn.execute(
            insert(StockMove).values(
                product_id=first.product_id,
                location_id=second.location_id,
                quantity=4,
                kind="receipt",
            )
        )

    assert verify(busy_db) == [
        f"ledger for product {first.product_id} at location {second.location_id} sums to 4 "
        "but there is no stock row"
    ]


def test_every_tampered_row_is_reported_not_just_the_first(busy_db: Database) -> None:
    first, second = [lv for lv in levels(busy_db) if lv.on_hand > 0][:2]
    with busy_db.engine.begin() as conn:
        for level in (first, second):
            conn.execute(
                update(StockLevel)
                .where(StockLevel.id == level.id)
                .values(on_hand=level.on_hand + 1)
            )

    assert sorted(verify(busy_db)) == sorted(
        f"{level.where}: on hand {level.on_hand + 1} but ledger sums to {level.on_hand}"
        for level in (first, second)
    )
