"""A receipt allocates, in its own transaction, only the waiting orders it can serve,
in allocation's priority order; on both databases."""

from __future__ import annotations

from dataclasses import replace
from itertools import count

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.new_order import NewOrder
from app.services import receipt_allocation
from app.services.allocation import allocate
from app.services.intake import create_orders
from app.services.integrity import verify
from app.services.inventory import StockCount, receive_and_allocate
from app.services.orders import order_detail
from app.services.stock_queries import backorder_count, stock_locations
from db.engine import Database
from db.uow import read
from tests.factories import ADDRESS, channel, new_order, stock
from tests.statement_count import counting_statements

BIN = "A-01-01-A"
_customers = count(1)


def customer_order(lines: dict[str, int], **kwargs: object) -> NewOrder:
    """An order from a customer of its own: the risk rules hold a fourth order a day
    from one address or e-mail, and a held order is not waiting for stock."""
    n = next(_customers)
    order = new_order(lines, **kwargs)  # type: ignore[arg-type]
    return replace(
        order, email=f"customer{n}@example.de", ship_to=replace(ADDRESS, address1=f"Weg {n}")
    )


def place(db: Database, actor: Actor, lines: dict[str, int], **kwargs: object) -> str:
    channel(db, str(kwargs.get("channel", "web")))
    return create_orders(db, actor, [customer_order(lines, **kwargs)]).created[0]


def statuses(db: Database, numbers: list[str]) -> list[str]:
    return [order_detail(db, number).status for number in numbers]


def on_hand(db: Database, sku: str) -> int:
    return sum(slot.on_hand for slot in stock_locations(db, sku))


def test_a_receipt_serves_the_first_waiting_orders_in_priority_order_and_no_others(
    db: Database, actor: Actor
) -> None:
    stock(db, actor, {"MUG": 0, "TEA": 0})
    oldest = place(db, actor, {"MUG": 2}, placed_minutes_ago=600)
    express = place(db, actor, {"MUG": 2}, service_level="express", placed_minutes_ago=5)
    too_big = place(db, actor, {"MUG": 3}, placed_minutes_ago=500)
    blocked = place(db, actor, {"MUG": 1, "TEA": 1}, placed_minutes_ago=450)  # no TEA
    small = place(db, actor, {"MUG": 1}, placed_minutes_ago=400)
    last = place(db, actor, {"MUG": 1}, placed_minutes_ago=300)
    allocate(db, actor)

    change = receive_and_allocate(db, actor, [StockCount("MUG", BIN, 5, receipt="DN-1")])

    # 2 to the express order, 2 to the oldest; 1 left, which the next ship-complete
    # order needing 3 cannot take, nor the one short of TEA: the small one takes it.
    assert sorted(change.allocated) == sorted([express, oldest, small])
    assert statuses(db, [express, oldest, small]) == ["allocated"] * 3
    assert statuses(db, [too_big, blocked, last]) == ["backordered"] * 3
    assert backorder_count(db, "MUG") == 3
    assert on_hand(db, "MUG") == 5
    assert verify(db) == []


def test_a_receipt_splits_its_units_for_an_order_that_may_ship_in_part(
    db: Database, actor: Actor
) -> None:
    stock(db, actor, {"MUG": 0})
    channel(db, "b2b", allow_partial=True)
    first = place(db, actor, {"MUG": 5}, channel="b2b", placed_minutes_ago=600)
    second = place(db, actor, {"MUG": 1}, placed_minutes_ago=5)
    allocate(db, actor)

    change = receive_and_allocate(db, actor, [StockCount("MUG", BIN, 3, receipt="DN-1")])

    assert change.allocated == [first]
    detail = order_detail(db, first)
    assert (detail.status, detail.lines[0].qty_allocated) == ("allocated", 3)
    assert order_detail(db, second).status == "backordered"
    assert verify(db) == []


def test_units_already_free_are_offered_with_the_received_ones(db: Database, actor: Actor) -> None:
    stock(db, actor, {"MUG": 1})
    waiting = place(db, actor, {"MUG": 3})
    allocate(db, actor)
    assert order_detail(db, waiting).status == "backordered"

    change = receive_and_allocate(db, actor, [StockCount("MUG", "B-01-01-A", 2)])

    assert change.allocated == [waiting]
    assert verify(db) == []


def test_a_receipt_that_serves_nobody_still_takes_the_stock_in(db: Database, actor: Actor) -> None:
    stock(db, actor, {"MUG": 0})
    waiting = place(db, actor, {"MUG": 4})
    allocate(db, actor)

    change = receive_and_allocate(db, actor, [StockCount("MUG", BIN, 3, receipt="DN-1")])

    assert (change.allocated, change.units_in, change.receipts) == ([], 3, ["DN-1"])
    assert order_detail(db, waiting).status == "backordered"
    assert on_hand(db, "MUG") == 3
    assert verify(db) == []


def test_a_failure_while_allocating_leaves_the_receipt_not_received(
    db: Database, actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    stock(db, actor, {"MUG": 0})
    waiting = place(db, actor, {"MUG": 2})
    allocate(db, actor)
    count = StockCount("MUG", BIN, 2, receipt="DN-1")

    def broken(*_args: object) -> None:
        raise RuntimeError("allocation failed")

    monkeypatch.setattr(receipt_allocation, "allocate_locked", broken)
    with pytest.raises(RuntimeError, match="allocation failed"):
        receive_and_allocate(db, actor, [count])
    assert on_hand(db, "MUG") == 0
    assert order_detail(db, waiting).status == "backordered"

    monkeypatch.undo()
    change = receive_and_allocate(db, actor, [count])  # not claimed: it goes in now
    assert (change.receipts, change.allocated) == (["DN-1"], [waiting])
    assert verify(db) == []


def test_the_same_receipt_twice_changes_stock_and_allocations_once(
    db: Database, actor: Actor
) -> None:
    stock(db, actor, {"MUG": 0})
    numbers = [place(db, actor, {"MUG": 2}, placed_minutes_ago=60 - n) for n in range(3)]
    allocate(db, actor)
    count = StockCount("MUG", BIN, 2, receipt="DN-7")

    first = receive_and_allocate(db, actor, [count])
    again = receive_and_allocate(db, actor, [count])

    assert first.allocated == [numbers[0]]
    assert (again.allocated, again.units_in, again.receipts) == ([], 0, [])
    assert [seen.reference for seen in again.already_received] == ["DN-7"]
    assert statuses(db, numbers) == ["allocated", "backordered", "backordered"]
    assert on_hand(db, "MUG") == 2
    assert verify(db) == []


def test_a_receipt_reads_the_orders_it_serves_not_the_backlog(db: Database, actor: Actor) -> None:
    """5 or 100 waiting orders cost the same statements, and the orders beyond the
    ones served are not touched: new orders stay new (`allocate` would have moved all
    100 to backordered)."""
    stock(db, actor, {"MUG": 0, "CUP": 0, "TEA": 1})  # TEA: the bin is there for both
    channel(db)
    create_orders(db, actor, [customer_order({"MUG": 1}) for _ in range(5)])
    cups = create_orders(db, actor, [customer_order({"CUP": 1}) for _ in range(100)]).created
    sent = []
    for sku in ("MUG", "CUP"):
        with counting_statements(db) as counted:
            change = receive_and_allocate(db, actor, [StockCount(sku, BIN, 2)])
        assert len(change.allocated) == 2
        sent.append(counted.statements)

    assert sent[0] == sent[1]
    assert sorted(change.allocated) == cups[:2]
    assert set(statuses(db, cups[2:])) == {"new"}


@pytest.mark.parametrize("dated", [True, False])
def test_the_walk_reads_ix_orders_waiting_in_order_without_sorting(
    db: Database, actor: Actor, dated: bool
) -> None:
    """On an empty database, never ANALYZEd: the plan must not depend on statistics."""
    stock(db, actor, {"MUG": 0})
    query = receipt_allocation._candidates([1], 5, 16, dated=dated)

    def explain(session: Session) -> str:
        statement = receipt_allocation._indexed(session, query)
        sql = str(statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True}))
        if session.get_bind().dialect.name == "postgresql":
            for method in ("seqscan", "bitmapscan", "sort"):  # a table of no rows: any plan
                session.execute(text(f"SET LOCAL enable_{method} = off"))  # would do
            return "\n".join(session.execute(text(f"EXPLAIN {sql}")).scalars())
        return "\n".join(row[-1] for row in session.execute(text(f"EXPLAIN QUERY PLAN {sql}")))

    plan = read(db, explain)

    assert "ix_orders_waiting" in plan, plan
    assert "sort" not in plan.lower().replace("sort key", ""), plan
