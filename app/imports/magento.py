"""Magento 2 orders: the JSON that the REST API returns for `GET /V1/orders`.

Either the search result `{"items": [...], "total_count": N}` or one order object.
Times are UTC. The shipping address and method sit under
`extension_attributes.shipping_assignments[0].shipping`. A configurable product is
sold as a parent item and a simple child item with the same SKU: the parent (which
carries the price) is kept and the child skipped. A bundle is shipped as its child
items. Virtual and downloadable items need no shipping. An order (`increment_id`)
listed twice is imported once if both copies are the same, and refused if they differ.

What Magento already did is kept: an item's `qty_shipped`, `qty_refunded` and
`qty_canceled` are units handled elsewhere, never reserved or shipped here (Magento's
own quantity to ship is ordered minus those three). Orders that Magento has
completed, closed or cancelled are not imported; if one is already here, intake
cancels it (or, once picking has started, holds it).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from app.domain.channel_changes import ChannelClosure
from app.domain.new_order import Address, NewLine, NewOrder
from app.errors import ValidationFailed
from app.imports.common import Fields, Where, check_amounts, read_json, service_level
from app.imports.orders import Candidate, OrderFile, keyed_json_file

CHANNEL_KIND = "magento"
FINISHED_STATES = ("complete", "closed", "canceled")
HANDLED = ("qty_shipped", "qty_refunded", "qty_canceled")
NOT_SHIPPED = ("bundle", "virtual", "downloadable")


def read_orders(path: Path, channel: str | None) -> OrderFile:
    document = read_json(path)
    where = Where(path.name)
    if isinstance(document, dict) and "increment_id" in document:
        entries: list[tuple[Where, object]] = [(where, document)]
    elif isinstance(document, dict) and isinstance(document.get("items"), list):
        entries = [(where.at("items").at(i), item) for i, item in enumerate(document["items"])]
    else:
        raise ValidationFailed(
            f"{path.name}: not a Magento orders response "
            '(expected {"items": [...], "total_count": N} or one order)'
        )

    def candidate(at: Where, data: object) -> Candidate:
        return _candidate(at, data, channel or "magento")

    return keyed_json_file(path, CHANNEL_KIND, entries, "increment_id", candidate, _wrap)


def _wrap(orders: list[object]) -> object:
    return {"items": orders, "total_count": len(orders)}


def _candidate(where: Where, data: object, channel: str) -> Candidate:
    problems: list[str] = []
    if not isinstance(data, dict):
        return Candidate("", problems=[f"{where}: must be an order object"], entries=[data])
    order = Fields(data, where, problems)
    ref = order.text("increment_id", limit=64, required=True)
    candidate = Candidate(ref, problems=problems, entries=[data])
    state = order.word("state")
    if state in FINISHED_STATES:
        candidate.skipped = f"{state} in Magento"
        candidate.closure = ChannelClosure(
            channel, ref, candidate.skipped, str(where), handled=state != "canceled"
        )
        return candidate
    lines = _lines(order)
    if not lines and not problems:
        candidate.skipped = "nothing to ship (only virtual or downloadable items)"
        return candidate
    extension = order.child("extension_attributes")
    assignments = extension.children("shipping_assignments")
    if extension.values.get("shipping_assignments") == []:
        extension.add("shipping_assignments", "empty: the order has no shipping address")
    if not assignments:
        return candidate
    shipping = assignments[0].child("shipping")
    address = shipping.child("address")
    country = address.country("country_id")
    address1, address2 = address.street("street")
    name = " ".join(
        part
        for key in ("firstname", "lastname")
        if (part := address.text(key, limit=99, required=key == "lastname"))
    )
    customer = " ".join(
        part
        for key in ("customer_firstname", "customer_lastname")
        if (part := order.text(key, limit=99))
    )
    grand_total = order.optional_money("grand_total")
    new_order = NewOrder(
        channel=channel,
        external_ref=ref,
        placed_at=order.moment("created_at"),
        ship_to=Address(
            name=name,
            company=address.optional("company", limit=200),
            address1=address1,
            address2=address2,
            city=address.text("city", limit=100, required=True),
            postcode=address.postcode("postcode", country),
            region=address.optional("region", limit=100),
            country=country,
            phone=address.optional("telephone", limit=50),
        ),
        lines=tuple(line for _, line in lines),
        email=order.email("customer_email"),
        customer_name=customer or None,
        service_level=service_level(
            f"{shipping.text('method', limit=200)} {order.text('shipping_description', limit=200)}"
        ),
        payment_status=_payment_status(order, state, grand_total),
        currency=order.currency("order_currency_code"),
        shipping_total=order.money("shipping_amount"),
        tax_total=order.money("tax_amount"),
        grand_total=grand_total,
        bill_country=order.child("billing_address").optional_country("country_id"),
        source=str(where),
    )
    check_amounts(new_order, order, lines, "price")
    candidate.order = None if problems else new_order
    return candidate


def _lines(order: Fields) -> list[tuple[Fields, NewLine]]:
    items = order.children("items")
    by_id = {item.word("item_id"): item for item in items if item.has("item_id")}
    lines = []
    for item in items:
        parent = by_id.get(item.word("parent_item_id"))
        if parent is not None and parent.word("product_type") == "configurable":
            continue
        if item.word("product_type") in NOT_SHIPPED or item.flag("is_virtual", default=False):
            continue
        quantity = item.whole("qty_ordered")
        handled = sum(item.optional_whole(key) or 0 for key in HANDLED)
        line = NewLine(
            sku=item.text("sku", limit=64, required=True),
            quantity=quantity,
            unit_price=item.money("price"),
            name=item.optional("name", limit=255),
            handled_elsewhere=min(handled, quantity),
        )
        lines.append((item, line))
    return lines


def _payment_status(order: Fields, state: str, total: Decimal | None) -> str:
    """`paid` once Magento has taken the money, `authorized` while it is processing."""
    paid = order.optional_money("total_paid")
    if paid is not None and total is not None and paid >= total:
        return "paid"
    if state == "processing":
        return "authorized"
    return (order.word("status") or state or "pending")[:20]
