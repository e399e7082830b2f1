"""The steps of picking one list, which stop the picker is at, and what the screen asks."""

from __future__ import annotations

from enum import Enum

from app.domain.picking import PickStop, next_stop
from app.services.pick_lists import PickListView

IDLE_PROMPT = "Press N or scan P:<list> to start"
IDLE_HINT = "N takes the next list in the queue  ·  a P: scan resumes this station's list"
QUEUE_EMPTY = "Queue empty - no pick list is waiting"


class PickStep(Enum):
    IDLE = "idle"
    CLAIMING = "claiming"
    WALKING = "walking"
    SHORT_COUNT = "short_count"  # typing how many units were found
    SHORTING = "shorting"
    COMPLETING = "completing"
    CONFIRM_RELEASE = "confirm_release"
    RELEASING = "releasing"


WAITING_STEPS = frozenset(
    {PickStep.CLAIMING, PickStep.SHORTING, PickStep.COMPLETING, PickStep.RELEASING}
)
PROMPTS = {
    PickStep.CLAIMING: "Taking the list…",
    PickStep.SHORTING: "Recording the short pick…",
    PickStep.COMPLETING: "Closing the list…",
    PickStep.CONFIRM_RELEASE: "Release this list?   Enter = release   ·   Esc = keep picking",
    PickStep.RELEASING: "Releasing the list…",
}


def counted_stops(view: PickListView) -> list[PickStop]:
    """The stops that still mean a walk: live ones with units to pick, in walking order."""
    return sorted((t for t in view.tasks if t.live and t.quantity), key=lambda t: t.sequence)


def current_stop(view: PickListView | None, location: str | None) -> PickStop | None:
    """Where the picker is: the first stop left at the confirmed location, else the next
    stop in walking order; None when everything is picked."""
    if view is None:
        return None
    if location is not None:
        here = next_stop([t for t in view.tasks if t.location == location])
        if here is not None:
            return here
    return next_stop(view.tasks)


def progress_text(view: PickListView, stop: PickStop | None) -> str:
    """The progress line, e.g. "stop 3 of 12 · 7 of 20 units"."""
    stops = counted_stops(view)
    ids = [t.task_id for t in stops]
    position = ids.index(stop.task_id) + 1 if stop is not None and stop.task_id in ids else len(ids)
    return f"stop {position} of {len(stops)} · {view.picked} of {view.units} units"


def walking_prompt(stop: PickStop | None, location: str | None) -> str:
    """Scan the location first; once it is confirmed, the product."""
    if stop is None:
        return "Every item is picked"
    if stop.location != location:
        return f"Scan the location label  L:{stop.location}"
    into = f" into tote {stop.tote}" if stop.tote else ""
    return f"Scan each {stop.sku}{into}  ·  {stop.remaining} to go  ·  S = short"


def short_question(stop: PickStop) -> str:
    counting = f", counting the {stop.picked} picked" if stop.picked else ""
    return f"Short pick at {stop.location}: how many {stop.sku} did you find{counting}?"


def short_prompt(stop: PickStop, typed: str) -> str:
    """The count being typed, on one line under the stop."""
    found = typed or "_"
    return f"{stop.sku} found:  {found}  ({found_range(stop)})   Enter = report  ·  Esc = cancel"


def found_range(stop: PickStop) -> str:
    """The counts report_short accepts: already picked up to one less than asked."""
    low, high = stop.picked, stop.quantity - 1
    return str(low) if low == high else f"{low}-{high}"


def parse_found(stop: PickStop, typed: str) -> int | None:
    """The count typed for a short pick, if it is one report_short accepts."""
    if not (typed.isascii() and typed.isdigit()):
        return None
    found = int(typed)
    return found if stop.picked <= found < stop.quantity else None
