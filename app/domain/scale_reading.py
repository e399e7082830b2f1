"""What a parcel scale says: one reading parsed, and when a weight has settled.

Most bench scales stream readings as ASCII lines ("continuous output"), several times
a second. The common shapes:

- `ST,GS,+  1.234kg` - status (ST stable, US unstable, OL overload), GS gross / NT net /
  TR tare, the sign, the figure and the unit (A&D and most indicators copying it);
- `S S     100.00 g` / `S D     100.00 g` - Mettler Toledo SICS, stable / dynamic;
- `  1234 g`, `+0001.23 kg`, `0.500 lb` - a bare figure and unit, no status.

USB scales that are HID point-of-sale devices send 6-byte reports instead (report id 3,
status, unit, exponent, weight LSB, MSB), read with `parse_hid_report`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

GRAMS_PER_UNIT = {
    "g": Decimal(1),
    "kg": Decimal(1000),
    "lb": Decimal("453.59237"),
    "lbs": Decimal("453.59237"),
    "oz": Decimal("28.349523125"),
}
_FIGURE = re.compile(r"([+-]?)\s*(\d+(?:[.,]\d+)?)\s*(kg|g|lbs|lb|oz)\b", re.IGNORECASE)
_STATUS = re.compile(r"^\s*(ST|US|OL|S\s+S|S\s+D|S\s+\+|S\s+-)(?![A-Za-z0-9])", re.IGNORECASE)
_STABLE = {"ST": True, "US": False, "SS": True, "SD": False}
_OVERLOAD = {"OL", "S+", "S-"}
# HID point-of-sale scale (USB HID usage tables, Scale page): status and unit codes.
_HID_REPORT_ID = 3
_HID_IN_MOTION, _HID_STABLE, _HID_ZERO, _HID_NEGATIVE = 3, 4, 2, 5
_HID_OVERLOAD = 6
_HID_UNITS = {2: GRAMS_PER_UNIT["g"], 3: GRAMS_PER_UNIT["kg"], 11: GRAMS_PER_UNIT["oz"],
              12: GRAMS_PER_UNIT["lb"]}  # fmt: skip


@dataclass(frozen=True)
class ScaleReading:
    """One reading in whole grams (negative below the tare). `stable` is None when the
    scale does not say whether it has settled."""

    grams: int
    stable: bool | None
    overload: bool = False


def _grams(figure: Decimal, unit: Decimal) -> int:
    return int((figure * unit).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def parse_scale_line(line: str) -> ScaleReading | None:
    """The reading in one line of continuous output, or None for a line that holds none
    (a partial line, a header, noise on the wire)."""
    status_match = _STATUS.match(line)
    status = re.sub(r"\s+", "", status_match.group(1)).upper() if status_match else ""
    rest = line[status_match.end() :] if status_match else line
    if status in _OVERLOAD:
        return ScaleReading(0, False, overload=True)
    figure = _FIGURE.search(rest)
    if figure is None:
        return None
    sign, digits, unit = figure.groups()
    grams = _grams(Decimal(digits.replace(",", ".")), GRAMS_PER_UNIT[unit.lower()])
    return ScaleReading(-grams if sign == "-" else grams, _STABLE.get(status))


def parse_hid_report(report: bytes) -> ScaleReading | None:
    """The reading in one HID scale report, or None for another report or a unit this
    reader does not know."""
    if len(report) < 6 or report[0] != _HID_REPORT_ID:
        return None
    status, unit_code, exponent = report[1], report[2], int.from_bytes(report[3:4], signed=True)
    if status == _HID_OVERLOAD:
        return ScaleReading(0, False, overload=True)
    if status == _HID_ZERO:
        return ScaleReading(0, True)
    unit = _HID_UNITS.get(unit_code)
    if unit is None:
        return None
    raw = Decimal(report[4] | report[5] << 8).scaleb(exponent)
    grams = _grams(raw, unit)
    return ScaleReading(
        -grams if status == _HID_NEGATIVE else grams,
        status in (_HID_STABLE, _HID_ZERO, _HID_NEGATIVE),
    )


class WeightSettler:
    """Turns a stream of readings into settled weights.

    A reading marked stable settles at once; one without a status settles when
    `repeats` readings in a row agree; an unstable or overloaded reading unsettles. An
    empty platform (0 g or less) settles at 0. `feed` returns the weight when the
    settled weight changes, so one parcel is announced once however long it sits there.
    """

    def __init__(self, repeats: int = 3) -> None:
        if repeats < 1:
            raise ValueError("repeats must be at least 1")
        self.repeats = repeats
        self._last: int | None = None
        self._run = 0
        self._announced: int | None = None

    def feed(self, reading: ScaleReading) -> int | None:
        if reading.overload or reading.stable is False:
            self._last, self._run = None, 0
            return None
        grams = max(reading.grams, 0)
        self._run = self._run + 1 if grams == self._last else 1
        self._last = grams
        if (reading.stable or self._run >= self.repeats) and grams != self._announced:
            self._announced = grams
            return grams
        return None
