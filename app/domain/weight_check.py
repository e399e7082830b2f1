"""Weighing a packed parcel against what its contents and box should weigh.

A parcel far off its expected weight has a wrong or missing item, so the station
refuses it and says by how much. The messages show kg with 2 decimals (10 g); so that
the figures never contradict the verdict, the allowed range is rounded inwards and a
refused weight away from it (a parcel 1 g too light never reads as inside the range).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

_KG_2 = Decimal("0.01")
_KG_3 = Decimal("0.001")  # 1 g: ranges narrower than the 10 g display step


def _kg(grams: int | Decimal, rounding: str, quantum: Decimal = _KG_2) -> Decimal:
    return (Decimal(grams) / 1000).quantize(quantum, rounding=rounding)


def format_kg(grams: int | Decimal, rounding: str = ROUND_HALF_UP) -> str:
    """`grams` as kg with 2 decimals, e.g. "14.90 kg"."""
    return f"{_kg(grams, rounding)} kg"


@dataclass(frozen=True)
class WeightTolerance:
    """A measured weight is accepted when it is off the expected weight by no more than
    the larger of `percent` of the expected weight and `grams`: the percentage scales
    with heavy parcels, the grams keep scale noise and void fill from refusing light
    ones."""

    percent: Decimal
    grams: int

    def __post_init__(self) -> None:
        if not (self.percent.is_finite() and self.percent >= 0):
            raise ValueError(f"the tolerance percentage must be 0 or more, not {self.percent}")
        if self.grams < 0:
            raise ValueError(f"the tolerance in grams must be 0 or more, not {self.grams}")

    def allowance_g(self, expected_g: int) -> Decimal:
        """How far from `expected_g` a measured weight may be."""
        return max(expected_g * self.percent / 100, Decimal(self.grams))


@dataclass(frozen=True)
class WeightVerdict:
    accepted: bool
    message: str  # one sentence for the packer


def check_weight(
    expected_g: int | None, measured_g: int, tolerance: WeightTolerance
) -> WeightVerdict:
    """Accept `measured_g` when it is within `tolerance` of `expected_g`.

    An unknown expected weight (a product without a weight) cannot be checked, and is
    accepted with a note rather than holding up the parcel.
    """
    if measured_g < 0 or (expected_g is not None and expected_g < 0):
        raise ValueError(f"weights are 0 g or more, not {measured_g} g / {expected_g} g")
    if expected_g is None:
        return WeightVerdict(
            True, f"Weighs {format_kg(measured_g)} - not checked: no expected weight is known"
        )
    allowance = tolerance.allowance_g(expected_g)
    if abs(measured_g - expected_g) <= allowance:
        return WeightVerdict(
            True, f"Weighs {format_kg(measured_g)}, expected {format_kg(expected_g)} - OK"
        )
    low, high = max(expected_g - allowance, Decimal(0)), expected_g + allowance
    quantum = _KG_2 if _kg(low, ROUND_CEILING) <= _kg(high, ROUND_FLOOR) else _KG_3
    measured = _kg(measured_g, ROUND_FLOOR if measured_g < low else ROUND_CEILING, quantum)
    expected = _kg(expected_g, ROUND_HALF_UP, quantum)
    allowed = f"{_kg(low, ROUND_CEILING, quantum)}–{_kg(high, ROUND_FLOOR, quantum)} kg"
    return WeightVerdict(
        False,
        f"Weighs {measured} kg, expected {expected} kg ({allowed} allowed)"
        " - check the contents or call a supervisor",
    )
