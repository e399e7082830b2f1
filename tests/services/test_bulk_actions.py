"""Bulk actions say exactly what will happen, then do it order by order and say what was done."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.credentials import hash_secret
from app.errors import PermissionDenied, ValidationFailed
from app.services.allocation import allocate
from app.services.bulk_actions import BulkAction, plan, run
from app.services.intake import create_orders
from app.services.orders import order_detail
from app.services.pack_completion import pack_unverified
from app.services.shipping import ship_order
from db.engine import Database
from db.models import User
from db.uow import run_in_transaction
from tests.factories import ADDRESS, channel, new_order, stock

HASH = hash_secret("bulk-actions")


@pytest.fixture
def orders(db: Database, actor: Actor) -> dict[str, int]:
    """number -> id: three allocated orders and one shipped."""
    stock(db, actor, {"MUG": 20})
    channel(db)
    customers = [
        replace(
            new_order({"MUG": 1}),
            email=f"c{i}@example.com",
            ship_to=replace(ADDRESS, address1=f"{i} Torstraße"),
        )
        for i in range(4)
    ]
    numbers = create_orders(db, actor, customers).created
    allocate(db, actor)
    pack_unverified(db, actor, numbers[3])
    ship_order(db, actor, numbers[3])
    return {n: order_detail(db, n).id for n in numbers}


def test_the_confirmation_counts_what_will_be_held_and_why_not_the_rest(
    db: Database, actor: Actor, orders: dict[str, int]
) -> None:
    numbers = list(orders)
    proposal = plan(db, actor, BulkAction.HOLD, orders.values())

    assert proposal.will == tuple(numbers[:3])
    assert proposal.sentence() == "3 of 4 orders will be held; 1 has shipped."

    result = run(db, actor, BulkAction.HOLD, orders.values(), "stock count")

    assert result.done == tuple(numbers[:3])
    assert result.sentence() == "3 orders held."
    assert {order_detail(db, n).status for n in numbers[:3]} == {"on_hold"}
    assert result.changes.orders and result.changes.order_ids == frozenset(orders.values())
    again = plan(db, actor, BulkAction.HOLD, orders.values())
    assert (
        again.sentence()
        == "None of the 4 orders can be held; 3 are already on hold; 1 has shipped."
    )


def test_release_and_cancel_apply_only_where_they_can_and_need_a_reason(
    db: Database, actor: Actor, orders: dict[str, int]
) -> None:
    numbers = list(orders)
    run(db, actor, BulkAction.HOLD, [orders[numbers[0]]], "address check")
    with pytest.raises(ValidationFailed, match="a reason is needed"):
        run(db, actor, BulkAction.RELEASE, orders.values(), " ")

    released = run(db, actor, BulkAction.RELEASE, orders.values(), "address confirmed")
    assert released.done == (numbers[0],)

    cancelled = run(db, actor, BulkAction.CANCEL, orders.values(), "customer asked")
    assert cancelled.done == tuple(numbers[:3])
    assert order_detail(db, numbers[3]).status == "shipped"


def test_a_pick_list_takes_exactly_the_selected_allocated_orders(
    db: Database, actor: Actor, orders: dict[str, int]
) -> None:
    numbers = list(orders)
    chosen = [orders[numbers[0]], orders[numbers[2]], orders[numbers[3]]]

    assert plan(db, actor, BulkAction.PICK_LIST, chosen).sentence() == (
        "2 of 3 orders will go on pick lists; 1 has shipped."
    )
    result = run(db, actor, BulkAction.PICK_LIST, chosen)

    assert sorted(result.done) == [numbers[0], numbers[2]]
    assert order_detail(db, numbers[1]).status == "allocated"  # not selected: not listed


def test_a_picker_is_refused_before_anything_is_planned_or_changed(
    db: Database, actor: Actor, orders: dict[str, int]
) -> None:
    def work(session: Session) -> Actor:
        user = User(username="pia", display_name="Pia", role="picker", password_hash=HASH)
        session.add(user)
        session.flush()
        return Actor("pia", "test-station", user.id, "picker")

    picker = run_in_transaction(db, work)

    with pytest.raises(PermissionDenied, match="may not put orders on hold"):
        plan(db, picker, BulkAction.HOLD, orders.values())
    with pytest.raises(PermissionDenied):
        run(db, picker, BulkAction.CANCEL, orders.values(), "no")
    assert {order_detail(db, n).status for n in list(orders)[:3]} == {"allocated"}
