"""Planning pick lists from orders: no database, no Qt."""

from __future__ import annotations

from app.domain.picking import OrderWork, Stop, plan_pick_lists


def _order(order_id: int, units: int, location: str = "A-01-01-A") -> OrderWork:
    return OrderWork(order_id, (Stop(order_id, order_id, 1, 1, location, 0, units),))


def test_without_a_small_order_limit_every_order_takes_a_tote_in_a_batch() -> None:
    orders = [_order(1, 9), _order(2, 1), _order(3, 40)]

    plans = plan_pick_lists(orders, batch_size=2, small_order_units=None)

    assert [(p.kind, p.order_ids) for p in plans] == [("batch", (1, 2)), ("batch", (3,))]
    assert [t.tote_no for t in plans[0].tasks] == [1, 2]


def test_a_small_order_limit_of_zero_gives_every_order_its_own_list() -> None:
    plans = plan_pick_lists([_order(1, 1), _order(2, 2)], batch_size=8, small_order_units=0)

    assert [(p.kind, p.order_ids) for p in plans] == [("single", (1,)), ("single", (2,))]
    assert all(t.tote_no is None for p in plans for t in p.tasks)
