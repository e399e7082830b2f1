"""NetSuite: a transaction saved search of sales orders, exported as CSV.

One row per line of the order (the search's "Main Line" criterion set to false),
with the columns under their default labels: Document Number (`SO1042`, the
channel reference), Date, Customer (or Name), Status, Currency, the Shipping
Addressee / Address 1 / Address 2 / City / State/Province / Zip / Country /
Phone fields, Email, Ship Via, Item, Description, Quantity, Rate, Amount. A
search that also returns the main line gives each order a row with a blank Item:
it carries the order's columns and is not a line. Rows with a blank Quantity
(discount, subtotal and markup items) are not shipped lines either.

What NetSuite does to these files: a byte-order mark before the header, quoted
multi-line addresses, the status as "Pending Fulfillment" or "Sales Order:Pending
Fulfillment", sub-items written "Parent : Child" (the SKU is the last part), dates
as the account writes them (`3/5/2024`, `3/5/2024 2:07 pm`, `05.03.2024` or ISO),
countries and currencies by name ("Germany", "Euro").

Approved orders still to ship (Pending Fulfillment, Partially Fulfilled, Pending
Billing/Partially Fulfilled) come in as authorised; the rest are skipped with
NetSuite's reason (not approved yet, already fulfilled, billed, closed, cancelled).
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

from app.domain.channel_changes import ChannelClosure
from app.domain.new_order import Address, NewLine, NewOrder
from app.imports.common import (
    CsvRow,
    Fields,
    Where,
    check_amounts,
    check_columns,
    parse_moment,
    service_level,
    shown,
    stream_csv,
)
from app.imports.orders import Candidate, OrderFile, keyed_csv_file
from db.types import CENT

CHANNEL_KIND = "netsuite"
REQUIRED = (
    "Document Number",
    "Date",
    "Status",
    "Currency",
    "Item",
    "Quantity",
    "Shipping Addressee",
    "Shipping Address 1",
    "Shipping City",
    "Shipping Zip",
    "Shipping Country",
)
CUSTOMER_COLUMNS = ("Customer", "Name")  # "Name" is the default label of the entity
ORDER_COLUMNS = (
    "Date",
    *CUSTOMER_COLUMNS,
    "Status",
    "Currency",
    "Email",
    "Ship Via",
    "Shipping Cost",
    "Tax Total",
    "Shipping Addressee",
    "Shipping Attention",
    "Shipping Address 1",
    "Shipping Address 2",
    "Shipping City",
    "Shipping State/Province",
    "Shipping Zip",
    "Shipping Country",
    "Shipping Phone",
)
TO_SHIP = frozenset(
    {"pending fulfillment", "partially fulfilled", "pending billing/partially fulfilled"}
)
NOT_TO_SHIP = {
    "pending approval": "pending approval in NetSuite",
    "pending billing": "already fulfilled in NetSuite",
    "billed": "already fulfilled and billed in NetSuite",
    "closed": "closed in NetSuite",
    "cancelled": "cancelled in NetSuite",
    "canceled": "cancelled in NetSuite",
}
FULFILLED = frozenset({"pending billing", "billed"})  # shipped by NetSuite's own warehouse
CALLED_OFF = frozenset({"closed", "cancelled", "canceled"})  # never to ship
DATE_FORMATS = ("%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M", "%m/%d/%Y", "%d.%m.%Y")
CURRENCY_NAMES = {
    "euro": "EUR",
    "us dollar": "USD",
    "british pound": "GBP",
    "pound sterling": "GBP",
    "canadian dollar": "CAD",
    "australian dollar": "AUD",
    "swiss franc": "CHF",
    "danish krone": "DKK",
    "swedish krona": "SEK",
    "norwegian krone": "NOK",
    "polish zloty": "PLN",
    "japanese yen": "JPY",
}


def read_orders(path: Path, channel: str | None) -> OrderFile:
    table = stream_csv(path)
    check_columns(table, REQUIRED)
    if not any(c in table.columns for c in CUSTOMER_COLUMNS):
        check_columns(table, CUSTOMER_COLUMNS[:1])

    def candidate(rows: list[CsvRow], problems: list[str]) -> Candidate:
        return _candidate(table.name, rows, problems, channel or "netsuite")

    return keyed_csv_file(path, CHANNEL_KIND, table, "Document Number", ORDER_COLUMNS, candidate)


def _candidate(file: str, rows: list[CsvRow], problems: list[str], channel: str) -> Candidate:
    records = [Fields(row.values, Where(file, row.line), problems) for row in rows]
    head = records[0]
    ref = head.text("Document Number", limit=64, required=True)
    candidate = Candidate(ref, problems=problems, rows=[row.cells for row in rows])
    status = head.word("Status").rpartition(":")[2].strip()
    if status in NOT_TO_SHIP:
        candidate.skipped = NOT_TO_SHIP[status]
        if status in FULFILLED | CALLED_OFF:  # news for the order if it is already here
            candidate.closure = ChannelClosure(
                channel, ref, candidate.skipped, str(head.where), handled=status in FULFILLED
            )
        return candidate
    if status not in TO_SHIP:
        head.add("Status", f"not a sales order status: {shown(head.values.get('Status'))}")
    items = [r for r in records if r.has("Item") and r.has("Quantity")]
    if not items and not problems:
        candidate.skipped = "nothing to ship (no item line with a quantity)"
        return candidate
    lines = [(item, _line(item)) for item in items]
    country = head.country("Shipping Country", iso_names=True)
    address1, address2 = head.street("Shipping Address 1", "Shipping Address 2")
    addressee = head.text("Shipping Addressee", limit=200, required=True)
    # "Attention: a person" at a company addressee: the parcel is for the person.
    attention = head.text("Shipping Attention", limit=200)
    customer = head.text("Customer", limit=200) or head.text("Name", limit=200)
    order = NewOrder(
        channel=channel,
        external_ref=ref,
        placed_at=_date(head, "Date"),
        ship_to=Address(
            name=attention or addressee,
            company=addressee if attention else None,
            address1=address1,
            address2=address2,
            city=head.text("Shipping City", limit=100, required=True),
            postcode=head.postcode("Shipping Zip", country),
            region=head.optional("Shipping State/Province", limit=100),
            country=country,
            phone=head.optional("Shipping Phone", limit=50),
        ),
        lines=tuple(line for _, line in lines),
        email=head.email("Email"),
        customer_name=customer or None,
        service_level=service_level(head.text("Ship Via", limit=200)),
        payment_status="authorized",  # an approved sales order is released to ship
        currency=_currency(head),
        shipping_total=head.money("Shipping Cost"),
        tax_total=head.money("Tax Total"),
        source=str(head.where),
    )
    check_amounts(order, head, lines, "Rate")
    candidate.order = None if problems else order
    return candidate


def _line(item: Fields) -> NewLine:
    sku = item.text("Item", limit=255).rpartition(":")[2].strip()
    if len(sku) > 64:
        item.add("Item", "the item name (after its parent's) is longer than 64 characters")
    quantity = item.whole("Quantity")
    price = item.money("Rate") if item.has("Rate") else _rate_from_amount(item, quantity)
    return NewLine(
        sku=sku[:64],
        quantity=quantity,
        unit_price=price,
        name=item.optional("Description", limit=255),
    )


def _rate_from_amount(item: Fields, quantity: int) -> Decimal:
    """A line without a Rate (a price-level item): its Amount over its Quantity."""
    rate = item.money("Amount") / quantity
    if rate != rate.quantize(CENT):
        item.add("Rate", f"blank, and Amount / Quantity = {rate:.4f} is not a whole cent")
    return rate.quantize(CENT)


def _date(record: Fields, key: str) -> datetime:
    text = record.text(key, limit=40)
    if not text:
        record.add(key, "required")
        return datetime(1970, 1, 1, tzinfo=UTC)
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text.upper(), pattern).replace(tzinfo=UTC)
        except ValueError:
            continue
    moment = parse_moment(text)
    if moment is None:
        record.add(key, f"not a date: {shown(text)} (NetSuite writes 3/5/2024 or 3/5/2024 2:07 pm)")
        return datetime(1970, 1, 1, tzinfo=UTC)
    return moment


def _currency(record: Fields) -> str:
    named = CURRENCY_NAMES.get(record.word("Currency"))
    if named is not None:
        return named
    return record.currency("Currency")
