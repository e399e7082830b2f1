"""The service desk's actions on an order: cancel, hold and release, on both databases."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from app.context import Actor
from app.errors import InvalidTransition, ValidationFailed
from app.services.allocation import allocate
from app.services.integrity import verify
from app.services.order_actions import cancel_order, hold_order, release_hold
from app.services.orders import order_detail
from app.services.pack_completion import pack_unverified
from app.services.shipping import ship_order
from app.services.stats import stats
from db.engine import Database
from db.models import Allocation, AuditEvent, Order, OrderLine, Shipment, StockLevel, StockMove
from db.uow import read
from tests.factories import channel, place, stock


@pytest.fixture
def agent() -> Actor:
    return Actor(username="cara", station="desk-2")


def snapshot(db: Database) -> dict[str, Any]:
    """Everything an order action could touch, as plain values."""

    def work(session: Any) -> dict[str, Any]:
        def rows(*columns: Any) -> list[tuple[Any, ...]]:
            return [tuple(r) for r in session.execute(select(*columns).order_by(columns[0]))]

        return {
            "orders": rows(Order.id, Order.status, Order.held_from, Order.hold_reason),
            "lines": rows(
                OrderLine.id,
                OrderLine.qty_allocated,
                OrderLine.qty_picked,
                OrderLine.qty_packed,
                OrderLine.qty_shipped,
            ),
            "stock": rows(StockLevel.id, StockLevel.on_hand, StockLevel.reserved),
            "allocations": rows(Allocation.id, Allocation.quantity, Allocation.status),
            "moves": rows(StockMove.id, StockMove.quantity),
            "shipments": rows(Shipment.id, Shipment.status),
            "events": rows(AuditEvent.id),
        }

    return read(db, work)


def test_cancelling_an_allocated_order_gives_its_stock_back(
    db: Database, actor: Actor, agent: Actor
) -> None:
    stock(db, actor, {"MUG": 5, "TEA": 2})
    number = place(db, actor, {"MUG": 3, "TEA": 2})
    allocate(db, actor)
    assert stats(db).stock.available == 2

    cancel_order(db, agent, number, "customer changed their mind")

    detail = order_detail(db, number)
    assert detail.status == "cancelled"
    assert [line.qty_allocated for line in detail.lines] == [0, 0]
    assert (stats(db).stock.reserved, stats(db).stock.available) == (0, 7)
    assert verify(db) == []
    # The released units can be promised to the next customer.
    second = place(db, actor, {"MUG": 5, "TEA": 2})
    allocate(db, actor)
    assert order_detail(db, second).status == "allocated"
    assert verify(db) == []


def test_cancelling_a_packed_order_voids_its_parcel_and_keeps_the_boxed_units_off_the_shelf(
    db: Database, actor: Actor, agent: Actor
) -> None:
    stock(db, actor, {"MUG": 4})
    number = place(db, actor, {"MUG": 2})
    allocate(db, actor)
    pack_unverified(db, actor, number)

    cancel_order(db, agent, number, "address undeliverable")

    detail = order_detail(db, number)
    assert detail.status == "cancelled"
    assert [s.status for s in detail.shipments] == ["voided"]
    assert [(line.qty_allocated, line.qty_packed) for line in detail.lines] == [(0, 0)]
    # The 2 boxed units come back only when put away (tests/services/test_intercepts.py).
    assert (stats(db).stock.on_hand, stats(db).stock.reserved) == (2, 0)
    assert verify(db) == []


@pytest.mark.parametrize("reason", ["", "   "])
def test_cancelling_needs_a_reason(db: Database, actor: Actor, agent: Actor, reason: str) -> None:
    stock(db, actor, {"MUG": 5})
    number = place(db, actor, {"MUG": 1})
    allocate(db, actor)
    before = snapshot(db)

    with pytest.raises(ValidationFailed, match="reason is needed to cancel"):
        cancel_order(db, agent, number, reason)

    assert snapshot(db) == before


def test_cancelling_a_shipped_order_is_refused_and_changes_nothing(
    db: Database, actor: Actor, agent: Actor
) -> None:
    stock(db, actor, {"MUG": 5})
    number = place(db, actor, {"MUG": 2})
    allocate(db, actor)
    pack_unverified(db, actor, number)
    ship_order(db, actor, number)
    before = snapshot(db)

    with pytest.raises(InvalidTransition, match=f"order {number} is shipped; only orders not yet"):
        cancel_order(db, agent, number, "too late")

    assert snapshot(db) == before
    assert order_detail(db, number).status == "shipped"


def test_cancelling_an_order_twice_is_refused_the_second_time(
    db: Database, actor: Actor, agent: Actor
) -> None:
    stock(db, actor, {"MUG": 5})
    number = place(db, actor, {"MUG": 1})
    cancel_order(db, agent, number, "duplicate order")
    before = snapshot(db)

    with pytest.raises(InvalidTransition, match="is cancelled"):
        cancel_order(db, agent, number, "duplicate order")

    assert snapshot(db) == before


def test_cancelling_the_rest_of_a_partly_shipped_order_keeps_what_was_shipped(
    db: Database, actor: Actor, agent: Actor
) -> None:
    channel(db, "web", allow_partial=True)
    stock(db, actor, {"MUG": 2})
    number = place(db, actor, {"MUG": 5})
    allocate(db, actor)
    pack_unverified(db, actor, number)
    assert ship_order(db, actor, number) == "backordered"

    cancel_order(db, agent, number, "customer does not want the rest")

    detail = order_detail(db, number)
    assert detail.status == "cancelled"
    assert [(line.qty_ordered, line.qty_shipped) for line in detail.lines] == [(5, 2)]
    assert verify(db) == []


def _order_in(db: Database, actor: Actor, status: str) -> str:
    """An order in `status`: new, backordered, allocated or packed."""
    stock(db, actor, {"MUG": 3, "RARE": 0})
    number = place(db, actor, {"RARE" if status == "backordered" else "MUG": 2})
    if status != "new":
        allocate(db, actor)
    if status == "packed":
        pack_unverified(db, actor, number)
    assert order_detail(db, number).status == status
    return number


@pytest.mark.parametrize("status", ["new", "backordered", "allocated", "packed"])
def test_a_released_hold_returns_the_order_to_where_it_was_and_the_timeline_says_who_and_why(
    db: Database, actor: Actor, agent: Actor, status: str
) -> None:
    number = _order_in(db, actor, status)
    stock_before = stats(db).stock

    hold_order(db, agent, number, "customer asked to check the address")
    held = order_detail(db, number)
    assert (held.status, held.hold_reason) == ("on_hold", "customer asked to check the address")
    assert stats(db).stock == stock_before  # a hold keeps the reservations

    supervisor = Actor(username="sam", station="office")
    assert release_hold(db, supervisor, number, "address confirmed by phone") == status

    detail = order_detail(db, number)
    assert (detail.status, detail.hold_reason) == (status, None)
    held_event, released_event = detail.events[-2:]
    assert (
        held_event.username,
        held_event.station,
        held_event.from_status,
        held_event.to_status,
        held_event.reason,
    ) == ("cara", "desk-2", status, "on_hold", "customer asked to check the address")
    assert (
        released_event.username,
        released_event.station,
        released_event.action,
        released_event.from_status,
        released_event.to_status,
        released_event.reason,
    ) == ("sam", "office", "hold released", "on_hold", status, "address confirmed by phone")
    assert stats(db).stock == stock_before
    assert verify(db) == []


def test_holding_and_releasing_need_a_reason(db: Database, actor: Actor, agent: Actor) -> None:
    number = _order_in(db, actor, "allocated")
    before = snapshot(db)
    with pytest.raises(ValidationFailed, match="reason is needed to put an order on hold"):
        hold_order(db, agent, number, " ")
    assert snapshot(db) == before

    hold_order(db, agent, number, "fraud check")
    before = snapshot(db)
    with pytest.raises(ValidationFailed, match="note is needed to release a hold"):
        release_hold(db, agent, number, "")
    assert snapshot(db) == before


def test_releasing_an_order_that_is_not_held_is_refused(
    db: Database, actor: Actor, agent: Actor
) -> None:
    number = _order_in(db, actor, "allocated")
    before = snapshot(db)

    with pytest.raises(InvalidTransition, match=f"order {number} is not on hold"):
        release_hold(db, agent, number, "all good")

    assert snapshot(db) == before


def test_holding_a_shipped_order_is_refused_and_changes_nothing(
    db: Database, actor: Actor, agent: Actor
) -> None:
    number = _order_in(db, actor, "packed")
    ship_order(db, actor, number)
    before = snapshot(db)

    with pytest.raises(InvalidTransition, match="is shipped; it cannot become on hold"):
        hold_order(db, agent, number, "customer called")

    assert snapshot(db) == before


def test_a_held_order_can_be_cancelled_and_its_stock_comes_back(
    db: Database, actor: Actor, agent: Actor
) -> None:
    number = _order_in(db, actor, "allocated")
    hold_order(db, agent, number, "fraud check")

    cancel_order(db, agent, number, "fraud confirmed")

    detail = order_detail(db, number)
    assert (detail.status, detail.hold_reason) == ("cancelled", None)
    assert stats(db).stock.reserved == 0
    assert verify(db) == []
