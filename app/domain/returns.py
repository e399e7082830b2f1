"""Returns rules that need no database: what may be authorised and received, where a
unit of each condition may go, and what the customer gets back.

Services load the facts (shipped, returned, authorised per line), ask these functions,
and save what they decide; every refusal is one sentence naming the order or RMA,
the SKU and the numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import TypeVar

from app.errors import ValidationFailed

CENT = Decimal("0.01")
E = TypeVar("E", bound=StrEnum)
RMA_PATTERN = re.compile(r"RMA-\d{6,}")
# SKU=QTY:CONDITION:DISPOSITION[@LOCATION]
ITEM_PATTERN = re.compile(
    r"\s*([^=\s]+)\s*=\s*(\d{1,9})\s*:\s*(\w+)\s*:\s*(\w+)\s*(?:@\s*(\S+))?\s*"
)


class ReturnStatus(StrEnum):
    AUTHORISED = "authorised"  # expected, nothing received yet
    RECEIVED = "received"  # some units received, more expected
    CLOSED = "closed"  # every authorised unit received with a disposition
    CANCELLED = "cancelled"


OPEN = (ReturnStatus.AUTHORISED, ReturnStatus.RECEIVED)


class Resolution(StrEnum):
    REFUND = "refund"
    EXCHANGE = "exchange"
    CREDIT = "credit"


class Condition(StrEnum):
    SELLABLE = "sellable"
    OPENED = "opened"
    DAMAGED = "damaged"
    WRONG_ITEM = "wrong_item"  # the unit in the parcel is not what the line sold


class Disposition(StrEnum):
    RESTOCK = "restock"  # back to a pick or bulk bin: available again
    QUARANTINE = "quarantine"  # held for inspection
    SCRAP = "scrap"
    VENDOR = "vendor"  # set aside to go back to the supplier


# Where a unit of each condition may go: only whole goods go back on the shelf.
ALLOWED_DISPOSITIONS: Mapping[Condition, frozenset[Disposition]] = {
    Condition.SELLABLE: frozenset(Disposition),
    Condition.OPENED: frozenset(Disposition),
    Condition.DAMAGED: frozenset({Disposition.QUARANTINE, Disposition.SCRAP, Disposition.VENDOR}),
    Condition.WRONG_ITEM: frozenset({Disposition.QUARANTINE, Disposition.VENDOR}),
}
# Location kinds each disposition puts units into (restock: the scanned bin's kind).
DISPOSITION_LOCATION_KINDS: Mapping[Disposition, tuple[str, ...]] = {
    Disposition.RESTOCK: ("pick", "bulk"),
    Disposition.QUARANTINE: ("quarantine",),
    Disposition.SCRAP: ("scrap",),
    Disposition.VENDOR: ("returns",),
}
# The bin a disposition uses when none is given (made on first use).
DEFAULT_LOCATIONS: Mapping[Disposition, str] = {
    Disposition.QUARANTINE: "QUARANTINE",
    Disposition.SCRAP: "SCRAP",
    Disposition.VENDOR: "RTV",
}


def parse_enum(kind: type[E], text: str, what: str, where: str) -> E:
    try:
        return kind(text.strip().lower())
    except ValueError:
        names = ", ".join(e.value for e in kind)
        raise ValidationFailed(f"{where}: unknown {what} {text!r} (one of {names})") from None


def check_disposition(condition: Condition, disposition: Disposition, where: str) -> None:
    if disposition not in ALLOWED_DISPOSITIONS[condition]:
        allowed = ", ".join(sorted(d.value for d in ALLOWED_DISPOSITIONS[condition]))
        raise ValidationFailed(
            f"{where}: a {condition.value.replace('_', ' ')} unit cannot go to "
            f"{disposition.value}; it may go to {allowed}"
        )


@dataclass(frozen=True)
class ReturnableLine:
    """One order line as returns see it."""

    line_id: int
    sku: str
    shipped: int
    returned: int  # received back on any return
    outstanding: int  # authorised on open returns and not received yet

    @property
    def returnable(self) -> int:
        return self.shipped - self.returned - self.outstanding


def plan_authorisation(
    order_number: str, lines: Sequence[ReturnableLine], wanted: Mapping[str, int]
) -> list[tuple[ReturnableLine, int]]:
    """The lines and quantities to authorise, or ValidationFailed naming every problem.

    A SKU sold on several lines takes from them in line order.
    """
    problems: list[str] = []
    plan: list[tuple[ReturnableLine, int]] = []
    if not wanted:
        raise ValidationFailed(f"{order_number}: name at least one item to return (SKU=QTY)")
    for sku, qty in wanted.items():
        own = [line for line in lines if line.sku.upper() == sku.upper()]
        if not own:
            problems.append(f"{sku} is not on order {order_number}")
            continue
        if qty <= 0:
            problems.append(f"{sku}: quantity must be at least 1 (got {qty})")
            continue
        room = sum(max(line.returnable, 0) for line in own)
        if qty > room:
            shipped = sum(line.shipped for line in own)
            returned = sum(line.returned for line in own)
            outstanding = sum(line.outstanding for line in own)
            problems.append(
                f"{sku}: {qty} asked but only {room} can be returned on {order_number} "
                f"({shipped} shipped, {returned} returned, {outstanding} on open returns)"
            )
            continue
        left = qty
        for line in own:
            take = min(left, max(line.returnable, 0))
            if take:
                plan.append((line, take))
                left -= take
    if problems:
        raise ValidationFailed(_summary(problems), problems)
    return plan


@dataclass(frozen=True)
class ReceiptItem:
    """Units of one SKU as the clerk found them, and where they go."""

    sku: str
    quantity: int
    condition: Condition
    disposition: Disposition
    location: str | None = None  # a bin code; required for restock unless the line shipped from one
    source: str = ""  # "--item 2" or "scan 4", for messages


def parse_receipt_item(text: str, source: str) -> ReceiptItem:
    """`SKU=QTY:CONDITION:DISPOSITION[@LOCATION]`, as the CLI and scripts write it."""
    match = ITEM_PATTERN.fullmatch(text)
    if match is None:
        raise ValidationFailed(
            f"{source}: {text!r} is not SKU=QTY:CONDITION:DISPOSITION[@LOCATION] "
            "(e.g. TSHIRT-M=1:sellable:restock@A-01-01)"
        )
    sku, qty, condition, disposition, location = match.groups()
    item = ReceiptItem(
        sku,
        int(qty),
        parse_enum(Condition, condition, "condition", source),
        parse_enum(Disposition, disposition, "disposition", source),
        location.removeprefix("L:") if location else None,
        source,
    )
    if item.quantity < 1:
        raise ValidationFailed(f"{source}: quantity must be at least 1 (got {item.quantity})")
    check_disposition(item.condition, item.disposition, source)
    return item


@dataclass(frozen=True)
class ExpectedLine:
    """A line of a return being received."""

    return_line_id: int | None  # None: not on the return yet (an unexpected return)
    order_line_id: int
    sku: str
    authorised: int
    received: int


def plan_receipt(
    label: str,
    expected: Sequence[ExpectedLine],
    items: Sequence[ReceiptItem],
    *,
    unexpected: bool,
    returnable: Mapping[int, int] | None = None,
    received_by: str | None = None,
) -> list[tuple[ExpectedLine, ReceiptItem]]:
    """Match received units to the return's lines, or refuse the whole parcel.

    An authorised return takes no more than it authorised; an unexpected one (no RMA)
    takes up to what is `returnable` per order line (shipped, not returned or expected).
    """
    problems: list[str] = []
    plan: list[tuple[ExpectedLine, ReceiptItem]] = []
    taken: dict[int, int] = {}
    by_sku: dict[str, list[ExpectedLine]] = {}
    for line in expected:
        by_sku.setdefault(line.sku.upper(), []).append(line)
    for item in items:
        own = by_sku.get(item.sku.upper())
        if not own:
            problems.append(f"{item.source or item.sku}: {item.sku} is not on {label}")
            continue
        left = item.quantity
        for line in own:
            room = _room(line, unexpected, returnable) - taken.get(line.order_line_id, 0)
            take = min(left, max(room, 0))
            if take:
                plan.append((line, _part(item, take)))
                taken[line.order_line_id] = taken.get(line.order_line_id, 0) + take
                left -= take
        if left:
            room = sum(_room(line, unexpected, returnable) for line in own)
            already = sum(line.received for line in own)
            whom = f" ({received_by})" if received_by and already else ""
            if unexpected:
                last = f"; last received {received_by}" if received_by else ""
                problems.append(
                    f"{item.source or item.sku}: {item.sku}: more than was shipped and not yet "
                    f"returned on {label} ({room} can come back, {item.quantity} scanned{last})"
                )
            else:
                authorised = sum(line.authorised for line in own)
                problems.append(
                    f"{item.source or item.sku}: {item.sku}: {label} authorised {authorised}, "
                    f"{already} received already{whom}; {item.quantity} more is too many"
                )
    if problems:
        raise ValidationFailed(_summary(problems), problems)
    return plan


def _room(line: ExpectedLine, unexpected: bool, returnable: Mapping[int, int] | None) -> int:
    if unexpected:
        return (returnable or {}).get(line.order_line_id, 0)
    return line.authorised - line.received


def _part(item: ReceiptItem, quantity: int) -> ReceiptItem:
    return ReceiptItem(
        item.sku, quantity, item.condition, item.disposition, item.location, item.source
    )


def _summary(problems: list[str]) -> str:
    return problems[0] if len(problems) == 1 else f"{len(problems)} problems; nothing changed"


@dataclass(frozen=True)
class RefundTerms:
    """The site's refund policy (settings returns.*)."""

    restocking_fee_percent: Decimal = Decimal(0)
    fee_reasons: frozenset[str] = frozenset({"changed_mind"})
    refund_shipping: str = "faulty"  # never | faulty | always
    faulty_reasons: frozenset[str] = frozenset({"damaged", "wrong_item", "not_as_described"})


@dataclass(frozen=True)
class RefundedUnits:
    unit_price: Decimal
    quantity: int
    condition: Condition


@dataclass(frozen=True)
class RefundAmounts:
    goods: Decimal
    fee: Decimal
    shipping: Decimal

    @property
    def total(self) -> Decimal:
        return self.goods - self.fee + self.shipping


def refund_due(
    units: Iterable[RefundedUnits],
    reason: str,
    terms: RefundTerms,
    *,
    shipping_paid: Decimal,
    shipping_refunded: bool,
) -> RefundAmounts:
    """What the customer is owed for the units received so far.

    A unit that is not the item sold earns nothing; an opened unit, or any unit sent
    back for a fee reason (changed mind), pays the restocking fee; shipping is refunded
    once per order, when the policy covers the reason.
    """
    goods = Decimal(0)
    fee_base = Decimal(0)
    for unit in units:
        if unit.condition is Condition.WRONG_ITEM:
            continue
        amount = unit.unit_price * unit.quantity
        goods += amount
        if unit.condition is Condition.OPENED or reason in terms.fee_reasons:
            fee_base += amount
    fee = (fee_base * terms.restocking_fee_percent / 100).quantize(CENT, ROUND_HALF_UP)
    covered = terms.refund_shipping == "always" or (
        terms.refund_shipping == "faulty" and reason in terms.faulty_reasons
    )
    shipping = shipping_paid if covered and goods > 0 and not shipping_refunded else Decimal(0)
    return RefundAmounts(goods.quantize(CENT), min(fee, goods), shipping)


def return_number(value: int) -> str:
    return f"RMA-{value + 100000:06d}"


def rma_of(text: str) -> str | None:
    """The RMA number a scan or a typed reference names (`R:RMA-100001` or bare)."""
    candidate = text.strip().upper().removeprefix("R:").strip()
    return candidate if RMA_PATTERN.fullmatch(candidate) else None


def reason_label(code: str | None) -> str:
    """A reason code as people read it: doesnt_fit -> "Doesn't fit"."""
    if not code:
        return "(no RMA)"
    return code.replace("_", " ").capitalize().replace("Doesnt", "Doesn't")


def reason_codes(setting: str) -> tuple[str, ...]:
    return tuple(code.strip() for code in setting.split(",") if code.strip())
