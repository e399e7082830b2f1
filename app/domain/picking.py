"""Pick-list rules that need no database: batching orders into lists, walking order,
tote codes, and which task a location or product scan confirms."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.errors import ValidationFailed


@dataclass(frozen=True)
class Stop:
    """One active allocation still to be picked: `units` of a product at a location."""

    allocation_id: int
    line_id: int
    product_id: int
    location_id: int
    location_code: str
    pick_sequence: int
    units: int


@dataclass(frozen=True)
class OrderWork:
    order_id: int
    stops: tuple[Stop, ...]

    @property
    def units(self) -> int:
        return sum(stop.units for stop in self.stops)


@dataclass(frozen=True)
class PlannedTask:
    stop: Stop
    order_id: int
    tote_no: int | None  # 1, 2, ... within a batch list; None on a single-order list


@dataclass(frozen=True)
class PlannedList:
    kind: str  # single | batch
    order_ids: tuple[int, ...]
    tasks: tuple[PlannedTask, ...]  # in walking order


@dataclass(frozen=True)
class PickStop:
    """One task of a pick list as the picker sees it.

    `live` is false once the task no longer counts: its order was cancelled or put
    aside, or its reservation was given back.
    """

    task_id: int
    sequence: int
    location: str
    product_id: int
    order_id: int
    sku: str
    name: str
    gtin: str | None
    quantity: int
    picked: int
    status: str  # open | done | short
    order_number: str
    tote: str | None
    live: bool

    @property
    def remaining(self) -> int:
        return self.quantity - self.picked if self.live and self.status == "open" else 0


def tote_code(list_value: int, tote_no: int) -> str:
    """The tote of the `tote_no`-th order on list number `list_value`; scanned as T:<code>."""
    return f"T-{list_value}-{tote_no}"


def plan_pick_lists(
    orders: Sequence[OrderWork], *, batch_size: int, small_order_units: int | None
) -> list[PlannedList]:
    """Lists for `orders` (given most urgent first), in the order they should be picked.

    An order of more than `small_order_units` units gets a list of its own; smaller
    ones share a batch list of up to `batch_size` orders, one tote each. With
    `small_order_units` None every order goes into a batch.
    """
    if batch_size < 1:
        raise ValidationFailed(f"batch size must be at least 1 (got {batch_size})")
    if small_order_units is not None and small_order_units < 0:
        raise ValidationFailed(f"small order units must not be negative ({small_order_units})")
    groups: list[tuple[str, list[OrderWork]]] = []
    batch: list[OrderWork] | None = None
    for work in orders:
        if not work.stops:
            continue
        if small_order_units is not None and work.units > small_order_units:
            groups.append(("single", [work]))
            continue
        if batch is None or len(batch) >= batch_size:
            batch = []
            groups.append(("batch", batch))
        batch.append(work)
    return [_plan(kind, members) for kind, members in groups]


def _plan(kind: str, members: list[OrderWork]) -> PlannedList:
    tasks = [
        PlannedTask(stop, work.order_id, tote_no if kind == "batch" else None)
        for tote_no, work in enumerate(members, 1)
        for stop in work.stops
    ]
    # Walking order: the location's pick sequence, then its code; then tote by tote.
    tasks.sort(
        key=lambda t: (
            t.stop.pick_sequence,
            t.stop.location_code,
            t.tote_no or 0,
            t.stop.allocation_id,
        )
    )
    return PlannedList(kind, tuple(work.order_id for work in members), tuple(tasks))


def next_stop(stops: Sequence[PickStop]) -> PickStop | None:
    """The first stop in walking order with units left to pick."""
    return next((s for s in sorted(stops, key=lambda s: s.sequence) if s.remaining), None)


def where_next(stops: Sequence[PickStop], at: str | None = None) -> str:
    """Where the picker goes next; a stop still open at `at`, where they stand, comes first."""
    if at is not None and (here := next_stop([s for s in stops if s.location == at])):
        return f"next: {here.sku} here at {at}"
    stop = next_stop(stops)
    return f"next: {stop.location}" if stop else "every item is picked"


def judge_location(stops: Sequence[PickStop], code: str, list_number: str) -> PickStop | str:
    """The first stop left at location `code`, or why the picker is in the wrong place."""
    if not any(s.location == code for s in stops):
        return f"Wrong location: {list_number} has nothing at {code} - {where_next(stops)}"
    target = next_stop([s for s in stops if s.location == code])
    if target is None:
        return f"{code} is already picked - {where_next(stops)}"
    return target


def judge_product(
    stops: Sequence[PickStop],
    product_ids: Sequence[int],
    units: int,
    *,
    sku: str,
    location: str | None,
    list_number: str,
) -> PickStop | str:
    """The stop a product scan of `units` units picks into, or why it cannot.

    With `location` (the location confirmed by scan) only stops there count; the
    first one with units left takes the scan, and all `units` must fit in it.
    """
    wanted = [s for s in sorted(stops, key=lambda s: s.sequence) if s.product_id in product_ids]
    if not wanted:
        return f"Wrong product: {sku} is not on {list_number} - put it back"
    here = [s for s in wanted if location is None or s.location == location]
    if not here:
        elsewhere = next_stop(wanted) or wanted[0]
        return (
            f"Wrong product: {sku} is picked at {elsewhere.location}, not {location} - put it back"
        )
    target = next_stop(here)
    needed = sum(s.quantity for s in here if s.live)
    if target is None:
        return f"Over-pick: {needed} × {sku} needed here, all picked - put it back"
    if units > target.remaining:
        into = f"tote {target.tote}" if target.tote else target.order_number
        return (
            f"Over-pick: {into} needs {target.remaining} more × {sku}, "
            f"{units} scanned - put them back"
        )
    return target
