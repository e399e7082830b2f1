"""Service calls the pick screen makes as one writer job each, so nothing slips between
their steps. They run on the worker thread: no Qt here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.context import Actor
from app.services.pick_lists import PickListView, pick_list_view
from app.services.picking import claim_pick_list
from app.services.short_picks import ShortPick, report_short


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
    """The list behind a P: scan, claimed for this station (or resumed, lease renewed)."""
    return claim_pick_list(db, actor, reference, lease_seconds=lease_seconds)
