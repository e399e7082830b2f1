"""An order as it arrives from a channel, before it has a number."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import cached_property

SERVICE_PRIORITY = {"overnight": 1, "express": 2, "standard": 5, "economy": 7}


@dataclass(frozen=True)
class Address:
    name: str
    address1: str
    city: str
    postcode: str
    country: str
    company: str | None = None
    address2: str | None = None
    region: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class NewLine:
    sku: str
    quantity: int
    unit_price: Decimal = Decimal("0")
    name: str | None = None
    # Units the channel dealt with itself (shipped by the shop, cancelled, refunded):
    # shown on the order, never reserved, picked or shipped here.
    handled_elsewhere: int = 0


@dataclass(frozen=True)
class NewOrder:
    channel: str
    external_ref: str
    placed_at: datetime
    ship_to: Address
    lines: tuple[NewLine, ...]
    email: str | None = None
    customer_name: str | None = None
    service_level: str = "standard"
    ship_by: datetime | None = None
    payment_status: str = "paid"
    currency: str = "EUR"
    shipping_total: Decimal = Decimal("0")
    tax_total: Decimal = Decimal("0")
    grand_total: Decimal | None = None
    bill_country: str | None = None
    allow_partial: bool | None = None
    source: str = field(default="", compare=False)  # "file:line" for messages
    # What the export says that a person must look at before it ships (for example a
    # line the shop fulfilled in part, without saying how many): the order comes in held.
    hold_reasons: tuple[str, ...] = ()

    @property
    def priority(self) -> int:
        return SERVICE_PRIORITY.get(self.service_level, SERVICE_PRIORITY["standard"])

    @cached_property  # intake asks each order for its sums about five times
    def subtotal(self) -> Decimal:
        return sum((line.unit_price * line.quantity for line in self.lines), Decimal("0"))

    @cached_property
    def total(self) -> Decimal:
        if self.grand_total is not None:
            return self.grand_total
        return self.subtotal + self.shipping_total + self.tax_total
