"""Allocation decisions: which stock, where, for which order line. Pure: no database.

Rules, in order: an order is reserved whole (ship-complete) unless partial shipment
is allowed; one warehouse that can ship the whole order is preferred, then the
fewest warehouses; within a warehouse, a location that can fill the line alone,
then walking order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

RESERVABLE_KINDS = ("pick", "bulk")  # the kinds of location whose stock orders may reserve


@dataclass
class Slot:
    """Stock of one product at one location; `available` is on hand minus reserved."""

    stock_level_id: int
    product_id: int
    warehouse_id: int
    pick_sequence: int
    available: int


@dataclass(frozen=True)
class Need:
    line_id: int
    product_id: int
    quantity: int


@dataclass(frozen=True)
class Reservation:
    line_id: int
    stock_level_id: int
    quantity: int


@dataclass(frozen=True)
class Plan:
    reservations: list[Reservation] = field(default_factory=list)
    complete: bool = False

    @cached_property
    def units(self) -> int:  # asked several times per order by the allocation's writer
        return sum(r.quantity for r in self.reservations)


def _warehouse_cover(needs: Sequence[Need], slots: Mapping[int, list[Slot]]) -> dict[int, int]:
    """Units of the order each warehouse could supply on its own."""
    cover: dict[int, int] = defaultdict(int)
    if all(len(slots.get(n.product_id, ())) <= 1 for n in needs):  # the common, fast case
        for need in needs:
            for slot in slots.get(need.product_id, ()):
                cover[slot.warehouse_id] += min(slot.available, need.quantity)
        return cover
    for need in needs:
        per_wh: dict[int, int] = defaultdict(int)
        for slot in slots.get(need.product_id, ()):
            per_wh[slot.warehouse_id] += slot.available
        for wh, units in per_wh.items():
            cover[wh] += min(units, need.quantity)
    return cover


def _plan_single_slots(
    needs: Sequence[Need], slots: Mapping[int, list[Slot]], *, allow_partial: bool
) -> Plan:
    """The common case, every product in at most one place: nothing to choose between."""
    reservations = []
    complete = True
    taken: dict[int, int] = defaultdict(int)  # product id -> units in this plan
    for need in needs:
        found = slots.get(need.product_id)
        free = found[0].available - taken[need.product_id] if found else 0
        qty = min(free, need.quantity)
        if qty < need.quantity:
            complete = False
        if qty > 0 and found:
            taken[need.product_id] += qty
            reservations.append(Reservation(need.line_id, found[0].stock_level_id, qty))
    if not complete and not allow_partial:
        return Plan(complete=False)
    for product_id, qty in taken.items():
        slots[product_id][0].available -= qty
    return Plan(reservations, complete)


def plan_allocation(
    needs: Sequence[Need], slots: Mapping[int, list[Slot]], *, allow_partial: bool
) -> Plan:
    """Decide reservations for one order and take them from `slots` if accepted.

    `slots` maps product id to its stock; on an accepted plan their `available`
    is reduced, so successive calls in priority order never promise a unit twice.
    """
    if all(len(slots.get(n.product_id, ())) <= 1 for n in needs):
        return _plan_single_slots(needs, slots, allow_partial=allow_partial)
    total = sum(n.quantity for n in needs)
    cover = _warehouse_cover(needs, slots)
    warehouses = sorted(cover, key=lambda wh: (-cover[wh], wh))
    taken: dict[int, int] = defaultdict(int)  # stock_level_id -> units in this plan
    reservations = []
    for need in needs:
        remaining = need.quantity
        for wh in warehouses:
            candidates = [s for s in slots.get(need.product_id, ()) if s.warehouse_id == wh]
            if len(candidates) > 1:
                candidates.sort(key=lambda s: (
                    s.available - taken[s.stock_level_id] < remaining, s.pick_sequence
                ))  # fmt: skip
            for slot in candidates:
                free = slot.available - taken[slot.stock_level_id]
                if free <= 0 or remaining == 0:
                    continue
                qty = min(free, remaining)
                taken[slot.stock_level_id] += qty
                reservations.append(Reservation(need.line_id, slot.stock_level_id, qty))
                remaining -= qty
            if remaining == 0:
                break
    plan = Plan(reservations, complete=sum(r.quantity for r in reservations) == total)
    if not plan.complete and not allow_partial:
        return Plan(complete=False)
    for need in needs:
        for slot in slots.get(need.product_id, ()):
            slot.available -= taken.pop(slot.stock_level_id, 0)
    return plan
