"""What the documents show: plain frozen values, filled by the services, no database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class Address:
    """A postal address as the customer or channel gave it (untrusted text)."""

    name: str
    company: str = ""
    address1: str = ""
    address2: str = ""
    city: str = ""
    postcode: str = ""
    region: str = ""
    country: str = ""
    phone: str = ""


@dataclass(frozen=True, slots=True)
class LabelData:
    """One package's shipping label.

    `sscc` is the 18-digit SSCC including its check digit; `sscc_prefix_length` is the
    length of the GS1 company prefix inside it, used only to group the printed digits.
    """

    order_number: str
    external_ref: str
    ship_from: Address
    ship_to: Address
    carrier: str
    service_level: str
    weight_g: int
    package_index: int
    package_count: int
    tracking_number: str
    sscc: str
    sscc_prefix_length: int = 7
    weight_unit: str = "kg"  # kg, g or lb: as the site reads weights
    # A return label: the `R:` code printed where a shipping label has its SSCC
    # (which is then empty), from the customer to the returns dock.
    return_code: str = ""


@dataclass(frozen=True, slots=True)
class SlipLine:
    """One order line on a packing slip; quantities are units."""

    sku: str
    name: str
    qty_ordered: int
    qty_in_this_shipment: int
    qty_to_follow: int


@dataclass(frozen=True, slots=True)
class SlipData:
    """A packing slip for one shipment of an order."""

    order_number: str
    external_ref: str
    placed_at: datetime
    ship_to: Address
    lines: Sequence[SlipLine]
    return_code: str
    bill_to: Address | None = None
    notes: str = ""
    sender: str = ""  # the shop the customer bought from (channel branding, else company)
    return_to: Address | None = None


@dataclass(frozen=True, slots=True)
class PickLine:
    """One stop on a pick walk, in walking order."""

    sequence: int
    location_code: str
    sku: str
    name: str
    gtin: str
    qty: int
    order_number: str
    tote: str = ""


@dataclass(frozen=True, slots=True)
class PickListData:
    """A printed pick list; its barcode is `P:<number>`."""

    number: str
    lines: Sequence[PickLine]


@dataclass(frozen=True, slots=True)
class ProductLabelData:
    """A 2x1 in shelf/product label; `gtin` may be empty."""

    sku: str
    name: str
    gtin: str = ""


@dataclass(frozen=True, slots=True)
class LocationLabelData:
    """A bin label; its barcode is `L:<code>`."""

    code: str
