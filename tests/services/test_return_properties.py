"""Any sequence of ship / authorise / receive keeps returned <= shipped and the ledger
equal to stock levels (hypothesis, a fresh SQLite file per example).

A plain model predicts which authorisations and receipts must be refused (more than
shipped less returned and outstanding); a refusal must change nothing at all.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from dataclasses import replace
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
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.returns import ALLOWED_DISPOSITIONS, Condition, ReceiptItem
from app.errors import OmsError
from app.services.allocation import allocate
from app.services.intake import create_orders
from app.services.integrity import verify
from app.services.pack_completion import pack_unverified
from app.services.returns import authorise_return, receive_return
from app.services.shipping import ship_order
from db.engine import Database, open_database
from db.models import OrderLine, Return, StockLevel, StockMove
from db.uow import read
from tests.factories import ADDRESS, channel, new_order, stock

SKUS = ("TEE", "MUG")
RUNS = settings(
    max_examples=8,
    stateful_step_count=14,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
UNIT = st.sampled_from([(c, d) for c in Condition for d in sorted(ALLOWED_DISPOSITIONS[c])])


def state(session: Session) -> tuple[Any, ...]:
    return (
        session.scalar(select(func.count()).select_from(Return)),
        session.scalar(select(func.count()).select_from(StockMove)),
        tuple(session.execute(select(OrderLine.id, OrderLine.qty_returned).order_by(OrderLine.id))),
    )


class ReturnsDesk(RuleBasedStateMachine):
    orders = Bundle("orders")
    rmas = Bundle("rmas")
    template: ClassVar[Path]
    tmp_path_factory: ClassVar[pytest.TempPathFactory]

    def __init__(self) -> None:
        super().__init__()
        path = self.tmp_path_factory.mktemp("returns") / "shipshape.db"
        shutil.copy(self.template, path)
        self.db: Database = open_database(f"sqlite:///{path}", station="test")
        self.actor = Actor(username="tester", station="returns-1")
        self.refs = count(1)
        # (order, sku) -> units shipped, returned, and authorised on open RMAs not yet in
        self.shipped: dict[tuple[str, str], int] = defaultdict(int)
        self.returned: dict[tuple[str, str], int] = defaultdict(int)
        self.expected: dict[str, dict[str, int]] = {}  # RMA -> sku -> units still due
        self.rma_order: dict[str, str] = {}

    def teardown(self) -> None:
        self.db.dispose()

    def outstanding(self, order: str, sku: str) -> int:
        return sum(
            due.get(sku, 0) for rma, due in self.expected.items() if self.rma_order[rma] == order
        )

    def refused(self, action: Any) -> None:
        before = read(self.db, state)
        with pytest.raises(OmsError):
            action()
        assert read(self.db, state) == before

    @initialize()
    def warehouse(self) -> None:
        stock(self.db, self.actor, dict.fromkeys(SKUS, 200))
        channel(self.db, "web")

    @rule(target=orders, tee=st.integers(0, 3), mug=st.integers(0, 3))
    def ship(self, tee: int, mug: int) -> str:
        wanted = {sku: qty for sku, qty in zip(SKUS, (tee, mug), strict=True) if qty} or {"TEE": 1}
        n = next(self.refs)
        order = replace(
            new_order(wanted, ref=f"P-{n}"),
            email=f"c{n}@example.com",
            ship_to=replace(ADDRESS, address1=f"{n} Model Street"),
        )
        (number,) = create_orders(self.db, self.actor, [order]).created
        allocate(self.db, self.actor)
        pack_unverified(self.db, self.actor, number)
        ship_order(self.db, self.actor, number)
        for sku, qty in wanted.items():
            self.shipped[number, sku] += qty
        return number

    @rule(target=rmas, order=orders, sku=st.sampled_from(SKUS), qty=st.integers(1, 3))
    def authorise(self, order: str, sku: str, qty: int) -> str:
        room = self.shipped[order, sku] - self.returned[order, sku] - self.outstanding(order, sku)
        if qty > room:
            self.refused(
                lambda: authorise_return(self.db, self.actor, order, {sku: qty}, "damaged")
            )
            return ""
        rma = authorise_return(self.db, self.actor, order, {sku: qty}, "damaged").number
        self.expected[rma] = {sku: qty}
        self.rma_order[rma] = order
        return rma

    @rule(rma=rmas, qty=st.integers(1, 3), unit=UNIT)
    def receive_rma(self, rma: str, qty: int, unit: tuple[Condition, Any]) -> None:
        if not rma:
            return
        order = self.rma_order[rma]
        ((sku, due),) = self.expected.get(rma, {"TEE": 0}).items()
        item = ReceiptItem(sku, qty, unit[0], unit[1])
        if qty > due:
            self.refused(lambda: receive_return(self.db, self.actor, rma, [item]))
            return
        receive_return(self.db, self.actor, rma, [item])
        self.returned[order, sku] += qty
        self.expected[rma][sku] -= qty
        if self.expected[rma][sku] == 0:
            del self.expected[rma]

    @rule(order=orders, sku=st.sampled_from(SKUS), qty=st.integers(1, 3), unit=UNIT)
    def receive_without_rma(
        self, order: str, sku: str, qty: int, unit: tuple[Condition, Any]
    ) -> None:
        if any(self.rma_order[rma] == order for rma in self.expected):
            return  # the parcel would be matched to its open RMA (covered above)
        room = self.shipped[order, sku] - self.returned[order, sku]
        item = ReceiptItem(sku, qty, unit[0], unit[1])
        if qty > room:
            self.refused(lambda: receive_return(self.db, self.actor, order, [item]))
            return
        receive_return(self.db, self.actor, order, [item])
        self.returned[order, sku] += qty

    @invariant()
    def returned_never_exceeds_shipped_and_the_ledger_is_the_stock(self) -> None:
        def totals(s: Session) -> tuple[int, int]:
            return (
                int(s.scalar(select(func.coalesce(func.sum(StockLevel.on_hand), 0))) or 0),
                int(s.scalar(select(func.coalesce(func.sum(StockMove.quantity), 0))) or 0),
            )

        on_hand, ledger = read(self.db, totals)
        assert (
            on_hand == ledger == 2 * 200 - sum(self.shipped.values()) + sum(self.returned.values())
        )
        assert verify(self.db) == []


def test_any_ship_authorise_receive_sequence_keeps_returns_within_shipped(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    class Desk(ReturnsDesk):
        pass

    Desk.template, Desk.tmp_path_factory = sqlite_template, tmp_path_factory
    run_state_machine_as_test(Desk, settings=RUNS)
