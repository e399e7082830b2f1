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

from collections.abc import Callable
from decimal import Decimal
from operator import gt
from pathlib import Path

from app.domain.channel_changes import ChannelClosure
from app.domain.new_order import Address, NewLine, NewOrder
from app.imports.codes import CURRENCIES, NO_POSTCODE, country_code
from app.imports.common import (
    MAX_WHOLE,
    CsvColumns,
    CsvRow,
    Fields,
    Where,
    _whole,
    check_amounts,
    check_columns,
    parse_moment,
    plain_amount,
    service_level,
    stream_csv,
)
from app.imports.orders import Candidate, OrderFile, keyed_csv_file
from db.types import MONEY_MAX

CHANNEL_KIND = "shopify"
ZERO = Decimal("0")
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


HEAD_TEXTS = (  # the texts `_plain_order` reads from an order's first row, and their limits
    ("Name", 64),
    ("Shipping Address1", 200),
    ("Shipping Street", 200),
    ("Shipping Address2", 200),
    ("Shipping Phone", 50),
    ("Phone", 50),
    ("Shipping Name", 200),
    ("Shipping Company", 200),
    ("Shipping City", 100),
    ("Shipping Zip", 20),
    ("Shipping Province", 100),
    ("Email", 255),
    ("Billing Name", 200),
    ("Shipping Method", 200),
)
TEXT_LIMITS = [limit for _column, limit in HEAD_TEXTS]
TEXTS = len(HEAD_TEXTS)
HEAD_COLUMNS = [column for column, _limit in HEAD_TEXTS] + [  # then codes, times, amounts
    "Cancelled at",
    "Fulfillment Status",
    "Financial Status",
    "Created at",
    "Currency",
    "Shipping Country",
    "Billing Country",
    "Shipping",
    "Taxes",
    "Total",
]
LINE = (  # what it reads from each row for the row's line
    "Lineitem requires shipping",
    "Lineitem fulfillment status",
    "Lineitem quantity",
    "Lineitem sku",
    "Lineitem price",
    "Lineitem name",
)
Picker = Callable[[list[str]], tuple[str, ...]]


def read_orders(path: Path, channel: str | None) -> OrderFile:
    table = stream_csv(path)
    check_columns(table, REQUIRED)
    if "Shipping Address1" not in table.columns and "Shipping Street" not in table.columns:
        check_columns(table, ("Shipping Address1",))
    columns = CsvColumns(table.columns)
    head_of, line_of = columns.picker(HEAD_COLUMNS), columns.picker(LINE)
    code = channel or "shopify"

    def candidate(rows: list[CsvRow], problems: list[str]) -> Candidate:
        order = None if problems else _plain_order(table.name, rows, code, head_of, line_of)
        if order is not None:
            return Candidate(order.external_ref, order, rows=[row.cells for row in rows])
        return _candidate(table.name, rows, problems, code)

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


def _plain_order(
    file: str, rows: list[CsvRow], channel: str, head_of: Picker, line_of: Picker
) -> NewOrder | None:
    """The order `_candidate` reads, read the short way: cells by position, each
    value checked once, no `Fields`. None unless every cell read is printable text
    that the long way takes as it stands: nothing to say about it, every line to
    ship here, no reason to hold the order, not cancelled or fulfilled in Shopify.
    The long way then reads the order and says its problems (test_fast_paths.py
    holds the two ways to the same orders)."""
    lines = []
    for row in rows:
        values = line_of(row.cells)
        if not "".join(values).isprintable():
            return None
        shipping, status, quantity_text, sku, price, name = values
        quantity = _whole(quantity_text)
        unit_price = plain_amount(price) if price.strip() else ZERO
        sku, name = " ".join(sku.split()), " ".join(name.split())
        if (
            shipping.strip().casefold() == "false"
            or status.strip().casefold() in ("fulfilled", "partial")
            or quantity is None
            or not 1 <= quantity <= MAX_WHOLE
            or unit_price is None
            or not 0 < len(sku) <= 64
            or len(name) > 255
        ):
            return None
        lines.append(NewLine(sku=sku, quantity=quantity, unit_price=unit_price, name=name or None))

    values = head_of(rows[0].cells)
    if not "".join(values).isprintable():
        return None
    texts = [" ".join(value.split()) for value in values[:TEXTS]]
    if any(map(gt, map(len, texts), TEXT_LIMITS)):
        return None
    ref, address1, street, address2, phone, other_phone, name, company, city = texts[:9]
    postcode, region, email, billing_name, method = texts[9:14]
    cancelled, fulfillment, paid, placed, currency, country, billing_country = values[TEXTS:-3]
    shipping, taxes, total = values[-3:]
    address1 = address1 or street
    phone = phone or other_phone
    placed_at = parse_moment(placed.strip())
    country_found = country_code(country) if country.strip() else None
    bill_country = country_code(billing_country) if billing_country.strip() else None
    currency = currency.strip().upper()
    postcode = postcode.removeprefix("'")
    shipping_total = plain_amount(shipping) if shipping.strip() else ZERO
    tax_total = plain_amount(taxes) if taxes.strip() else ZERO
    grand_total = plain_amount(total) if total.strip() else None
    if (
        not (ref and name and city and address1)
        or cancelled.strip()
        or fulfillment.strip().casefold() == "fulfilled"
        or placed_at is None
        or country_found is None
        or (bill_country is None and billing_country.strip())
        or currency not in CURRENCIES
        or (not postcode and country_found not in NO_POSTCODE)
        or (email and ("@" not in email or " " in email))
        or shipping_total is None
        or tax_total is None
        or (grand_total is None and total.strip())
    ):
        return None
    order = NewOrder(
        channel=channel,
        external_ref=ref,
        placed_at=placed_at,
        ship_to=Address(
            name=name,
            company=company or None,
            address1=address1,
            address2=address2 or None,
            city=city,
            postcode=postcode,
            region=region or None,
            country=country_found,
            phone=phone.removeprefix("'") or None,
        ),
        lines=tuple(lines),
        email=email or None,
        customer_name=billing_name or None,
        service_level=service_level(method),
        payment_status=paid.strip().casefold()[:20] or "pending",
        currency=currency,
        shipping_total=shipping_total,
        tax_total=tax_total,
        grand_total=grand_total,
        bill_country=bill_country,
        source=f"{file}:{rows[0].line}",
    )
    return order if order.subtotal <= MONEY_MAX and order.total <= MONEY_MAX else None


def _line(item: Fields, fulfilled: bool) -> NewLine:
    quantity = item.whole("Lineitem quantity")
    return NewLine(
        sku=item.text("Lineitem sku", limit=64, required=True),
        quantity=quantity,
        unit_price=item.money("Lineitem price"),
        name=item.optional("Lineitem name", limit=255),
        handled_elsewhere=quantity if fulfilled else 0,
    )
