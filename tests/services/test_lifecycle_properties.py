"""Random days in the warehouse, step by step, checked against a plain Python model.

Hypothesis drives the real services on a fresh SQLite file per example: orders come in
over a few scarce SKUs, get allocated, held, released, cancelled, packed and shipped,
and stock arrives. After every step the quantities must still form a pipeline, stock
must balance, `verify` must find nothing, and every order must be where the model says.
A refused action must raise one of the app's errors and change nothing at all.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import count
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.new_order import Address, NewLine, NewOrder
from app.domain.order_workflow import CANCELLABLE, HOLDABLE, OrderStatus
from app.errors import OmsError
from app.services.allocation import allocate
from app.services.intake import create_orders
from app.services.integrity import verify
from app.services.intercepts import put_away, unpack_tasks
from app.services.inventory import StockCount, receive_and_allocate
from app.services.order_actions import cancel_order, hold_order, release_hold
from app.services.pack_completion import pack_unverified
from app.services.shipping import ship_order
from db.engine import Database, open_database
from db.models import Allocation, AuditEvent, Order, OrderLine, Shipment, StockLevel, StockMove
from db.uow import read
from tests.factories import channel, stock

SKUS = ("MUG", "TEA", "PEN", "INK")
BIN = "A-01-01-A"
WAITING = {OrderStatus.NEW.value, OrderStatus.BACKORDERED.value}
ACTIONS = ("cancel", "hold", "release", "pack", "ship")
AFTER_ALLOCATION = {OrderStatus.ALLOCATED.value, OrderStatus.BACKORDERED.value}

RUNS = settings(
    max_examples=50,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def snapshot(session: Session) -> dict[str, Any]:
    """Every row an order action could touch, as plain values."""

    def rows(*columns: Any) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in session.execute(select(*columns).order_by(columns[0]))]

    return {
        "orders": rows(Order.id, Order.status, Order.held_from, Order.hold_reason, Order.version),
        "lines": rows(
            OrderLine.id,
            OrderLine.qty_allocated,
            OrderLine.qty_picked,
            OrderLine.qty_packed,
            OrderLine.qty_shipped,
        ),
        "stock": rows(StockLevel.id, StockLevel.on_hand, StockLevel.reserved),
        "allocations": rows(Allocation.id, Allocation.quantity, Allocation.status),
        "moves": rows(StockMove.id),
        "shipments": rows(Shipment.id, Shipment.status),
        "events": rows(AuditEvent.id),
    }


class WarehouseDay(RuleBasedStateMachine):
    orders = Bundle("orders")
    # Set by the test: a migrated empty database to copy, and where to put the copies.
    template: ClassVar[Path]
    tmp_path_factory: ClassVar[pytest.TempPathFactory]

    def __init__(self) -> None:
        super().__init__()
        path = self.tmp_path_factory.mktemp("lifecycle") / "shipshape.db"
        shutil.copy(self.template, path)
        self.db: Database = open_database(f"sqlite:///{path}", station="test")
        self.actor = Actor(username="tester", station="test-station")
        self.refs = count(1)
        # The model: what we expect, kept without looking at the database.
        self.status: dict[str, str] = {}
        self.held_from: dict[str, str] = {}
        self.skus: dict[str, set[str]] = {}
        self.partial: dict[str, bool] = {}
        self.on_hand = 0

    def teardown(self) -> None:
        self.db.dispose()

    # -- helpers ---------------------------------------------------------------------

    def statuses(self) -> dict[str, str]:
        return dict(read(self.db, lambda s: s.execute(select(Order.number, Order.status)).all()))

    def lines_of(self, number: str) -> list[tuple[int, int, int, int, int]]:
        return [
            tuple(row)  # type: ignore[misc]
            for row in read(
                self.db,
                lambda s: s.execute(
                    select(
                        OrderLine.qty_ordered,
                        OrderLine.qty_allocated,
                        OrderLine.qty_picked,
                        OrderLine.qty_packed,
                        OrderLine.qty_shipped,
                    )
                    .join(Order, Order.id == OrderLine.order_id)
                    .where(Order.number == number)
                    .order_by(OrderLine.line_no)
                ).all(),
            )
        ]

    def refused(self, action: Callable[[], object]) -> None:
        """`action` must raise an OmsError and leave every row as it was."""
        before = read(self.db, snapshot)
        with pytest.raises(OmsError):
            action()
        assert read(self.db, snapshot) == before

    def after_allocation(self, before: dict[str, str], sku: str | None = None) -> None:
        """Waiting orders (needing `sku`, if given) end allocated or backordered; nobody
        else moves. Units of `sku` arriving (a receipt, a put-away) serve only the orders
        they can: one they cannot serve keeps its status until the next allocation."""
        after = self.statuses()
        for number, status in before.items():
            if status in WAITING and (sku is None or sku in self.skus[number]):
                ends = AFTER_ALLOCATION if sku is None else AFTER_ALLOCATION | {status}
                assert after[number] in ends, (number, status, after[number])
                if not self.partial[number]:
                    # Ship-complete: reserved whole, or not at all.
                    allocated = {a == o for o, a, *_ in self.lines_of(number)}
                    assert allocated == {after[number] == OrderStatus.ALLOCATED}, number
            else:
                assert after[number] == status, (number, status, after[number])
        self.status.update(after)

    # -- rules -----------------------------------------------------------------------

    @initialize(units=st.tuples(*(st.integers(0, 6) for _ in SKUS)))
    def open_the_warehouse(self, units: tuple[int, ...]) -> None:
        stock(self.db, self.actor, dict(zip(SKUS, units, strict=True)), location=BIN)
        channel(self.db, "web", allow_partial=False)
        channel(self.db, "b2b", allow_partial=True)
        self.on_hand = sum(units)

    @rule(
        target=orders,
        lines=st.dictionaries(st.sampled_from(SKUS), st.integers(1, 3), min_size=1, max_size=3),
        partial=st.booleans(),
    )
    def take_an_order(self, lines: dict[str, int], partial: bool) -> str:
        i = next(self.refs)
        order = NewOrder(
            channel="b2b" if partial else "web",
            external_ref=f"#{1000 + i}",
            placed_at=datetime.now(UTC) - timedelta(minutes=5),
            # A different customer and address each time, so no risk rule holds the order.
            ship_to=Address(
                name=f"Customer {i}",
                address1=f"{i} Harbour Road",
                city="Bristol",
                postcode=f"BS{i} 1AA",
                country="GB",
            ),
            lines=tuple(NewLine(sku, qty, Decimal("10.00")) for sku, qty in lines.items()),
            email=f"customer{i}@example.com",
        )
        (number,) = create_orders(self.db, self.actor, [order]).created
        self.status[number] = OrderStatus.NEW.value
        self.skus[number] = set(lines)
        self.partial[number] = partial
        return number

    @rule()
    def allocate_waiting_orders(self) -> None:
        before = self.statuses()
        allocate(self.db, self.actor)
        self.after_allocation(before)

    @rule(sku=st.sampled_from(SKUS), units=st.integers(1, 4))
    def receive_stock(self, sku: str, units: int) -> None:
        before = self.statuses()
        receive_and_allocate(self.db, self.actor, [StockCount(sku, BIN, units)])
        self.on_hand += units
        self.after_allocation(before, sku)

    def cancel(self, number: str) -> None:
        status = self.status[number]
        if status not in CANCELLABLE:
            self.refused(lambda: cancel_order(self.db, self.actor, number, "customer asked"))
            return
        picked = sum(p - shipped for _, _, p, _, shipped in self.lines_of(number))
        cancel_order(self.db, self.actor, number, "customer asked")
        self.status[number] = OrderStatus.CANCELLED.value
        assert all(allocated == shipped for _, allocated, _, _, shipped in self.lines_of(number)), (
            "a cancelled order still holds stock"
        )
        # Picked units are intercepted: off the shelf until put away, not back at once.
        self.on_hand -= picked
        waiting = sum(t.quantity - t.put_away for t in unpack_tasks(self.db, number))
        assert waiting == picked, "every intercepted unit waits for put-away"

    @rule()
    def put_away_an_intercepted_order(self) -> None:
        tasks = unpack_tasks(self.db)
        if not tasks:
            return
        task = tasks[0]
        before = self.statuses()
        units = task.quantity - task.put_away
        put_away(self.db, self.actor, task.order, task.sku, units, BIN)
        self.on_hand += units
        self.after_allocation(before, task.sku)

    def hold(self, number: str) -> None:
        status = self.status[number]
        if status not in HOLDABLE:
            self.refused(lambda: hold_order(self.db, self.actor, number, "check the address"))
            return
        hold_order(self.db, self.actor, number, "check the address")
        self.held_from[number] = status
        self.status[number] = OrderStatus.ON_HOLD.value

    def release(self, number: str) -> None:
        if self.status[number] != OrderStatus.ON_HOLD:
            self.refused(lambda: release_hold(self.db, self.actor, number, "address confirmed"))
            return
        back_to = release_hold(self.db, self.actor, number, "address confirmed")
        assert back_to == self.held_from.pop(number)
        self.status[number] = back_to

    def pack(self, number: str) -> None:
        if self.status[number] != OrderStatus.ALLOCATED:
            self.refused(lambda: pack_unverified(self.db, self.actor, number))
            return
        before = self.lines_of(number)
        pack_unverified(self.db, self.actor, number)
        self.status[number] = OrderStatus.PACKED.value
        # Everything allocated is picked and packed at once.
        assert [(o, a, a, a, s) for o, a, _, _, s in before] == self.lines_of(number)

    def ship(self, number: str) -> None:
        if self.status[number] != OrderStatus.PACKED:
            self.refused(lambda: ship_order(self.db, self.actor, number))
            return
        before = self.lines_of(number)
        status = ship_order(self.db, self.actor, number)
        self.on_hand -= sum(packed - shipped for *_, packed, shipped in before)
        complete = all(ordered == packed for ordered, _, _, packed, _ in before)
        # Everything allocated was packed, so the rest of a split order waits for stock.
        expected = OrderStatus.SHIPPED if complete else OrderStatus.BACKORDERED
        assert status == expected
        self.status[number] = status

    @rule(number=orders, action=st.sampled_from(ACTIONS))
    def act_on_any_order(self, number: str, action: str) -> None:
        """Any action on any order: mostly refusals, which must change nothing."""
        getattr(self, action)(number)

    def in_status(self, status: OrderStatus) -> list[str]:
        return sorted(number for number, s in self.status.items() if s == status)

    @precondition(lambda self: self.in_status(OrderStatus.ALLOCATED))
    @rule(data=st.data())
    def pack_an_allocated_order(self, data: st.DataObject) -> None:
        self.pack(data.draw(st.sampled_from(self.in_status(OrderStatus.ALLOCATED))))

    @precondition(lambda self: self.in_status(OrderStatus.PACKED))
    @rule(data=st.data())
    def ship_a_packed_order(self, data: st.DataObject) -> None:
        self.ship(data.draw(st.sampled_from(self.in_status(OrderStatus.PACKED))))

    @precondition(lambda self: self.in_status(OrderStatus.ON_HOLD))
    @rule(data=st.data())
    def release_a_held_order(self, data: st.DataObject) -> None:
        self.release(data.draw(st.sampled_from(self.in_status(OrderStatus.ON_HOLD))))

    # -- invariants ------------------------------------------------------------------

    @invariant()
    def every_order_is_where_the_model_says(self) -> None:
        assert self.statuses() == self.status

    @invariant()
    def quantities_flow_down_the_pipeline_and_stock_balances(self) -> None:
        def work(session: Session) -> None:
            for number, ordered, allocated, picked, packed, shipped in session.execute(
                select(
                    Order.number,
                    OrderLine.qty_ordered,
                    OrderLine.qty_allocated,
                    OrderLine.qty_picked,
                    OrderLine.qty_packed,
                    OrderLine.qty_shipped,
                ).join(Order, Order.id == OrderLine.order_id)
            ):
                assert 0 <= shipped <= packed <= picked <= allocated <= ordered, number
            outstanding = session.scalar(
                select(func.sum(OrderLine.qty_allocated - OrderLine.qty_shipped))
            )
            on_hand, reserved = session.execute(
                select(func.sum(StockLevel.on_hand), func.sum(StockLevel.reserved))
            ).one()
            for level_on_hand, level_reserved in session.execute(
                select(StockLevel.on_hand, StockLevel.reserved)
            ):
                assert 0 <= level_reserved <= level_on_hand
            assert (on_hand or 0) == self.on_hand
            # Every unit allocated and not yet shipped is reserved on a shelf, and no more.
            assert (reserved or 0) == (outstanding or 0)

        read(self.db, work)

    @invariant()
    def verify_finds_nothing_wrong(self) -> None:
        assert verify(self.db) == []


def test_any_sequence_of_warehouse_actions_keeps_orders_and_stock_consistent(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    class Day(WarehouseDay):
        pass

    Day.template, Day.tmp_path_factory = sqlite_template, tmp_path_factory
    run_state_machine_as_test(Day, settings=RUNS)
