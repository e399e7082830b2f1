"""What a channel's new export says about an order that is already here. Pure: no database.

A later export of an order is news, not a duplicate: the shop may have cancelled it,
corrected the street, upgraded the service level, changed a quantity or shipped some
units itself. `compare` names what differs in words a desk user reads;
`decide` says what to do about it given how far the order has got here:

- nothing differs: leave it alone (so importing the same file again changes nothing);
- cancelled at the channel, or every unit handled there, before picking started:
  cancel it here (its stock is released);
- changed before picking started: update it;
- once picking has started: hold it with the reason, for the desk to intercept;
- already shipped or cancelled here: nothing can be done here; say so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, TypeVar

from app.domain.new_order import Address, NewLine, NewOrder
from app.domain.order_workflow import OrderStatus

S = OrderStatus
BEFORE_PICKING = frozenset({S.NEW, S.BACKORDERED, S.ALLOCATED})
FINISHED_HERE = frozenset({S.SHIPPED, S.DELIVERED, S.CANCELLED})
NOTHING_TO_SHIP = "every unit handled at the channel"
# Address fields as a desk user calls them.
ADDRESS_FIELDS = (
    ("name", "name"),
    ("company", "company"),
    ("address1", "street"),
    ("address2", "address line 2"),
    ("city", "city"),
    ("postcode", "postcode"),
    ("region", "region"),
    ("country", "country"),
    ("phone", "phone"),
)


@dataclass(frozen=True)
class ChannelClosure:
    """The channel says an order needs nothing from us: cancelled there, or (`handled`)
    every unit shipped or refunded by the shop itself. `reason` as the channel's state
    reads, e.g. "cancelled in Shopify"; `source` is its file and line."""

    channel: str
    external_ref: str
    reason: str
    source: str
    handled: bool = False


@dataclass(frozen=True)
class LineHere:
    sku: str
    quantity: int
    handled_elsewhere: int


@dataclass(frozen=True)
class OrderHere:
    """What the order here looks like, as far as the channel's export can differ."""

    status: OrderStatus  # while on hold: the status it is held from
    picking_started: bool  # a unit is picked, or it is at a packing station, or later
    ship_to: Address
    service_level: str
    lines: tuple[LineHere, ...]
    # Reasons it was held for by earlier exports: the same news again holds it no more
    # (also once the desk has released it).
    held_for: frozenset[str] = frozenset()


class Verdict(StrEnum):
    UNCHANGED = "unchanged"
    UPDATE = "updated"
    CANCEL = "cancelled"
    HOLD = "held"
    TOO_LATE = "not applied"


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    changes: tuple[str, ...] = ()  # what differs, one phrase each
    reason: str = ""  # for the hold, the cancellation or the report
    lines_changed: bool = False  # the lines differ: reservations must be made anew


def _text(value: str | None) -> str:
    return " ".join((value or "").split()).casefold()


def address_changes(here: Address, incoming: Address) -> list[str]:
    return [
        label
        for key, label in ADDRESS_FIELDS
        if (old := getattr(here, key)) != (new := getattr(incoming, key))
        and _text(old) != _text(new)
    ]


class _HasSku(Protocol):
    @property
    def sku(self) -> str: ...


Here = TypeVar("Here", bound=_HasSku)


def pair_lines(
    here: Sequence[Here], incoming: Sequence[NewLine]
) -> tuple[list[tuple[Here | None, NewLine]], list[Here]]:
    """Lines paired by SKU (case aside) in the order they stand: each incoming line
    with the line here it stands for (None: added), then the lines here left over
    (removed)."""
    waiting: dict[str, list[Here]] = defaultdict(list)
    for line in here:
        waiting[line.sku.casefold()].append(line)
    pairs: list[tuple[Here | None, NewLine]] = []
    for new in incoming:
        pair = waiting[new.sku.casefold()]
        pairs.append((pair.pop(0) if pair else None, new))
    return pairs, [line for rest in waiting.values() for line in rest]


def line_changes(here: tuple[LineHere, ...], incoming: NewOrder) -> list[str]:
    """Lines paired by SKU in the order they stand; what differs in each."""
    pairs, removed = pair_lines(here, incoming.lines)
    changes = []
    for old, new in pairs:
        if old is None:
            changes.append(f"{new.sku} added ({new.quantity})")
            continue
        if old.quantity != new.quantity:
            changes.append(f"{new.sku} {old.quantity} -> {new.quantity}")
        if old.handled_elsewhere != new.handled_elsewhere:
            changes.append(f"{new.sku} {new.handled_elsewhere} handled elsewhere")
    changes += [f"{line.sku} removed" for line in removed]
    return changes


def compare(here: OrderHere, incoming: NewOrder) -> tuple[list[str], list[str]]:
    """What the channel's export changes about the order: (address fields by name and
    the service level, line by line)."""
    changes = address_changes(here.ship_to, incoming.ship_to)
    if here.service_level != incoming.service_level:
        changes.append(f"service level {here.service_level} -> {incoming.service_level}")
    return changes, line_changes(here.lines, incoming)


def nothing_to_ship(order: NewOrder) -> bool:
    """Every unit of the order was handled at the channel."""
    return all(line.handled_elsewhere >= line.quantity for line in order.lines)


def decide(here: OrderHere, incoming: NewOrder | ChannelClosure) -> Decision:
    changes: tuple[str, ...] = ()
    lines_changed, closed, to_check = False, "", ""
    if isinstance(incoming, ChannelClosure):
        closed = incoming.reason
    else:
        order_changes, line_changes_ = compare(here, incoming)
        changes, lines_changed = (*order_changes, *line_changes_), bool(line_changes_)
        if nothing_to_ship(incoming):
            closed = NOTHING_TO_SHIP
        if "; ".join(incoming.hold_reasons) not in here.held_for:
            to_check = "; ".join(incoming.hold_reasons)
        if not changes and not to_check:
            return Decision(Verdict.UNCHANGED)
    if here.status in FINISHED_HERE:
        if (closed and here.status == S.CANCELLED) or not (closed or changes):
            return Decision(Verdict.UNCHANGED)
        what = closed or f"changed at the channel: {', '.join(changes)}"
        return Decision(Verdict.TOO_LATE, changes, f"{what}, but it is {here.status.value} here")
    if to_check:  # what the export leaves open is for a person to look at, first
        return Decision(Verdict.HOLD, changes, to_check)
    if here.picking_started or here.status not in BEFORE_PICKING:
        reason = (
            f"{closed} after picking started"
            if closed
            else f"changed at the channel after picking started: {', '.join(changes)}"
        )
        if reason in here.held_for:
            return Decision(Verdict.UNCHANGED)
        return Decision(Verdict.HOLD, changes, reason)
    if closed:
        return Decision(Verdict.CANCEL, changes, closed, lines_changed)
    reason = f"changed at the channel: {', '.join(changes)}"
    return Decision(Verdict.UPDATE, changes, reason, lines_changed)
