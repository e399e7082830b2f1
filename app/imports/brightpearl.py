"""Brightpearl: the JSON its order service returns for `GET /order-service/order/{ID-SET}`.

The response wrapper `{"response": [order, ...]}`, a bare list of orders, or one
order object. The order's `id` is the channel reference (Brightpearl's own
`reference` is free text and may be blank or repeated). What Brightpearl does to
these documents: numbers as strings with four decimals (`"2.0000"`, `"14.5000"`),
`orderRows` an object keyed by row id (not a list), the delivery address under
`parties.delivery` with `addressLine3` the town and `addressLine4` the county, and
the country as an alpha-3 code (`GBR`).

A row is shipped when it names a product (`productSku`); free-text rows (delivery
charges, discounts) are not lines. A bundle ships as its child rows. The unit price
is the row's net value over its quantity, in cents. Sales orders only: credits and
purchase orders, cancelled orders and orders Brightpearl has already shipped in full
(`shippingStatusCode` ASS) are skipped with the reason.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP
from pathlib import Path

from app.domain.channel_changes import ChannelClosure
from app.domain.new_order import Address, NewLine, NewOrder
from app.errors import ValidationFailed
from app.imports.common import Fields, Where, check_amounts, read_json
from app.imports.orders import Candidate, OrderFile, key_text, keyed_json_file
from db.types import CENT

CHANNEL_KIND = "brightpearl"
ALL_SHIPPED = "ASS"
PAYMENT = {"paid": "paid", "partially_paid": "partially_paid", "not_applicable": "paid"}


def read_orders(path: Path, channel: str | None) -> OrderFile:
    document = read_json(path)
    where = Where(path.name)
    if isinstance(document, dict) and isinstance(document.get("response"), list):
        items, at = document["response"], where.at("response")
    elif isinstance(document, list):
        items, at = document, where
    elif isinstance(document, dict) and "orderRows" in document:
        items, at = [document], None
    else:
        raise ValidationFailed(
            f"{path.name}: not a Brightpearl order response "
            '(expected {"response": [...]}, a list of orders or one order)'
        )
    entries = [(at.at(i) if at else where, item) for i, item in enumerate(items)]

    def candidate(place: Where, data: object) -> Candidate:
        return _candidate(place, data, channel or "brightpearl")

    return keyed_json_file(path, CHANNEL_KIND, entries, "id", candidate, _wrap)


def _wrap(orders: list[object]) -> object:
    return {"response": orders}


def _candidate(where: Where, data: object, channel: str) -> Candidate:
    problems: list[str] = []
    if not isinstance(data, dict):
        return Candidate("", problems=[f"{where}: must be an order object"], entries=[data])
    order = Fields(data, where, problems)
    ref = order.text("id", limit=64, required=True)
    candidate = Candidate(ref, problems=problems, entries=[data])
    kind = order.text("orderTypeCode", limit=8).upper()
    if kind != "SO":
        candidate.skipped = f"not a sales order ({kind or 'no orderTypeCode'}) in Brightpearl"
    elif order.flag("isCanceled", default=False):
        candidate.skipped = "cancelled in Brightpearl"
    elif order.text("shippingStatusCode", limit=8).upper() == ALL_SHIPPED:
        candidate.skipped = "already shipped in Brightpearl"
    if candidate.skipped:
        if kind == "SO":  # news for the order if it is already here
            shipped = candidate.skipped.startswith("already shipped")
            candidate.closure = ChannelClosure(
                channel, ref, candidate.skipped, str(where), handled=shipped
            )
        return candidate
    lines = _lines(order)
    if not lines and not problems:
        candidate.skipped = "nothing to ship (no product rows)"
        return candidate
    parties = order.child("parties")
    delivery = parties.child("delivery")
    customer = parties.child("customer")
    country = delivery.country("countryIsoCode", iso_names=True)
    address1, address2 = delivery.street("addressLine1", "addressLine2")
    totals = order.child("totalValue")
    payment = order.word("orderPaymentStatus")
    new_order = NewOrder(
        channel=channel,
        external_ref=ref,
        placed_at=order.moment("placedOn"),
        ship_to=Address(
            name=delivery.text("addressFullName", limit=200, required=True),
            company=delivery.optional("companyName", limit=200),
            address1=address1,
            address2=address2,
            city=delivery.text("addressLine3", limit=100, required=True),
            postcode=delivery.postcode("postalCode", country),
            region=delivery.optional("addressLine4", limit=100),
            country=country,
            phone=delivery.optional("telephone", limit=50)
            or delivery.optional("mobileTelephone", limit=50),
        ),
        lines=tuple(line for _, line in lines),
        email=delivery.email("email") or customer.email("email"),
        customer_name=customer.optional("addressFullName", limit=200),
        payment_status=PAYMENT.get(payment, payment[:20] or "unpaid"),
        currency=order.child("currency").currency("orderCurrencyCode"),
        tax_total=totals.money("taxAmount"),
        grand_total=totals.optional_money("total"),
        source=str(where),
    )
    check_amounts(new_order, order, lines, "rowValue")
    candidate.order = None if problems else new_order
    return candidate


def _rows(order: Fields) -> list[Fields]:
    """The rows in Brightpearl's order (orderRowSequence, then row id)."""
    value = order.values.get("orderRows")
    if not isinstance(value, dict):
        order.add("orderRows", "missing" if value is None else "must be an object keyed by row id")
        return []
    rows = order.child("orderRows")
    found = [rows.child(row_id) for row_id in value]

    def place(row: Fields) -> tuple[int, str]:
        sequence = key_text(row.values.get("orderRowSequence"))
        return (int(sequence) if sequence.isdigit() else 0, row.where.path)

    return sorted(found, key=place)


def _lines(order: Fields) -> list[tuple[Fields, NewLine]]:
    lines = []
    for row in _rows(order):
        composition = row.child("composition")
        if not row.has("productSku") or composition.flag("bundleParent", default=False):
            continue
        quantity = row.child("quantity").whole("magnitude")
        net = row.child("rowValue").child("rowNet").money("value")
        line = NewLine(
            sku=row.text("productSku", limit=64, required=True),
            quantity=quantity,
            unit_price=(net / quantity).quantize(CENT, ROUND_HALF_UP),
            name=row.optional("productName", limit=255),
        )
        lines.append((row, line))
    return lines
