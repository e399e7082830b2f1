"""Shipshape's own order files, for any channel without an export of its own.

CSV: one row per order line. Columns, in any order (* = required):

    channel, external_ref*, placed_at*, email, name*, company, address1*, address2,
    city*, postcode*, region, country*, phone, service_level, ship_by, currency,
    payment_status, shipping_total, tax_total, bill_country, cancelled, sku*,
    quantity*, shipped_quantity, unit_price, item_name

The rows of one order share `channel` and `external_ref` (on every row) and
should follow each other; rows of it further down are merged into it with a
warning. Its order columns may be repeated on every row or left blank after the
first, but must not disagree. `channel` may be left out when `--channel` names it.
`placed_at` and `ship_by` are ISO 8601 (`2024-03-05T14:07:12+01:00`; without an
offset they are UTC; `ship_by` may be a date). `service_level` is overnight,
express, standard (default) or economy; `currency` an ISO 4217 code (default
EUR); `payment_status` defaults to paid; countries are 2-letter ISO codes (common
English names are understood); money has a decimal point and at most 2 places.
A postcode may be blank only where the country has none (such as HK or AE).
`shipped_quantity` (default 0) is how many of the line's units the channel already
shipped itself: they are shown as handled elsewhere and never reserved or shipped
here. `cancelled` true means the channel cancelled the order: it is not imported,
and if it is already here it is cancelled (held once picking has started).

JSON: a list of orders, each an object with the same order keys and `lines`, a
list of objects with `sku`, `quantity`, `shipped_quantity`, `unit_price` and
`name`. Two objects with the same `channel` and `external_ref` are one order: the
same object again is imported once, otherwise their lines are merged (order keys
blank or equal).

Text holds no control characters; numbers are ASCII digits with a decimal point
(no exponent); each line's total and the order's total fit 9999999999.99.
"""

from __future__ import annotations

from pathlib import Path

from app.domain.channel_changes import ChannelClosure
from app.domain.new_order import SERVICE_PRIORITY, Address, NewLine, NewOrder
from app.errors import ValidationFailed
from app.imports.common import (
    CsvRow,
    Fields,
    Where,
    check_amounts,
    check_columns,
    read_json,
    shown,
    stream_csv,
)
from app.imports.orders import (
    Candidate,
    OrderFile,
    OrderKey,
    csv_order_file,
    folded,
    group_entries,
    key_text,
)

ORDER_KEYS = (
    "channel",
    "external_ref",
    "placed_at",
    "email",
    "name",
    "company",
    "address1",
    "address2",
    "city",
    "postcode",
    "region",
    "country",
    "phone",
    "service_level",
    "ship_by",
    "currency",
    "payment_status",
    "shipping_total",
    "tax_total",
    "bill_country",
    "cancelled",
)
CSV_LINE_COLUMNS = ("sku", "quantity", "shipped_quantity", "unit_price", "item_name")
JSON_LINE_KEYS = ("sku", "quantity", "shipped_quantity", "unit_price", "name")
REQUIRED_COLUMNS = (
    "external_ref",
    "placed_at",
    "name",
    "address1",
    "city",
    "postcode",
    "country",
    "sku",
    "quantity",
)


def read_csv_orders(path: Path, channel: str | None) -> OrderFile:
    table = stream_csv(path, fold=True)
    check_columns(table, REQUIRED_COLUMNS, ORDER_KEYS + CSV_LINE_COLUMNS)

    def key(row: CsvRow) -> OrderKey | None:
        ref = key_text(row.cell("external_ref"))
        return (key_text(row.cell("channel")) or channel or "", ref) if ref else None

    def candidate(rows: list[CsvRow], problems: list[str]) -> Candidate:
        records = [Fields(row.values, Where(table.name, row.line), problems) for row in rows]
        lines = [(record, _line(record, "item_name")) for record in records]
        return _candidate(records[0], lines, channel, rows=[r.cells for r in rows])

    return csv_order_file(path, "csv", table, key, ORDER_KEYS, candidate)


def read_json_orders(path: Path, channel: str | None) -> OrderFile:
    document = read_json(path)
    if not isinstance(document, list):
        raise ValidationFailed(f"{path.name}: must be a list of orders")

    def key(data: object) -> OrderKey | None:
        if not isinstance(data, dict):
            return None
        ref = key_text(data.get("external_ref"))
        return (key_text(data.get("channel")) or channel or "", ref) if ref else None

    warnings: list[str] = []
    entries = [(Where(path.name).at(index), data) for index, data in enumerate(document)]
    candidates = [
        _json_candidate(group, channel, warnings) for group in group_entries(entries, key, warnings)
    ]
    return OrderFile(path, "json", candidates, json_wrap=list, warnings=warnings)


def _json_candidate(
    group: list[tuple[Where, object]], channel: str | None, warnings: list[str]
) -> Candidate:
    """One order from its object(s); later objects add lines and repeat or omit order keys."""
    where, data = group[0]
    if not isinstance(data, dict):
        return Candidate("", problems=[f"{where}: must be an object"], entries=[data])
    head = Fields(data, where, [])
    records = [head] + [Fields(d, w, head.problems) for w, d in group[1:] if isinstance(d, dict)]
    lines = []
    for record in records:
        record.unknown_keys((*ORDER_KEYS, "lines"))
        for item in record.children("lines"):
            item.unknown_keys(JSON_LINE_KEYS)
            lines.append((item, _line(item, "name")))
    if not lines and isinstance(data.get("lines"), list):
        head.add("lines", "an order needs at least one line")
    for record in records[1:]:
        differ = [
            key
            for key in ORDER_KEYS
            if folded(record.values.get(key))
            and folded(record.values.get(key)) != folded(data.get(key))
        ]
        for key in differ:
            record.add(key, f"{shown(record.values[key])} differs from {where} of the same order")
        if not differ:
            warnings.append(
                f"{record.where}: order {shown(head.values.get('external_ref'))}: more lines "
                f"of the order at {where}; merged"
            )
    return _candidate(head, lines, channel, entries=[d for _, d in group])


def _line(record: Fields, name_key: str) -> NewLine:
    quantity = record.whole("quantity")
    shipped = record.optional_whole("shipped_quantity") or 0
    if shipped > quantity:
        record.add("shipped_quantity", f"{shipped} is more than the quantity {quantity}")
    return NewLine(
        sku=record.text("sku", limit=64, required=True),
        quantity=quantity,
        unit_price=record.money("unit_price"),
        name=record.optional(name_key, limit=255),
        handled_elsewhere=min(shipped, quantity),
    )


def _candidate(
    head: Fields,
    lines: list[tuple[Fields, NewLine]],
    default_channel: str | None,
    *,
    rows: list[list[str]] | None = None,
    entries: list[object] | None = None,
) -> Candidate:
    channel = head.text("channel", limit=32) or default_channel or ""
    if not channel:
        head.add("channel", "required (or give --channel)")
    country = head.country("country")
    address1, address2 = head.street("address1", "address2")
    order = NewOrder(
        channel=channel,
        external_ref=head.text("external_ref", limit=64, required=True),
        placed_at=head.moment("placed_at"),
        ship_to=Address(
            name=head.text("name", limit=200, required=True),
            company=head.optional("company", limit=200),
            address1=address1,
            address2=address2,
            city=head.text("city", limit=100, required=True),
            postcode=head.postcode("postcode", country),
            region=head.optional("region", limit=100),
            country=country,
            phone=head.optional("phone", limit=50),
        ),
        lines=tuple(line for _, line in lines),
        email=head.email("email"),
        service_level=head.choice("service_level", tuple(SERVICE_PRIORITY), default="standard"),
        ship_by=head.optional_moment("ship_by"),
        payment_status=head.text("payment_status", limit=20).lower() or "paid",
        currency=head.currency("currency", default="EUR"),
        shipping_total=head.money("shipping_total"),
        tax_total=head.money("tax_total"),
        bill_country=head.optional_country("bill_country"),
        source=str(head.where),
    )
    check_amounts(order, head, lines, "unit_price")
    cancelled = head.flag("cancelled", default=False)
    return Candidate(
        order.external_ref,
        order=None if head.problems or cancelled else order,
        problems=head.problems,
        skipped="cancelled at the channel" if cancelled else None,
        closure=ChannelClosure(
            channel, order.external_ref, "cancelled at the channel", order.source
        )
        if cancelled
        else None,
        rows=rows or [],
        entries=entries or [],
    )
