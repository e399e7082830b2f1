"""ReturnsController: the returns station's steps, driven by scans and keys alone.

Scan the parcel (R: return label, O: packing slip, order reference or tracking number),
then each item; per unit press its condition (1-4) and where it goes (R restock to the
bin it came from, or scan L:<bin>; Q quarantine, S scrap, V return to vendor). Enter
on an empty scan, or the parcel's own label again, receives the parcel in one unit of
work; Esc drops the unit being judged, or the whole parcel (nothing is recorded until
the parcel is received).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from PySide6.QtCore import QObject, Signal

from app.domain.returns import ALLOWED_DISPOSITIONS, Condition, Disposition, ReceiptItem
from app.domain.scan_reading import DocType, ScanKind, read_scan
from app.services.return_parcels import Parcel, check_location, open_parcel
from app.services.returns import ReceiveResult, receive_return
from ui.context import UiContext
from ui.station.feedback import Tone, failure_message
from ui.station.step_machine import StepController


class ReturnStep(Enum):
    IDLE = "idle"
    OPENING = "opening"
    ITEMS = "items"
    CONDITION = "condition"
    DISPOSITION = "disposition"
    CHECKING = "checking"  # the scanned restock bin
    RECEIVING = "receiving"


WAITING = frozenset({ReturnStep.OPENING, ReturnStep.CHECKING, ReturnStep.RECEIVING})
CONDITION_KEYS = {
    "1": Condition.SELLABLE,
    "2": Condition.OPENED,
    "3": Condition.DAMAGED,
    "4": Condition.WRONG_ITEM,
}
DISPOSITION_KEYS = {
    "r": Disposition.RESTOCK,
    "q": Disposition.QUARANTINE,
    "s": Disposition.SCRAP,
    "v": Disposition.VENDOR,
}
HOTKEYS = {
    ReturnStep.CONDITION: tuple(CONDITION_KEYS),
    ReturnStep.DISPOSITION: tuple(DISPOSITION_KEYS) + tuple(k.upper() for k in DISPOSITION_KEYS),
}
PROMPTS = {
    ReturnStep.IDLE: "Scan the return label (R:), packing slip (O:) or tracking number",
    ReturnStep.OPENING: "Opening the parcel…",
    ReturnStep.ITEMS: "Scan the next item  ·  Enter = parcel done  ·  Esc = set it aside",
    ReturnStep.CONDITION: "Condition?  1 sellable  ·  2 opened  ·  3 damaged  ·  4 wrong item",
    ReturnStep.CHECKING: "Checking the bin…",
    ReturnStep.RECEIVING: "Receiving the parcel…",
}


def disposition_prompt(condition: Condition) -> str:
    allowed = ALLOWED_DISPOSITIONS[condition]
    keys = [
        f"{key.upper()} {name}"
        for key, name in (("r", "restock"), ("q", "quarantine"), ("s", "scrap"), ("v", "vendor"))
        if DISPOSITION_KEYS[key] in allowed
    ]
    scan = "  ·  or scan L:bin" if Disposition.RESTOCK in allowed else ""
    return f"Goes to?  {'  ·  '.join(keys)}{scan}"


@dataclass(frozen=True)
class Unit:
    sku: str
    condition: Condition
    disposition: Disposition
    location: str | None


class ReturnsController(StepController):
    """One parcel at a time; the window shows what it announces."""

    parcel_changed = Signal()  # the parcel, or the units judged so far, changed

    def __init__(self, ctx: UiContext, parent: QObject | None = None) -> None:
        super().__init__(ctx, ReturnStep.IDLE, WAITING, parent)
        self.parcel: Parcel | None = None
        self.units: list[Unit] = []
        self.sku: str | None = None  # the unit being judged
        self.condition: Condition | None = None

    def scanned(self, sku: str) -> int:
        return sum(1 for unit in self.units if unit.sku == sku)

    def prompt(self) -> str:
        if self.step is ReturnStep.DISPOSITION and self.condition is not None:
            return disposition_prompt(self.condition)
        return PROMPTS.get(self.step, "")

    # -- input -------------------------------------------------------------------

    def _act(self, code: str, manual: bool) -> None:
        text = code.strip()
        if self.step is ReturnStep.IDLE:
            if not text:
                self._tell(
                    f"Nothing scanned - {PROMPTS[ReturnStep.IDLE].lower()}", Tone.BAD, "error"
                )
            else:
                self._open(text)
        elif self.step is ReturnStep.ITEMS:
            self._item(text)
        elif self.step is ReturnStep.CONDITION:
            self._tell("Press 1, 2, 3 or 4 for the unit's condition", Tone.BAD, "error")
        elif self.step is ReturnStep.DISPOSITION:
            reading = read_scan(text)
            if reading.kind is ScanKind.DOCUMENT and reading.doc_type is DocType.LOCATION:
                self._check_bin(reading.doc_value or "")
            else:
                self._tell("Press R, Q, S or V - or scan the bin (L:)", Tone.BAD, "error")

    def command(self, name: str) -> None:
        key = name.lower()
        if name == "Esc":
            self._escape()
        elif self.step is ReturnStep.CONDITION and key in CONDITION_KEYS:
            self.condition = CONDITION_KEYS[key]
            self._set_step(ReturnStep.DISPOSITION)
            self._tell(f"{self.sku}: {self.condition.value.replace('_', ' ')}", Tone.NOTICE)
        elif self.step is ReturnStep.DISPOSITION and key in DISPOSITION_KEYS:
            self._dispose(DISPOSITION_KEYS[key], None)

    def _escape(self) -> None:
        if self.step in (ReturnStep.CONDITION, ReturnStep.DISPOSITION):
            self.sku = self.condition = None
            self._set_step(ReturnStep.ITEMS)
            self._tell("Unit dropped - scan the next item", Tone.NOTICE)
        elif self.step is ReturnStep.ITEMS and self.parcel is not None:
            label = self.parcel.reference
            self._clear()
            self._tell(f"{label} put aside - nothing was recorded", Tone.NOTICE)

    # -- steps -------------------------------------------------------------------

    def _open(self, text: str) -> None:
        self._set_step(ReturnStep.OPENING)
        self._write(self._opened, self._failed_to_open, open_parcel, text)

    def _opened(self, parcel: Parcel) -> None:
        self.parcel, self.units = parcel, []
        self._set_step(ReturnStep.ITEMS)
        self.parcel_changed.emit()
        what = f"return {parcel.rma}" if parcel.rma else f"order {parcel.order}, no RMA"
        self._tell(f"{parcel.reference} open ({what}) - scan each item", Tone.GOOD, "ok")

    def _failed_to_open(self, exc: Exception) -> None:
        self._set_step(ReturnStep.IDLE)
        self._tell(failure_message(exc), Tone.BAD, "error")

    def _item(self, text: str) -> None:
        assert self.parcel is not None
        reading = read_scan(text)
        if not text or (
            reading.kind is ScanKind.DOCUMENT
            and reading.doc_type in (DocType.RETURN, DocType.ORDER)
            and (reading.doc_value or "").upper()
            in {self.parcel.reference, self.parcel.order, self.parcel.rma}
        ):
            self._receive()
            return
        if reading.error:
            self._tell(reading.error, Tone.BAD, "error")
            return
        code = reading.gtin14 or reading.text
        line = next((ln for ln in self.parcel.lines if code in ln.codes), None)
        if line is None:
            self._tell(f"{code} is not on {self.parcel.reference}", Tone.BAD, "error")
            return
        if self.scanned(line.sku) >= line.expected:
            self._tell(
                f"{line.sku}: only {line.expected} can come back on {self.parcel.reference}, "
                f"all {line.expected} scanned already",
                Tone.BAD,
                "error",
            )
            return
        self.sku = line.sku
        self._set_step(ReturnStep.CONDITION)
        self._tell(f"{line.sku}  {line.name}", Tone.GOOD, "ok")

    def _check_bin(self, code: str) -> None:
        if (
            self.condition is None
            or Disposition.RESTOCK not in ALLOWED_DISPOSITIONS[self.condition]
        ):
            self._tell(
                "A unit in this condition is not restocked - press Q, S or V", Tone.BAD, "error"
            )
            return
        self._set_step(ReturnStep.CHECKING)
        self._write(
            lambda found: self._dispose(Disposition.RESTOCK, found),
            self._bin_refused,
            lambda db, actor, bin_code: check_location(db, bin_code, Disposition.RESTOCK),
            code,
        )

    def _bin_refused(self, exc: Exception) -> None:
        self._set_step(ReturnStep.DISPOSITION)
        self._tell(failure_message(exc), Tone.BAD, "error")

    def _dispose(self, disposition: Disposition, location: str | None) -> None:
        assert self.sku is not None and self.condition is not None
        if disposition not in ALLOWED_DISPOSITIONS[self.condition]:
            self._set_step(ReturnStep.DISPOSITION)
            self._tell(
                f"A {self.condition.value.replace('_', ' ')} unit cannot go to {disposition.value}",
                Tone.BAD,
                "error",
            )
            return
        unit = Unit(self.sku, self.condition, disposition, location)
        self.units.append(unit)
        self.sku = self.condition = None
        self._set_step(ReturnStep.ITEMS)
        self.parcel_changed.emit()
        where = f" to {location}" if location else ""
        self._tell(
            f"{unit.sku} {unit.condition.value.replace('_', ' ')} -> {disposition.value}{where}",
            Tone.GOOD,
            "ok",
        )

    def _receive(self) -> None:
        assert self.parcel is not None
        if not self.units:
            self._tell("Scan the items in the parcel first (Esc puts it aside)", Tone.BAD, "error")
            return
        items = [
            ReceiptItem(u.sku, 1, u.condition, u.disposition, u.location, f"unit {n}")
            for n, u in enumerate(self.units, 1)
        ]
        self._set_step(ReturnStep.RECEIVING)
        self._write(
            self._received, self._not_received, receive_return, self.parcel.reference, items
        )

    def _received(self, result: ReceiveResult) -> None:
        view = result.ret
        self._clear()
        served = (
            f"  ·  backorders served: {', '.join(result.allocated)}" if result.allocated else ""
        )
        refund = (
            f"  ·  refund {view.refund_total} pending" if view.refund_status == "pending" else ""
        )
        self._tell(
            f"{view.number} {view.status}: {result.units} units, {result.restocked} restocked"
            f"{refund}{served}",
            Tone.GOOD,
            "complete",
        )

    def _not_received(self, exc: Exception) -> None:
        self._clear()
        self._tell(failure_message(exc), Tone.BAD, "error")

    def _clear(self) -> None:
        self.parcel, self.units, self.sku, self.condition = None, [], None, None
        self._set_step(ReturnStep.IDLE)
        self.parcel_changed.emit()
