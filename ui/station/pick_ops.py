"""Service calls the pick screen makes as one writer job each, so nothing slips between
their steps. They run on the worker thread: no Qt here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.context import Actor
from app.errors import ConcurrencyConflict, InvalidTransition
from app.services.pick_lists import PickListView, pick_list_by_number, pick_list_view
from app.services.pick_scans import ShortPick, report_short
from app.services.picking import claim_next_pick_list


@dataclass(frozen=True)
class ShortResult:
    short: ShortPick
    view: PickListView  # the list afterwards, with any stop added elsewhere


def short_pick(db: Any, actor: Actor, pick_list_id: int, task_id: int, found: int) -> ShortResult:
    """Report the short, then read the list back (its walk may have grown)."""
    short = report_short(db, actor, task_id, found)
    return ShortResult(short, pick_list_view(db, pick_list_id))


def resume_scanned_list(
    db: Any, actor: Actor, reference: str, *, lease_seconds: int
) -> PickListView | None:
    """The list behind a P: scan, if this station holds it (its lease renewed).

    No service claims a particular open list, so an open list is refused with a
    pointer to N, which takes lists in queue order.
    """
    view = pick_list_by_number(db, reference)
    if view.status == "claimed" and view.station == actor.station:
        return claim_next_pick_list(db, actor, lease_seconds=lease_seconds)
    if view.status == "claimed":
        raise ConcurrencyConflict(f"{view.number} is being picked at station {view.station}")
    if view.status == "open":
        raise InvalidTransition(
            f"{view.number} is not claimed here - press N: lists are handed out in queue order"
        )
    raise InvalidTransition(f"{view.number} is {view.status}")
