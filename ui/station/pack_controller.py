"""PackController: what each scan means at each step of packing one order.

Steps: IDLE (scan an order, or N for the most urgent one waiting) -> SCANNING (verify
every unit) -> BOX -> WEIGHT -> packed, back to IDLE. Esc asks to release the order.
Every service call runs on the one writer thread (scans apply in order); input arriving
while the screen waits for an order to open, close or be released is held and replayed
afterwards.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from app.domain.scan_reading import NOTHING_SCANNED, DocType, ScanKind, describe, read_scan
from app.dto import PackResult, PackState, ScanOutcome
from app.errors import ConcurrencyConflict
from app.services.pack_claims import claim_next_order, release_packing
from app.services.pack_completion import PackageSpec, complete_packing
from app.services.packing import open_for_packing, record_pack_scan
from app.services.scan_log import record_scan
from ui.context import UiContext
from ui.operations import DbOp
from ui.station.box_types import STANDARD_BOXES, BoxCatalogue, BoxChoice
from ui.station.pack_steps import WAITING_STEPS, Feedback, Step, Tone, failure_message
from ui.widgets.scan_input import DUPLICATE_SCAN_IGNORED

MAX_WEIGHT_DIGITS = 6
MAX_UNITS_PER_SCAN = 999
QUANTITY_KEYS = ("*",)
NEXT_ORDER_KEYS = ("n", "N")
QUEUE_EMPTY = "Queue empty - no order is waiting to be packed"

log = logging.getLogger(__name__)


class PackController(QObject):
    """Routes scans, keys and service answers; the window shows what it announces."""

    step_changed = Signal(object)  # Step
    state_loaded = Signal(object)  # PackState, or None when no order is open
    line_updated = Signal(object)  # PackLine
    packed = Signal(object)  # PackResult
    feedback_given = Signal(object)  # Feedback

    def __init__(
        self,
        ctx: UiContext,
        parent: QObject | None = None,
        *,
        boxes: BoxCatalogue = STANDARD_BOXES,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.boxes = boxes
        self.step = Step.IDLE
        self.state: PackState | None = None
        self.box: BoxChoice | None = None
        self._step_before_question = Step.SCANNING
        self._held: list[tuple[str, bool]] = []
        self.units = 1  # the quantity key's count for the next product scan

    def scan(self, code: str, manual: bool) -> None:
        if self.step in WAITING_STEPS:
            self._held.append((code, manual))
            return
        if self.step is Step.CONFIRM_RELEASE:
            if not code.strip():
                self._release()
                return
            self._set_step(self._step_before_question)
        if self.step is Step.IDLE:
            self._open(code)
        elif self.step is Step.SCANNING:
            self._record(code, manual)
        elif self.step is Step.BOX:
            self._scan_at_box(code, manual)
        elif self.step is Step.WEIGHT:
            self._scan_at_weight(code, manual)
        elif self.step is Step.QUANTITY:
            self._scan_at_quantity(code, manual)

    def refuse(self, message: str) -> None:
        """The scan input threw the input away; say why (and log it: every scan counts)."""
        self._log_refusal("", message)
        if message == DUPLICATE_SCAN_IGNORED:
            self._tell(message, Tone.NOTICE, "duplicate")
        else:
            self._tell(message, Tone.BAD, "error")

    def command(self, name: str) -> None:
        if self.step is Step.IDLE and name in NEXT_ORDER_KEYS:
            self._claim_next()
        elif self.step is Step.SCANNING and name in QUANTITY_KEYS:
            self._set_step(Step.QUANTITY)
            self._tell("How many of the next item? Type the number, then Enter", Tone.QUESTION)
        elif self.step is Step.QUANTITY and name == "Esc":
            self.units = 1
            self._set_step(Step.SCANNING)
            self._tell("Each scan counts one", Tone.NOTICE)
        elif name == "Esc" and self.step in (Step.SCANNING, Step.BOX, Step.WEIGHT):
            self._step_before_question = self.step
            self._set_step(Step.CONFIRM_RELEASE)
            number = self.state.number if self.state else ""
            question = f"Release {number}? Its scans are kept"
            self._tell(question, Tone.QUESTION)
        elif name == "Esc" and self.step is Step.CONFIRM_RELEASE:
            self._set_step(self._step_before_question)
            self._tell(f"Still packing {self.state.number if self.state else ''}", Tone.NOTICE)
        elif self.step is Step.BOX and (box := self.boxes.by_key(name)):
            self._choose(box)

    # --- opening ------------------------------------------------------------------------

    def _open(self, code: str) -> None:
        if code.strip() in NEXT_ORDER_KEYS:
            self._claim_next()
            return
        reading = read_scan(code)
        if reading.error:
            self._log_refusal(code, reading.error)
            self._tell(reading.error, Tone.BAD, "error")
            return
        if reading.kind in (ScanKind.PRODUCT_GTIN, ScanKind.GS1):
            text = f"{describe(reading)} is an item - scan the order slip, pick list or tote first"
            self._log_refusal(code, text)
            self._tell(text, Tone.BAD, "error")
            return
        self._set_step(Step.OPENING)
        DbOp(None, self._ctx, open_for_packing, self._ctx.actor, code).success(
            self._on_opened
        ).failure(self._on_idle_failed).run(initiator=self)

    def _log_refusal(self, raw: str, message: str) -> None:
        """Refusals made on the station never reach a service; the scan log gets them."""
        DbOp(None, self._ctx, record_scan, self._ctx.actor, raw, message=message).failure(
            self._on_log_failed
        ).run(initiator=self)

    def _on_log_failed(self, exc: Exception) -> None:
        log.warning("scan not logged: %s", exc)  # the packer already saw the refusal

    def _claim_next(self) -> None:
        self._set_step(Step.OPENING)
        DbOp(None, self._ctx, claim_next_order, self._ctx.actor).success(self._on_claimed).failure(
            self._on_idle_failed
        ).run(initiator=self)

    def _on_claimed(self, state: PackState | None) -> None:
        if state is None:
            self._set_step(Step.IDLE)
            self._tell(QUEUE_EMPTY, Tone.NOTICE)
        else:
            self._on_opened(state)

    def _on_opened(self, state: PackState) -> None:
        self.state, self.box = state, None
        self.state_loaded.emit(state)
        done, total = state.units_scanned, state.units_expected
        if state.complete:
            self._set_step(Step.BOX)
            self._tell(
                f"{state.number}: all {total} items scanned - choose the box", Tone.GOOD, "complete"
            )
        else:
            self._set_step(Step.SCANNING)
            resumed = f" - resumed, {done} of {total} already scanned" if done else ""
            self._tell(f"{state.number}: scan each item{resumed}", Tone.GOOD, "ok")

    def _on_idle_failed(self, exc: Exception) -> None:
        self._set_step(Step.IDLE)
        self._tell(failure_message(exc), Tone.BAD, "error")

    # --- scanning -----------------------------------------------------------------------

    def _record(self, code: str, manual: bool) -> None:
        if not code.strip():
            self._tell(NOTHING_SCANNED, Tone.BAD, "error")
            return
        assert self.state is not None
        order_id, units, self.units = self.state.order_id, self.units, 1
        DbOp(
            None,
            self._ctx,
            record_pack_scan,
            self._ctx.actor,
            order_id,
            code,
            manual=manual,
            units=units,
        ).success(self._on_recorded).failure(self._on_step_failed).run(initiator=self)

    def _scan_at_quantity(self, code: str, manual: bool) -> None:
        text = code.strip()
        if manual and text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_UNITS_PER_SCAN:
            self.units = int(text)
            self._set_step(Step.SCANNING)
            self._tell(f"The next scan counts {self.units}", Tone.NOTICE)
        elif manual:
            self._tell(
                f"Type a number from 1 to {MAX_UNITS_PER_SCAN}, then Enter", Tone.BAD, "error"
            )
        else:  # a product scanned straight away: it counts one, as usual
            self._set_step(Step.SCANNING)
            self._record(code, manual)

    def _on_recorded(self, outcome: ScanOutcome) -> None:
        if outcome.line is not None:
            self.line_updated.emit(outcome.line)
        if not outcome.accepted:
            self._tell(outcome.message, Tone.BAD, "error")
            return
        if outcome.sound == "complete":
            if self.step is Step.SCANNING:
                self._set_step(Step.BOX)
            elif self._step_before_question is Step.SCANNING:
                self._step_before_question = Step.BOX
        self._tell(outcome.message, Tone.GOOD, outcome.sound)

    def _on_step_failed(self, exc: Exception) -> None:
        self._tell(failure_message(exc), Tone.BAD, "error")

    # --- box, weight, done --------------------------------------------------------------

    def _scan_at_box(self, code: str, manual: bool) -> None:
        box = self.boxes.by_key(code) if manual else None
        if box is not None:
            self._choose(box)
        elif not code.strip():
            self._tell(
                "Choose the box first: press its number or scan its B: code", Tone.BAD, "error"
            )
        elif not self._took_box_scan(code):
            self._record(code, manual)

    def _took_box_scan(self, code: str) -> bool:
        reading = read_scan(code)
        if reading.kind is not ScanKind.DOCUMENT or reading.doc_type is not DocType.BOX:
            return False
        box = self.boxes.by_code(reading.doc_value or "")
        if box is None:
            self._tell(self.boxes.unknown_message(reading.doc_value or ""), Tone.BAD, "error")
        else:
            self._choose(box)
        return True

    def _choose(self, box: BoxChoice) -> None:
        self.box = box
        self._set_step(Step.WEIGHT)
        self._tell(f"{box.name} ({box.code}) - now the weight", Tone.GOOD, "ok")

    def _scan_at_weight(self, code: str, manual: bool) -> None:
        text = code.strip()
        if not text:
            self._complete(None)
        elif manual and text.isascii() and text.isdigit() and len(text) <= MAX_WEIGHT_DIGITS:
            self._complete(int(text))
        elif manual:
            self._tell("Type the weight in grams and press Enter", Tone.BAD, "error")
        elif not self._took_box_scan(code):
            self._record(code, manual)

    def _complete(self, weight_g: int | None) -> None:
        assert self.state is not None and self.box is not None
        self._set_step(Step.COMPLETING)
        spec = PackageSpec(box_code=self.box.code, weight_g=weight_g)
        order_id = self.state.order_id
        DbOp(None, self._ctx, complete_packing, self._ctx.actor, order_id, [spec]).success(
            self._on_completed
        ).failure(self._on_complete_failed).run(initiator=self)

    def _on_completed(self, result: PackResult) -> None:
        self._close_order()
        self.packed.emit(result)
        label = "label queued" if result.print_job_ids else "NO label queued - tell a supervisor"
        text = f"Packed {result.order_number} · tracking {result.tracking_number} · {label}"
        self._tell(text, Tone.GOOD, "ok")

    def _on_complete_failed(self, exc: Exception) -> None:
        self._set_step(Step.WEIGHT)
        self._tell(failure_message(exc), Tone.BAD, "error")

    # --- releasing ----------------------------------------------------------------------

    def _release(self) -> None:
        assert self.state is not None
        self._set_step(Step.RELEASING)
        number, order_id = self.state.number, self.state.order_id
        DbOp(None, self._ctx, release_packing, self._ctx.actor, order_id).success(
            lambda _: self._on_released(number)
        ).failure(self._on_release_failed).run(initiator=self)

    def _on_released(self, number: str) -> None:
        self._close_order()
        self._tell(f"Released {number} - its scans are kept", Tone.GOOD, "ok")

    def _on_release_failed(self, exc: Exception) -> None:
        if isinstance(exc, ConcurrencyConflict):  # another station holds it: not ours to keep
            self._close_order()
        else:
            self._set_step(self._step_before_question)
        self._tell(failure_message(exc), Tone.BAD, "error")

    # --- plumbing -----------------------------------------------------------------------

    def _close_order(self) -> None:
        self.state, self.box = None, None
        self.state_loaded.emit(None)
        self._set_step(Step.IDLE)

    def _set_step(self, step: Step) -> None:
        self.step = step
        self.step_changed.emit(step)

    def _tell(self, message: str, tone: Tone, sound: str | None = None) -> None:
        """Announce feedback; then input held while waiting on the database can run."""
        self.feedback_given.emit(Feedback(message, tone, sound))
        while self._held and self.step not in WAITING_STEPS:
            self.scan(*self._held.pop(0))
