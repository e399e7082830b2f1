"""PickController: what each scan and key means while a picker walks one pick list.

Steps: IDLE (N or a P: scan) -> WALKING (location label, then each unit) -> the list
done, back to IDLE. S asks how many units of the current stop were found (a short
pick); Esc asks to release the list. The lease on the list is renewed meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QObject, Signal

from app.domain.picking import PickStop
from app.domain.scan_reading import DocType, ScanKind, describe, read_scan
from app.errors import ConcurrencyConflict
from app.services.pick_lists import PickListView
from app.services.pick_scans import PickScanOutcome, record_pick_scan
from app.services.picking import (
    DEFAULT_LEASE_SECONDS,
    claim_next_pick_list,
    complete_pick_list,
    release_pick_list,
)
from ui.context import UiContext
from ui.station.feedback import Tone, failure_message
from ui.station.pick_lease import LeaseKeeper
from ui.station.pick_ops import ShortResult, resume_scanned_list, short_pick
from ui.station.pick_steps import (
    QUEUE_EMPTY,
    WAITING_STEPS,
    PickStep,
    current_stop,
    found_range,
    parse_found,
    short_question,
)
from ui.station.step_machine import StepController

NEXT_KEYS = ("n", "N")
SHORT_KEYS = ("s", "S")
START_HINT = "press N or scan a pick list (P:)"


class PickController(StepController):
    """Routes scans, keys and service answers; the window shows what it announces."""

    list_changed = Signal(object)  # PickListView, or None when no list is open
    list_done = Signal(object)  # PickListView, completed

    def __init__(
        self,
        ctx: UiContext,
        *,
        lease_seconds: int = DEFAULT_LEASE_SECONDS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(ctx, PickStep.IDLE, WAITING_STEPS, parent)
        self.view: PickListView | None = None
        self.location: str | None = None  # the location confirmed by its label
        self.short_stop: PickStop | None = None
        self.lease = LeaseKeeper(ctx, lease_seconds, self)
        self.lease.lost.connect(self._on_lease_lost)
        self.lease.failed.connect(self._on_lease_failed)

    @property
    def stop(self) -> PickStop | None:
        return current_stop(self.view, self.location)

    def _act(self, code: str, manual: bool) -> None:
        if self.step is PickStep.CONFIRM_RELEASE:
            if not code.strip():
                self._release()
                return
            self._set_step(PickStep.WALKING)
        if self.step is PickStep.SHORT_COUNT:
            if manual:
                self._short(code.strip())
                return
            self.short_stop = None  # a scanned barcode: the unit was found after all
            self._set_step(PickStep.WALKING)
        if self.step is PickStep.IDLE:
            self._start(code, manual)
        elif self.step is PickStep.WALKING:
            self._record(code, manual)

    def command(self, name: str) -> None:
        if self.step is PickStep.IDLE and name in NEXT_KEYS:
            self._claim_next()
        elif self.step is PickStep.WALKING and name in SHORT_KEYS:
            self._ask_short()
        elif name == "Esc" and self.step is PickStep.WALKING and self.view is not None:
            self._set_step(PickStep.CONFIRM_RELEASE)
            self._tell(f"Release {self.view.number}? Picked units stay recorded", Tone.QUESTION)
        elif name == "Esc" and self.step is PickStep.SHORT_COUNT:
            self._set_step(PickStep.WALKING)
            self._tell("Short pick cancelled", Tone.NOTICE)
        elif name == "Esc" and self.step is PickStep.CONFIRM_RELEASE and self.view is not None:
            self._set_step(PickStep.WALKING)
            self._tell(f"Still picking {self.view.number}", Tone.NOTICE)

    # --- starting a list ----------------------------------------------------------------

    def _start(self, code: str, manual: bool) -> None:
        if manual and code.strip() in NEXT_KEYS:
            self._claim_next()
            return
        reading = read_scan(code)
        if not code.strip():
            self._tell(f"Nothing scanned - {START_HINT}", Tone.BAD, "error")
        elif reading.kind is ScanKind.DOCUMENT and reading.doc_type is DocType.PICK_LIST:
            self._claim(resume_scanned_list, reading.doc_value or code)
        else:
            problem = reading.error or f"{describe(reading)} is not a pick list"
            self._tell(f"{problem} - {START_HINT}", Tone.BAD, "error")

    def _claim_next(self) -> None:
        self._claim(claim_next_pick_list)

    def _claim(self, service: Callable[..., PickListView | None], *args: str) -> None:
        self._set_step(PickStep.CLAIMING)
        lease = self.lease.lease_seconds
        self._write(self._on_claimed, self._on_claim_failed, service, *args, lease_seconds=lease)

    def _on_claimed(self, view: PickListView | None) -> None:
        if view is None:
            self._set_step(PickStep.IDLE)
            self._tell(QUEUE_EMPTY, Tone.NOTICE)
            return
        self.view, self.location, self.short_stop = view, None, None
        self.lease.hold(view.id)
        self.list_changed.emit(view)
        if view.complete:
            self._complete()
            return
        self._set_step(PickStep.WALKING)
        resumed = f" - resumed, {view.picked} of {view.units} picked" if view.picked else ""
        where = self.stop.location if self.stop else ""
        self._tell(f"{view.number}: go to {where}{resumed}", Tone.GOOD, "ok")

    def _on_claim_failed(self, exc: Exception) -> None:
        self._set_step(PickStep.IDLE)
        self._tell(failure_message(exc), Tone.BAD, "error")

    # --- walking ------------------------------------------------------------------------

    def _record(self, code: str, manual: bool) -> None:
        if manual and code.strip() in SHORT_KEYS:
            self._ask_short()
            return
        if not code.strip():
            self._tell("Nothing scanned - scan the location label or the item", Tone.BAD, "error")
            return
        assert self.view is not None
        is_location = read_scan(code).doc_type is DocType.LOCATION
        self._write(
            lambda outcome: self._on_recorded(outcome, is_location),
            self._on_walk_failed,
            record_pick_scan,
            self.view.id,
            code,
            manual=manual,
        )

    def _on_recorded(self, outcome: PickScanOutcome, is_location: bool) -> None:
        if not outcome.accepted:
            self._tell(outcome.message, Tone.BAD, "error")
            return
        if outcome.task is not None and self.view is not None:
            self._update(outcome.task)
            if is_location:
                self.location = outcome.task.location
            self.list_changed.emit(self.view)
        if outcome.sound == "complete":
            self._complete()
        else:
            self._tell(outcome.message, Tone.GOOD, outcome.sound)

    def _update(self, task: PickStop) -> None:
        assert self.view is not None
        tasks = tuple(task if t.task_id == task.task_id else t for t in self.view.tasks)
        self.view = replace(self.view, tasks=tasks)

    def _on_walk_failed(self, exc: Exception) -> None:
        if self.step in (PickStep.SHORTING, PickStep.COMPLETING):
            self._set_step(PickStep.WALKING)
        self._tell(failure_message(exc), Tone.BAD, "error")

    # --- short pick ---------------------------------------------------------------------

    def _ask_short(self) -> None:
        stop = self.stop
        if stop is None:
            self._tell("Nothing left to pick on this list", Tone.NOTICE)
            return
        self.short_stop = stop
        self._set_step(PickStep.SHORT_COUNT)
        self._tell(short_question(stop), Tone.QUESTION)

    def _short(self, typed: str) -> None:
        stop, view = self.short_stop, self.view
        assert stop is not None and view is not None
        found = parse_found(stop, typed)
        if found is None:
            message = f"Type how many you found ({found_range(stop)}), then Enter"
            self._tell(message, Tone.BAD, "error")
            return
        self._set_step(PickStep.SHORTING)
        self._write(
            self._on_shorted, self._on_walk_failed, short_pick, view.id, stop.task_id, found
        )

    def _on_shorted(self, result: ShortResult) -> None:
        self.view, self.short_stop = result.view, None
        self.list_changed.emit(result.view)
        if result.view.complete:
            self._complete()
            return
        self._set_step(PickStep.WALKING)
        self._tell(result.short.message, Tone.NOTICE, "ok")

    # --- done, released, lost -----------------------------------------------------------

    def _complete(self) -> None:
        assert self.view is not None
        self._set_step(PickStep.COMPLETING)
        self._write(self._on_completed, self._on_walk_failed, complete_pick_list, self.view.id)

    def _on_completed(self, view: PickListView) -> None:
        self._close_list()
        self.list_done.emit(view)
        self._tell(f"List {view.number} done - take the totes to packing", Tone.GOOD, "complete")

    def _release(self) -> None:
        assert self.view is not None
        self._set_step(PickStep.RELEASING)
        self._write(self._on_released, self._on_release_failed, release_pick_list, self.view.id)

    def _on_released(self, view: PickListView) -> None:
        self._close_list()
        message = f"Released {view.number} - back in the queue, picked units kept"
        self._tell(message, Tone.GOOD, "ok")

    def _on_release_failed(self, exc: Exception) -> None:
        if isinstance(exc, ConcurrencyConflict):  # another station holds it: not ours to keep
            self._close_list()
        else:
            self._set_step(PickStep.WALKING)
        self._tell(failure_message(exc), Tone.BAD, "error")

    def _on_lease_failed(self, message: str) -> None:
        self._tell(f"Claim not renewed: {message}", Tone.NOTICE)

    def _on_lease_lost(self, message: str) -> None:
        self._close_list()
        self._tell(f"{message} - this station no longer holds it", Tone.BAD, "error")

    def _close_list(self) -> None:
        self.lease.drop()
        self.view, self.location, self.short_stop = None, None, None
        self.list_changed.emit(None)
        self._set_step(PickStep.IDLE)
