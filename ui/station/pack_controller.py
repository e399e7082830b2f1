"""PackController: what each scan means at each step of packing one order.

Steps: STARTING (read the station's set-up) -> IDLE (scan an order, or N for the most
urgent one waiting) -> SCANNING (verify every unit) -> BOX (the suggested box is one
Enter away) -> WEIGHT -> COMPLETING -> PRINTING (label and slip, at once) -> IDLE. A
printer that fails stops at PRINTER_FAILED until the packer retries, sends the job
elsewhere or goes on. Esc asks to release the order. Every service call that writes
runs on the one writer thread (scans apply in order); input arriving while the screen
waits is held and replayed afterwards. A station whose site lacks set-up refuses to
open orders and says what is missing.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from app.domain.scan_reading import NOTHING_SCANNED, DocType, ScanKind, describe, read_scan
from app.dto import PackResult, PackState, ScanOutcome
from app.errors import ConcurrencyConflict
from app.services.box_advice import BoxAdvice, advise_box
from app.services.pack_claims import claim_next_order, release_packing
from app.services.pack_completion import PackageSpec, WeightRefused, complete_packing
from app.services.packing import open_for_packing, record_pack_scan
from app.services.printing import label_format_for
from app.services.scan_log import record_scan
from app.services.supervisors import approver_name
from ui.context import UiContext
from ui.operations import DbOp, QueryOp
from ui.station.box_types import BoxCatalogue, BoxChoice
from ui.station.feedback import Tone, failure_message
from ui.station.pack_advice import suggested_box, suggestion_prompt
from ui.station.pack_printing import PackPrinter, PrintFailure, PrintSummary
from ui.station.pack_steps import WAITING_STEPS, Step
from ui.station.station_setup import StationSetup, check_station
from ui.station.step_machine import StepController
from ui.widgets.scan_input import DUPLICATE_SCAN_IGNORED

MAX_WEIGHT_DIGITS = 6
MAX_UNITS_PER_SCAN = 999
QUANTITY_KEYS = ("*",)
NEXT_ORDER_KEYS = ("n", "N")
DEVICES_KEY = "F2"
QUEUE_EMPTY = "Queue empty - no order is waiting to be packed"
PRINTER_FIRST = "Finish with the printer first"
WEIGHT_OVERRIDE_HINT = "Weigh again and type the grams, or a supervisor scans their badge (U:…)"
_QUANTITY_CODE = re.compile(r"\*([0-9]{1,3})")

log = logging.getLogger(__name__)


class PackController(StepController):
    """Routes scans, keys and service answers; the window shows what it announces."""

    state_loaded = Signal(object)  # PackState, or None when no order is open
    line_updated = Signal(object)  # PackLine
    packed = Signal(object)  # PackResult
    setup_checked = Signal(object)  # StationSetup
    advice_ready = Signal(object)  # BoxAdvice for the open order
    order_done = Signal(str)  # the packed order's last word: what printed where
    devices_requested = Signal()

    def __init__(self, ctx: UiContext, parent: QObject | None = None) -> None:
        super().__init__(ctx, Step.STARTING, WAITING_STEPS, parent)
        self.setup: StationSetup | None = None
        self.boxes = BoxCatalogue()
        self.state: PackState | None = None
        self.advice: BoxAdvice | None = None
        self.box: BoxChoice | None = None
        self.scale_g: int | None = None  # the scale's settled weight, when it has one
        self.printer = PackPrinter(ctx, self)
        self.printer.failed.connect(self._on_printer_failed)
        self.printer.finished.connect(self._on_printer_finished)
        self._step_before_question = Step.SCANNING
        self._refused_weight: int | None = None
        self._result: PackResult | None = None
        self._approver = ""  # who accepted a refused weight
        self.units = 1  # the quantity key's count for the next product scan

    # --- set-up -------------------------------------------------------------------------

    def start(self) -> None:
        """Read the station's set-up; input typed meanwhile waits for it."""
        self._set_step(Step.STARTING)
        self._check_setup(self._replay, self._on_idle_failed)

    def _check_setup(self, then: Callable[[], None], failed: Callable[[Exception], None]) -> None:
        def checked(setup: StationSetup) -> None:
            self._apply_setup(setup)
            then()

        QueryOp(None, self._ctx, check_station, self._ctx.actor.station).success(checked).failure(
            failed
        ).run()

    def _apply_setup(self, setup: StationSetup) -> None:
        self.setup, self.boxes = setup, setup.boxes
        if self.step is Step.STARTING:
            self._set_step(Step.IDLE)
        self.setup_checked.emit(setup)

    @property
    def dispatches(self) -> bool:
        """This station ships what it packs, in the same transaction (set in its devices)."""
        return self.setup is not None and self.setup.devices.dispatch_on_pack

    @property
    def label_format(self) -> str | None:
        """ZPL for a raw-port label printer; otherwise the site's format."""
        return label_format_for(self.setup.devices.label_target) if self.setup else None

    # --- input --------------------------------------------------------------------------

    def _act(self, code: str, manual: bool) -> None:
        if self.step is Step.PRINTER_FAILED:
            self._log_refusal(code, PRINTER_FIRST)
            self._tell_printer_failed(PRINTER_FIRST, sound="error")
            return
        if self.step is Step.CONFIRM_RELEASE:
            if not code.strip():
                self._release()
                return
            self._set_step(self._step_before_question)
        if self.step is Step.IDLE:
            self._open(code)
        elif self.step is Step.SCANNING:
            self._scan_at_scanning(code, manual)
        elif self.step is Step.BOX:
            self._scan_at_box(code, manual)
        elif self.step is Step.WEIGHT:
            self._scan_at_weight(code, manual)
        elif self.step is Step.QUANTITY:
            self._scan_at_quantity(code, manual)

    def refuse(self, message: str) -> None:
        """The scan input threw the input away; say why (and log it: every scan counts)."""
        self._log_refusal("", message)
        if self.step is Step.PRINTER_FAILED:
            self._tell_printer_failed(message, sound="error")
        elif message == DUPLICATE_SCAN_IGNORED:
            self._tell(message, Tone.NOTICE, "duplicate")
        else:
            self._tell(message, Tone.BAD, "error")

    def command(self, name: str) -> None:
        if name == DEVICES_KEY and self.step not in WAITING_STEPS:
            self.devices_requested.emit()
        elif self.step is Step.PRINTER_FAILED:
            self._printer_command(name)
        elif self.step is Step.IDLE and name in NEXT_ORDER_KEYS:
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

    def weighed(self, grams: int) -> None:
        """The scale settled at `grams` (0: nothing on it)."""
        self.scale_g = grams or None

    def devices_changed(self) -> None:
        """The station's devices were saved: read the set-up again."""
        self._check_setup(lambda: None, self._on_step_failed)

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
        self._when_set_up(
            lambda: (
                DbOp(None, self._ctx, open_for_packing, self._ctx.actor, code)
                .success(self._on_opened)
                .failure(self._on_idle_failed)
                .run(initiator=self)
            ),
            code,
        )

    def _when_set_up(self, then: Callable[[], None], code: str = "") -> None:
        """Check the set-up again (it may have changed at the desk), then `then()` - or
        refuse, naming what is missing."""
        self._set_step(Step.OPENING)

        def go() -> None:
            problems = self.setup.problems if self.setup else ()
            if not problems:
                then()
                return
            self._set_step(Step.IDLE)
            text = f"This station cannot pack yet: {problems[0]}"
            if code:
                self._log_refusal(code, text)
            more = f"{len(problems) - 1} more on the screen" if len(problems) > 1 else ""
            self._tell(text, Tone.BAD, "error", detail=more, hint="Nothing was opened")

        self._check_setup(go, self._on_idle_failed)

    def _log_refusal(self, raw: str, message: str) -> None:
        """Refusals made on the station never reach a service; the scan log gets them."""
        DbOp(None, self._ctx, record_scan, self._ctx.actor, raw, message=message).failure(
            self._on_log_failed
        ).run(initiator=self)

    def _on_log_failed(self, exc: Exception) -> None:
        log.warning("scan not logged: %s", exc)  # the packer already saw the refusal

    def _claim_next(self) -> None:
        self._when_set_up(
            lambda: (
                DbOp(None, self._ctx, claim_next_order, self._ctx.actor)
                .success(self._on_claimed)
                .failure(self._on_idle_failed)
                .run(initiator=self)
            )
        )

    def _on_claimed(self, state: PackState | None) -> None:
        if state is None:
            self._set_step(Step.IDLE)
            self._tell(QUEUE_EMPTY, Tone.NOTICE)
        else:
            self._on_opened(state)

    def _on_opened(self, state: PackState) -> None:
        self.state, self.box, self.advice, self._refused_weight = state, None, None, None
        self.state_loaded.emit(state)
        QueryOp(None, self._ctx, advise_box, state.order_id).success(
            lambda advice: self._on_advised(state.order_id, advice)
        ).failure(lambda exc: log.warning("no box advice: %s", exc)).run()
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

    def _on_advised(self, order_id: int, advice: BoxAdvice) -> None:
        if self.state is not None and self.state.order_id == order_id:
            self.advice = advice
            self.advice_ready.emit(advice)

    def _on_idle_failed(self, exc: Exception) -> None:
        self._set_step(Step.IDLE)
        self._tell(failure_message(exc), Tone.BAD, "error")

    # --- scanning -----------------------------------------------------------------------

    def _scan_at_scanning(self, code: str, manual: bool) -> None:
        """A product, or `*N`: the quantity key and its number in one go (typed fast, or a
        scanner programmed with quantity barcodes)."""
        quantity = _QUANTITY_CODE.fullmatch(code.strip())
        if quantity:
            self._set_step(Step.QUANTITY)
            self._scan_at_quantity(quantity.group(1), manual=True)
        else:
            self._record(code, manual)

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
        """The count for the next scan. Digits are a count however fast they came: no
        product barcode is three digits or fewer."""
        text = code.strip()
        count = int(text) if text.isascii() and text.isdigit() and len(text) <= 3 else 0
        if 1 <= count <= MAX_UNITS_PER_SCAN:
            self.units = count
            self._set_step(Step.SCANNING)
            self._tell(f"The next scan counts {self.units}", Tone.NOTICE)
            return
        if manual:
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
            suggested = suggested_box(self.advice, self.boxes)
            if suggested is not None:
                self._choose(suggested)
            else:
                text = suggestion_prompt(self.advice, self.boxes)
                self._tell(text, Tone.BAD, "error", hint="Press a box's number or scan its B: code")
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
        self.box, self._refused_weight = box, None
        self._set_step(Step.WEIGHT)
        self._tell(f"{box.name} ({box.code}) - now the weight", Tone.GOOD, "ok")

    def _scan_at_weight(self, code: str, manual: bool) -> None:
        text = code.strip()
        reading = read_scan(code)
        if reading.kind is ScanKind.DOCUMENT and reading.doc_type is DocType.USER:
            self._override(text)
        elif not text:
            if self.scale_g is not None:
                self._complete(self.scale_g)
            elif self.setup is not None and self.setup.devices.scale:
                self._tell("Waiting for the scale - or type the grams + Enter", Tone.NOTICE)
            else:
                self._complete(None)
        elif manual and text.isascii() and text.isdigit() and len(text) <= MAX_WEIGHT_DIGITS:
            self._complete(int(text))
        elif manual:
            self._tell("Type the weight in grams and press Enter", Tone.BAD, "error")
        elif not self._took_box_scan(code):
            self._record(code, manual)

    def _override(self, badge: str) -> None:
        """A supervisor's badge after a refused weight accepts it (the service audits it)."""
        weight = self._refused_weight
        if weight is None:
            self._tell(
                "A badge is needed only when a weight is refused - weigh the parcel",
                Tone.BAD,
                "error",
            )
            return
        self._set_step(Step.COMPLETING)
        QueryOp(None, self._ctx, approver_name, badge).success(
            lambda name: self._complete(weight, badge=badge, approver=name)
        ).failure(self._on_complete_failed).run()

    def _complete(self, weight_g: int | None, *, badge: str = "", approver: str = "") -> None:
        assert self.state is not None and self.box is not None
        self._set_step(Step.COMPLETING)
        self._refused_weight = None
        spec = PackageSpec(box_code=self.box.code, weight_g=weight_g)

        def refused(exc: Exception) -> None:
            if isinstance(exc, WeightRefused):
                self._refused_weight = weight_g
            self._on_complete_failed(exc)

        DbOp(
            None,
            self._ctx,
            complete_packing,
            self._ctx.actor,
            self.state.order_id,
            [spec],
            label_format=self.label_format,
            weight_override_badge=badge or None,
            dispatch=self.dispatches,
        ).success(lambda result: self._on_completed(result, approver)).failure(refused).run(
            initiator=self
        )

    def _on_completed(self, result: PackResult, approver: str) -> None:
        self._result, self._approver = result, approver
        self.packed.emit(result)
        self._set_step(Step.PRINTING)
        self.printer.start(result.print_job_ids, self.setup.printers if self.setup else ())

    def _on_complete_failed(self, exc: Exception) -> None:
        self._set_step(Step.WEIGHT)
        hint = WEIGHT_OVERRIDE_HINT if self._refused_weight is not None else ""
        self._tell(failure_message(exc), Tone.BAD, "error", hint=hint)

    # --- printing -----------------------------------------------------------------------

    def _on_printer_failed(self, failure: PrintFailure) -> None:
        self._set_step(Step.PRINTER_FAILED)
        self._tell_printer_failed(sound="warning")

    def _tell_printer_failed(self, note: str = "", *, sound: str | None = None) -> None:
        message, detail, keys = self.printer.failure_text(note)
        self._tell(message, Tone.WARNING, sound, detail=detail, hint=keys)

    def _printer_command(self, name: str) -> None:
        if self.printer.command(name):
            self._set_step(Step.PRINTING)
        else:  # E or Esc: the same failure, other keys
            self._set_step(Step.PRINTER_FAILED)
            self._tell_printer_failed()

    def _on_printer_finished(self, summary: PrintSummary) -> None:
        result = self._result
        assert result is not None
        said = summary.sentences() or ["NO label queued - tell a supervisor"]
        packed = f"{result.order_number} {'packed and shipped' if self.dispatches else 'packed'}"
        if self._approver:
            packed += f", weight accepted by {self._approver}"
        self.order_done.emit(f"{packed}  ·  tracking {result.tracking_number}")
        self._close_order()
        tone = Tone.GOOD if summary.printed and not summary.kept else Tone.NOTICE
        self._tell("  ·  ".join([*said, packed]), tone, "ok")

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
        self.state, self.box, self.advice, self._result = None, None, None, None
        self.state_loaded.emit(None)
        self._set_step(Step.IDLE)
