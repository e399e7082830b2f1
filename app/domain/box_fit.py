"""Suggest the smallest box an order's items fit in, or say why none does.

A box fits when all three hold:

- every item fits on its own, turned to any axis-aligned orientation: with the item's
  and the box's sides each sorted longest first, no item side is longer than the box
  side of the same rank.
  Tilting (a long thin item laid diagonally) is not considered, so a suggestion never
  depends on a packer finding an awkward angle;
- the items' total volume is at most `fill_factor` of the box's inner volume (the share
  that can really be filled once void fill and awkward shapes are allowed for);
- the items' weight plus the box's tare is within its maximum weight, when it has one.

Of the boxes that fit, the one with the smallest inner volume wins; ties go to the
lighter box, then to the code. This is a screen, not a packing plan: items that pass
each test separately may still need a careful packer.

An item without dimensions still counts its weight, one without a weight its size;
the suggestion is then `uncertain` and names their SKUs, so the station can say so.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from app.domain.weight_check import format_kg

Size = tuple[int, int, int]  # mm, longest side first
_LITRE = Decimal("0.1")


def _positive(value: int | None, what: str) -> None:
    if value is not None and value <= 0:
        raise ValueError(f"{what} must be above 0, not {value}")


def _longest_first(a: int, b: int, c: int) -> Size:
    longest, middle, shortest = sorted((a, b, c), reverse=True)
    return longest, middle, shortest


@dataclass(frozen=True)
class PackItem:
    """One order line to pack: `quantity` units of a product, sizes in mm, weight in g."""

    sku: str
    name: str
    quantity: int
    weight_g: int | None
    length_mm: int | None = None
    width_mm: int | None = None
    height_mm: int | None = None

    def __post_init__(self) -> None:
        _positive(self.quantity, f"the quantity of {self.sku}")
        for side in (self.length_mm, self.width_mm, self.height_mm):
            _positive(side, f"a side of {self.sku}")
        if self.weight_g is not None and self.weight_g < 0:
            raise ValueError(f"the weight of {self.sku} must be 0 g or more, not {self.weight_g}")

    @property
    def size_mm(self) -> Size | None:
        """The sides longest first, or None when any is unknown."""
        if self.length_mm is None or self.width_mm is None or self.height_mm is None:
            return None
        return _longest_first(self.length_mm, self.width_mm, self.height_mm)


@dataclass(frozen=True)
class Box:
    """A box type: inner sizes in mm, its own weight and the most it may weigh, in g."""

    code: str
    length_mm: int
    width_mm: int
    height_mm: int
    tare_g: int = 0
    max_weight_g: int | None = None

    def __post_init__(self) -> None:
        for side in (self.length_mm, self.width_mm, self.height_mm):
            _positive(side, f"a side of box {self.code}")
        _positive(self.max_weight_g, f"the maximum weight of box {self.code}")
        if self.tare_g < 0:
            raise ValueError(f"the tare of box {self.code} must be 0 g or more, not {self.tare_g}")

    @property
    def size_mm(self) -> Size:
        return _longest_first(self.length_mm, self.width_mm, self.height_mm)

    @property
    def volume_mm3(self) -> int:
        return self.length_mm * self.width_mm * self.height_mm


@dataclass(frozen=True)
class BoxSuggestion:
    """`code` is the box to use, or None when no box fits; `reason` says why either way."""

    code: str | None
    reason: str
    missing_dimensions: tuple[str, ...] = ()  # SKUs whose sizes are unknown
    missing_weight: tuple[str, ...] = ()  # SKUs whose weights are unknown

    @property
    def uncertain(self) -> bool:
        return bool(self.missing_dimensions or self.missing_weight)


@dataclass(frozen=True)
class _Measured:
    item: PackItem
    size: Size

    def described(self) -> str:
        return f"the {self.size[0]} mm {self.item.name} ({self.item.sku})"


@dataclass(frozen=True)
class _Load:
    measured: tuple[_Measured, ...]  # the items with all three sides known
    volume_mm3: int
    weight_g: int  # of the items whose weight is known
    units: int
    missing_dimensions: tuple[str, ...]
    missing_weight: tuple[str, ...]

    @classmethod
    def of(cls, items: Sequence[PackItem]) -> _Load:
        measured = tuple(
            _Measured(item, size) for item in items if (size := item.size_mm) is not None
        )
        return cls(
            measured=measured,
            volume_mm3=sum(m.size[0] * m.size[1] * m.size[2] * m.item.quantity for m in measured),
            weight_g=sum((item.weight_g or 0) * item.quantity for item in items),
            units=sum(item.quantity for item in items),
            missing_dimensions=_skus(item for item in items if item.size_mm is None),
            missing_weight=_skus(item for item in items if item.weight_g is None),
        )


def _skus(items: Iterable[PackItem]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item.sku for item in items))


def _takes(box: Box, size: Size) -> bool:
    return all(side <= room for side, room in zip(size, box.size_mm, strict=True))


def _takes_all(box: Box, load: _Load) -> bool:
    return all(_takes(box, m.size) for m in load.measured)


def _has_room(box: Box, load: _Load, fill_factor: Decimal) -> bool:
    return load.volume_mm3 <= box.volume_mm3 * fill_factor


def _carries(box: Box, load: _Load) -> bool:
    return box.max_weight_g is None or load.weight_g + box.tare_g <= box.max_weight_g


def _check_fill_factor(fill_factor: Decimal) -> None:
    if not 0 < fill_factor <= 1:
        raise ValueError(f"the fill factor must be above 0 and at most 1, not {fill_factor}")


def fits(items: Sequence[PackItem], box: Box, *, fill_factor: Decimal = Decimal(1)) -> bool:
    """True when `items` fit `box` by the rules above (unknown sizes are not held against it)."""
    _check_fill_factor(fill_factor)
    load = _Load.of(items)
    return _takes_all(box, load) and _has_room(box, load, fill_factor) and _carries(box, load)


def expected_weight_g(items: Sequence[PackItem], tare_g: int) -> int | None:
    """What the packed parcel should weigh, or None when any item's weight is unknown."""
    total = tare_g
    for item in items:
        if item.weight_g is None:
            return None
        total += item.weight_g * item.quantity
    return total


def suggest_box(
    items: Sequence[PackItem], boxes: Sequence[Box], *, fill_factor: Decimal = Decimal(1)
) -> BoxSuggestion:
    """The smallest of `boxes` that `items` fit, or code None and the reason none does.

    The reason names the first rule no box passes: sizes, then volume, then weight.
    """
    if not items:
        raise ValueError("nothing to pack")
    _check_fill_factor(fill_factor)
    load = _Load.of(items)
    by_size = [box for box in boxes if _takes_all(box, load)]
    by_room = [box for box in by_size if _has_room(box, load, fill_factor)]
    by_weight = [box for box in by_room if _carries(box, load)]
    if by_weight:
        best = min(by_weight, key=lambda box: (box.volume_mm3, box.tare_g, box.code))
        return _suggestion(best.code, f"{best.code}: the smallest box for {_summary(load)}", load)
    if not boxes:
        problem = "no box types are set up"
    elif not by_size:
        problem = _size_problem(boxes, load.measured)
    elif not by_room:
        roomiest = max(by_size, key=lambda box: box.volume_mm3)
        problem = (
            f"{_litres(load.volume_mm3, ROUND_CEILING)} l of goods, more than the biggest box"
            f" they fit in takes ({roomiest.code},"
            f" {_litres(roomiest.volume_mm3 * fill_factor, ROUND_FLOOR)} l)"
        )
    else:  # every box left has a maximum weight: one without would carry anything
        capacity, strongest = max(
            (
                (box.max_weight_g - box.tare_g, box)
                for box in by_room
                if box.max_weight_g is not None
            ),
            key=lambda pair: pair[0],
        )
        problem = (
            f"too heavy for box {strongest.code}, which carries"
            f" {format_kg(capacity, ROUND_FLOOR)} of goods at most"
        )
    return _suggestion(None, f"{_summary(load)}: {problem}", load)


def _suggestion(code: str | None, reason: str, load: _Load) -> BoxSuggestion:
    notes = []
    if load.missing_dimensions:
        notes.append(f"dimensions missing for SKU {', '.join(load.missing_dimensions)}")
    if load.missing_weight:
        notes.append(f"weight missing for SKU {', '.join(load.missing_weight)}")
    return BoxSuggestion(
        code,
        " - ".join([reason, *notes]),
        missing_dimensions=load.missing_dimensions,
        missing_weight=load.missing_weight,
    )


def _summary(load: _Load) -> str:
    """Units and weight, e.g. "7 items, 14.90 kg": the weight is rounded up, so it never
    reads as within a limit it breaks."""
    weight = format_kg(load.weight_g, ROUND_CEILING)
    at_least = "at least " if load.missing_weight else ""
    return f"{load.units} item{'' if load.units == 1 else 's'}, {at_least}{weight}"


def _litres(volume_mm3: int | Decimal, rounding: str) -> Decimal:
    return (Decimal(volume_mm3) / 1_000_000).quantize(_LITRE, rounding=rounding)


def _size_problem(boxes: Sequence[Box], measured: Sequence[_Measured]) -> str:
    """Why no one box takes every item's size: the item the fewest boxes take, and if some
    box does take it, the longest item none of those boxes takes."""
    takers = {m: frozenset(box for box in boxes if _takes(box, m.size)) for m in measured}
    scarcest = min(measured, key=lambda m: (len(takers[m]), -m.size[0]))
    if not takers[scarcest]:
        return f"no box takes {scarcest.described()}"
    for other in sorted(measured, key=lambda m: -m.size[0]):
        if not takers[scarcest] & takers[other]:
            return f"no one box takes both {scarcest.described()} and {other.described()}"
    return "no one box takes all of their sizes - pack them in more than one box"
