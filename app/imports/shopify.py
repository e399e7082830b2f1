"""Shopify's "Export orders" CSV, as the admin exports it.

One row per line item; the order's own columns are filled on its first row and
blank (or repeated, never different) on the rest. The rows of an order share its
Name (`#1001`), which becomes the channel reference, and follow each other; rows of
it further down are merged into it with a warning. Lines that need no shipping (gift
cards, downloads) are left out; other columns of the export are ignored.

What Shopify already did is kept, not dropped. A line whose `Lineitem fulfillment
status` is `fulfilled` was shipped by the shop: its units come in as handled
elsewhere. A `partial` line was shipped in part, and the export does not say how many
units: the order comes in on hold for the desk to check. An order cancelled in Shopify
(`Cancelled at`), or fulfilled there as a whole, is not imported; if it is already
here, intake cancels it (or, once picking has started, holds it).
"""

from __future__ import annotations

from pathlib import Path

from app.domain.channel_changes import ChannelClosure
from app.domain.new_order import Address, NewLine, NewOrder
from app.imports.common import (
    CsvRow,
    Fields,
    Where,
    check_amounts,
    check_columns,
    service_level,
    stream_csv,
)
from app.imports.orders import Candidate, OrderFile, keyed_csv_file

CHANNEL_KIND = "shopify"
REQUIRED = (
    "Name",
    "Created at",
    "Currency",
    "Lineitem quantity",
    "Lineitem sku",
    "Shipping Name",
    "Shipping City",
    "Shipping Zip",
    "Shipping Country",
)
ORDER_COLUMNS = (  # read from an order's first row; later rows leave them blank or agree
    "Email",
    "Financial Status",
    "Fulfillment Status",
    "Currency",
    "Shipping",
    "Taxes",
    "Total",
    "Shipping Method",
    "Created at",
    "Cancelled at",
    "Billing Name",
    "Billing Country",
    "Shipping Name",
    "Shipping Company",
    "Shipping Street",
    "Shipping Address1",
    "Shipping Address2",
    "Shipping City",
    "Shipping Zip",
    "Shipping Province",
    "Shipping Country",
    "Shipping Phone",
    "Phone",
)


def read_orders(path: Path, channel: str | None) -> OrderFile:
    table = stream_csv(path)
    check_columns(table, REQUIRED)
    if "Shipping Address1" not in table.columns and "Shipping Street" not in table.columns:
        check_columns(table, ("Shipping Address1",))

    def candidate(rows: list[CsvRow], problems: list[str]) -> Candidate:
        return _candidate(table.name, rows, problems, channel or "shopify")

    return keyed_csv_file(path, CHANNEL_KIND, table, "Name", ORDER_COLUMNS, candidate)


def _candidate(file: str, rows: list[CsvRow], problems: list[str], channel: str) -> Candidate:
    head = Fields(rows[0].values, Where(file, rows[0].line), problems)
    ref = head.text("Name", limit=64, required=True)
    candidate = Candidate(ref, problems=problems, rows=[row.cells for row in rows])
    items = [Fields(row.values, Where(file, row.line), problems) for row in rows]
    shipped = [item for item in items if item.word("Lineitem requires shipping") != "false"]
    fulfilled = [
        item for item in shipped if item.word("Lineitem fulfillment status") == "fulfilled"
    ]
    if head.has("Cancelled at"):
        candidate.skipped = "cancelled in Shopify"
    elif head.word("Fulfillment Status") == "fulfilled" or (fulfilled and fulfilled == shipped):
        candidate.skipped = "already fulfilled in Shopify"
    elif not shipped:
        candidate.skipped = "nothing to ship (no line needs shipping)"
    if candidate.skipped:
        if shipped:  # news for the order if it is already here
            candidate.closure = ChannelClosure(
                channel,
                ref,
                candidate.skipped,
                str(head.where),
                handled=not head.has("Cancelled at"),
            )
        return candidate
    country = head.country("Shipping Country")
    street_key = "Shipping Address1" if head.has("Shipping Address1") else "Shipping Street"
    address1, address2 = head.street(street_key, "Shipping Address2")
    phone = head.text("Shipping Phone", limit=50) or head.text("Phone", limit=50)
    lines = [(item, _line(item, item in fulfilled)) for item in shipped]
    partly = [
        f"line {number} ({line.sku}) partly fulfilled in Shopify; the export does not say "
        "how many units"
        for number, (item, line) in enumerate(lines, 1)
        if item.word("Lineitem fulfillment status") == "partial"
    ]
    order = NewOrder(
        channel=channel,
        external_ref=ref,
        placed_at=head.moment("Created at"),
        ship_to=Address(
            name=head.text("Shipping Name", limit=200, required=True),
            company=head.optional("Shipping Company", limit=200),
            address1=address1,
            address2=address2,
            city=head.text("Shipping City", limit=100, required=True),
            postcode=head.postcode("Shipping Zip", country),
            region=head.optional("Shipping Province", limit=100),
            country=country,
            phone=phone.removeprefix("'") or None,
        ),
        lines=tuple(line for _, line in lines),
        email=head.email("Email"),
        customer_name=head.optional("Billing Name", limit=200),
        service_level=service_level(head.text("Shipping Method", limit=200)),
        payment_status=head.word("Financial Status")[:20] or "pending",
        currency=head.currency("Currency"),
        shipping_total=head.money("Shipping"),
        tax_total=head.money("Taxes"),
        grand_total=head.optional_money("Total"),
        bill_country=head.optional_country("Billing Country"),
        source=str(head.where),
        hold_reasons=tuple(partly),
    )
    check_amounts(order, head, lines, "Lineitem price")
    candidate.order = None if problems else order
    return candidate


def _line(item: Fields, fulfilled: bool) -> NewLine:
    quantity = item.whole("Lineitem quantity")
    return NewLine(
        sku=item.text("Lineitem sku", limit=64, required=True),
        quantity=quantity,
        unit_price=item.money("Lineitem price"),
        name=item.optional("Lineitem name", limit=255),
        handled_elsewhere=quantity if fulfilled else 0,
    )
