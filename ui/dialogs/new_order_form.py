"""What the manual order form holds, what is wrong with it, and the NewOrder it becomes.

No Qt here: the dialog reads its widgets into an `OrderForm`, asks `problems` which
fields to flag, and hands `build_order`'s result to intake.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from app.domain.new_order import Address, NewLine, NewOrder

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
COUNTRY = re.compile(r"[A-Z]{2}")
# Longest value each field's column takes (PostgreSQL enforces them).
MAX_LENGTHS = {
    "customer_name": 200,
    "company": 200,
    "email": 255,
    "phone": 50,
    "ship_name": 200,
    "address1": 200,
    "address2": 200,
    "postcode": 20,
    "city": 100,
    "region": 100,
}
LABELS = {
    "channel": "Channel",
    "customer_name": "Customer name",
    "company": "Company",
    "email": "E-mail",
    "phone": "Phone",
    "ship_name": "Recipient",
    "address1": "Street address",
    "address2": "Address line 2",
    "postcode": "Postcode",
    "city": "City",
    "region": "Region",
    "country": "Country",
    "ship_by": "Ship by",
    "lines": "Lines",
}


@dataclass(frozen=True)
class OrderForm:
    """The form's values, stripped; empty strings for fields left blank."""

    channel: str
    customer_name: str
    company: str
    email: str
    phone: str
    ship_name: str
    address1: str
    address2: str
    postcode: str
    city: str
    region: str
    country: str
    service_level: str
    payment_status: str
    ship_by: datetime | None
    lines: tuple[NewLine, ...]
    shipping_total: Decimal = Decimal("0")
    tax_total: Decimal = Decimal("0")


def problems(form: OrderForm, now: datetime) -> dict[str, str]:
    """Field name -> what is wrong with it, in the order the form shows the fields."""
    found: dict[str, str] = {}
    if not form.channel:
        found["channel"] = "Choose the channel the order came in by"
    for name in ("customer_name", "address1", "postcode", "city"):
        if not getattr(form, name):
            found[name] = f"{LABELS[name]} is required"
    if form.email and not EMAIL.fullmatch(form.email):
        found["email"] = "This does not look like an e-mail address (name@example.com)"
    elif not form.email and not form.phone:
        found["email"] = "Give an e-mail or a phone number so the customer can be reached"
    for name, limit in MAX_LENGTHS.items():
        if name not in found and len(getattr(form, name)) > limit:
            found[name] = f"{LABELS[name]} is too long (at most {limit} characters)"
    if not COUNTRY.fullmatch(form.country):
        found["country"] = "Choose the country (two-letter code, e.g. DE)"
    if form.ship_by is not None and form.ship_by < now:
        found["ship_by"] = "Ship-by is in the past"
    if not form.lines:
        found["lines"] = "Add at least one product: type a SKU or name, or scan a barcode"
    order = list(LABELS)
    return dict(sorted(found.items(), key=lambda item: order.index(item[0])))


def external_ref(channel: str, now: datetime) -> str:
    """The channel reference of a manual order, e.g. PHONE-20250612-143005."""
    return f"{channel.upper()}-{now:%Y%m%d-%H%M%S}"


def build_order(form: OrderForm, now: datetime) -> NewOrder:
    """The NewOrder for a form without problems, placed `now`."""
    return NewOrder(
        channel=form.channel,
        external_ref=external_ref(form.channel, now),
        placed_at=now,
        ship_to=Address(
            name=form.ship_name or form.customer_name,
            address1=form.address1,
            city=form.city,
            postcode=form.postcode,
            country=form.country,
            company=form.company or None,
            address2=form.address2 or None,
            region=form.region or None,
            phone=form.phone or None,
        ),
        lines=form.lines,
        email=form.email or None,
        customer_name=form.customer_name,
        service_level=form.service_level,
        ship_by=form.ship_by,
        payment_status=form.payment_status,
        shipping_total=form.shipping_total,
        tax_total=form.tax_total,
    )
