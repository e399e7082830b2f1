"""The steps of packing one order."""

from __future__ import annotations

from enum import Enum


class Step(Enum):
    STARTING = "starting"  # reading the station's set-up
    IDLE = "idle"
    OPENING = "opening"
    SCANNING = "scanning"
    BOX = "box"
    WEIGHT = "weight"
    QUANTITY = "quantity"  # the quantity key: how many the next scan counts
    COMPLETING = "completing"
    PRINTING = "printing"  # the packed order's label and slip, at once
    PRINTER_FAILED = "printer_failed"  # retry, send elsewhere, or go on
    CONFIRM_RELEASE = "confirm_release"
    RELEASING = "releasing"


WAITING_STEPS = frozenset(
    {Step.STARTING, Step.OPENING, Step.COMPLETING, Step.PRINTING, Step.RELEASING}
)
