"""The order lifecycle table: every allowed move accepted, every other one refused."""

from __future__ import annotations

from itertools import product

import pytest

import db.models
from app.domain.order_workflow import (
    CANCELLABLE,
    HOLDABLE,
    TRANSITIONS,
    OrderStatus,
    can_transition,
    require_transition,
)
from app.errors import InvalidTransition, OmsError

ALLOWED = sorted(TRANSITIONS)
REFUSED = sorted(
    (current, target)
    for current, target in product(OrderStatus, OrderStatus)
    if (current, target) not in TRANSITIONS
)


def _id(pair: tuple[OrderStatus, OrderStatus]) -> str:
    return f"{pair[0].value}->{pair[1].value}"


@pytest.mark.parametrize("pair", ALLOWED, ids=[_id(p) for p in ALLOWED])
def test_every_transition_in_the_table_is_accepted(pair: tuple[OrderStatus, OrderStatus]) -> None:
    current, target = pair
    require_transition(current, target, order_number="SO-100001")
    assert can_transition(current, target)


@pytest.mark.parametrize("pair", REFUSED, ids=[_id(p) for p in REFUSED])
def test_every_transition_not_in_the_table_is_refused_with_a_readable_message(
    pair: tuple[OrderStatus, OrderStatus],
) -> None:
    current, target = pair
    with pytest.raises(InvalidTransition) as refused:
        require_transition(current, target, order_number="SO-100001")

    message = str(refused.value)
    assert message == (
        f"order SO-100001 is {current.value.replace('_', ' ')}; "
        f"it cannot become {target.value.replace('_', ' ')}"
    )
    assert "_" not in message.replace("SO-100001", "")
    assert not can_transition(current, target)


def test_a_refused_transition_is_an_oms_error_so_the_cli_prints_one_line() -> None:
    with pytest.raises(OmsError, match=r"^the order is shipped; it cannot become new$"):
        require_transition("shipped", "new")


@pytest.mark.parametrize("status", ["", "lost", "SHIPPED", "on hold"])
def test_a_status_the_lifecycle_does_not_know_is_refused_not_crashed_on(status: str) -> None:
    assert not can_transition(status, "new")
    assert not can_transition("new", status)
    with pytest.raises(InvalidTransition):
        require_transition(status, OrderStatus.CANCELLED)


def test_no_state_transitions_to_itself() -> None:
    assert [s for s in OrderStatus if (s, s) in TRANSITIONS] == []


def test_shipped_delivered_and_cancelled_orders_can_never_be_cancelled() -> None:
    for status in (OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.CANCELLED):
        assert not can_transition(status, OrderStatus.CANCELLED)


def test_cancelled_and_delivered_are_final() -> None:
    assert [pair for pair in TRANSITIONS if pair[0] is OrderStatus.CANCELLED] == []
    assert [pair for pair in TRANSITIONS if pair[0] is OrderStatus.DELIVERED] == []


def test_a_hold_can_be_released_to_every_state_it_can_be_taken_from() -> None:
    held_from = {src for src, dst in TRANSITIONS if dst is OrderStatus.ON_HOLD}
    released_to = {dst for src, dst in TRANSITIONS if src is OrderStatus.ON_HOLD}
    assert held_from == set(HOLDABLE)
    assert released_to - {OrderStatus.CANCELLED} == set(HOLDABLE)


def test_every_state_is_reachable_from_new() -> None:
    reached, frontier = {OrderStatus.NEW}, [OrderStatus.NEW]
    while frontier:
        state = frontier.pop()
        for src, dst in TRANSITIONS:
            if src is state and dst not in reached:
                reached.add(dst)
                frontier.append(dst)
    assert reached == set(OrderStatus)


def test_cancellable_is_exactly_the_states_with_a_move_to_cancelled() -> None:
    assert {src for src, dst in TRANSITIONS if dst is OrderStatus.CANCELLED} == set(CANCELLABLE)


def test_the_database_knows_exactly_the_lifecycle_states() -> None:
    """db/ cannot import app/, so it keeps its own copy of the statuses as strings."""
    assert set(OrderStatus) == set(db.models.ORDER_STATUSES)
    assert len(db.models.ORDER_STATUSES) == len(set(db.models.ORDER_STATUSES))
