"""Allocation on both databases: priority order, ship-complete, partial, release."""

from __future__ import annotations

from app.context import Actor
from app.services.allocation import allocate
from app.services.integrity import verify
from app.services.inventory import StockCount, receive_and_allocate
from app.services.order_actions import release_hold
from app.services.orders import order_detail
from db.engine import Database
from tests.factories import channel, place, stock


def test_an_order_with_enough_stock_is_reserved_whole(db: Database, actor: Actor) -> None:
    stock(db, actor, {"MUG": 5, "TEA": 5})
    number = place(db, actor, {"MUG": 2, "TEA": 1})

    result = allocate(db, actor)

    assert result.allocated == [number]
    detail = order_detail(db, number)
    assert detail.status == "allocated"
    assert [(line.sku, line.qty_allocated) for line in detail.lines] == [("MUG", 2), ("TEA", 1)]
    assert verify(db) == []


def test_express_orders_are_served_before_older_standard_ones(db: Database, actor: Actor) -> None:
    stock(db, actor, {"MUG": 1})
    standard = place(db, actor, {"MUG": 1}, placed_minutes_ago=600)
    express = place(db, actor, {"MUG": 1}, service_level="express", placed_minutes_ago=5)

    result = allocate(db, actor)

    assert result.allocated == [express]
    assert result.backordered == [standard]


def test_ship_complete_order_waits_whole_when_one_line_is_short(db: Database, actor: Actor) -> None:
    stock(db, actor, {"MUG": 5, "TEA": 0})
    number = place(db, actor, {"MUG": 2, "TEA": 1})

    allocate(db, actor)

    detail = order_detail(db, number)
    assert detail.status == "backordered"
    assert all(line.qty_allocated == 0 for line in detail.lines)
    assert verify(db) == []


def test_partial_channel_reserves_what_there_is(db: Database, actor: Actor) -> None:
    stock(db, actor, {"MUG": 5, "TEA": 0})
    channel(db, "b2b", allow_partial=True)
    number = place(db, actor, {"MUG": 2, "TEA": 1}, channel="b2b")

    result = allocate(db, actor)

    assert result.partially_allocated == [number]
    detail = order_detail(db, number)
    assert detail.status == "allocated"
    assert [line.qty_allocated for line in detail.lines] == [2, 0]


def test_receiving_stock_allocates_waiting_backorders_at_once(db: Database, actor: Actor) -> None:
    stock(db, actor, {"MUG": 0})
    number = place(db, actor, {"MUG": 3})
    allocate(db, actor)
    assert order_detail(db, number).status == "backordered"

    receive_and_allocate(db, actor, [StockCount("MUG", "A-01-01-A", 3)])

    assert order_detail(db, number).status == "allocated"
    assert verify(db) == []


def test_stock_is_never_promised_twice(db: Database, actor: Actor) -> None:
    stock(db, actor, {"MUG": 3})
    numbers = [place(db, actor, {"MUG": 2}) for _ in range(3)]

    allocate(db, actor)

    statuses = [order_detail(db, n).status for n in numbers]
    assert statuses == ["allocated", "backordered", "backordered"]
    assert verify(db) == []


def test_a_released_order_with_an_unknown_sku_waits_instead_of_shipping_without_it(
    db: Database, actor: Actor
) -> None:
    stock(db, actor, {"MUG": 5})
    number = place(db, actor, {"MUG": 1, "GHOST-1": 1})
    assert order_detail(db, number).hold_reason == "unknown SKU GHOST-1 on line 2"
    release_hold(db, actor, number, "customer confirmed the order")

    result = allocate(db, actor)

    assert result.backordered == [number]
    assert [line.qty_allocated for line in order_detail(db, number).lines] == [0, 0]
    assert verify(db) == []
