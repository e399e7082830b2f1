"""Allocation decisions, no database: which stock goes to which line."""

from __future__ import annotations

from app.domain.allocation import Need, Reservation, Slot, plan_allocation


def _slots(*slots: Slot) -> dict[int, list[Slot]]:
    found: dict[int, list[Slot]] = {}
    for slot in slots:
        found.setdefault(slot.product_id, []).append(slot)
    return found


def test_two_lines_of_one_product_never_take_the_same_unit_twice() -> None:
    slots = _slots(Slot(1, product_id=7, warehouse_id=1, pick_sequence=1, available=3))

    plan = plan_allocation([Need(10, 7, 2), Need(11, 7, 2)], slots, allow_partial=True)

    assert plan.reservations == [Reservation(10, 1, 2), Reservation(11, 1, 1)]
    assert not plan.complete
    assert slots[7][0].available == 0


def test_a_ship_complete_order_that_cannot_be_filled_takes_nothing() -> None:
    slots = _slots(Slot(1, 7, 1, 1, 1))

    plan = plan_allocation([Need(10, 7, 2)], slots, allow_partial=False)

    assert plan.reservations == [] and not plan.complete
    assert slots[7][0].available == 1


def test_one_warehouse_that_can_ship_everything_is_preferred_over_a_split() -> None:
    slots = _slots(
        Slot(1, 7, warehouse_id=1, pick_sequence=1, available=5),
        Slot(2, 8, warehouse_id=1, pick_sequence=2, available=0),
        Slot(3, 7, warehouse_id=2, pick_sequence=1, available=5),
        Slot(4, 8, warehouse_id=2, pick_sequence=2, available=5),
    )

    plan = plan_allocation([Need(10, 7, 1), Need(11, 8, 1)], slots, allow_partial=False)

    assert plan.reservations == [Reservation(10, 3, 1), Reservation(11, 4, 1)]


def test_within_a_warehouse_a_bin_that_fills_the_line_alone_beats_walking_order() -> None:
    slots = _slots(
        Slot(1, 7, warehouse_id=1, pick_sequence=1, available=1),
        Slot(2, 7, warehouse_id=1, pick_sequence=9, available=4),
    )

    plan = plan_allocation([Need(10, 7, 3)], slots, allow_partial=False)

    assert plan.reservations == [Reservation(10, 2, 3)]


def test_a_line_for_a_product_with_no_stock_anywhere_leaves_the_order_incomplete() -> None:
    plan = plan_allocation([Need(10, -1, 1)], {}, allow_partial=True)

    assert plan.reservations == [] and not plan.complete
