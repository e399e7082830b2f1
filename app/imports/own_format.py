"""Shipshape's own order files, for any channel without an export of its own.

CSV: one row per order line. Columns, in any order (* = required):

    channel, external_ref*, placed_at*, email, name*, company, address1*, address2,
    city*, postcode*, region, country*, phone, service_level, ship_by, currency,
    payment_status, shipping_total, tax_total, bill_country, sku*, quantity*,
    unit_price, item_name

The rows of one order follow each other and share `channel` and `external_ref`;
its order columns may be repeated on every row or left blank after the first, but
must not disagree. `channel` may be left out when `--channel` names it.
`placed_at` and `ship_by` are ISO 8601 (`2024-03-05T14:07:12+01:00`; without an
offset they are UTC; `ship_by` may be a date). `service_level` is overnight,
express, standard (default) or economy; `currency` an ISO 4217 code (default
EUR); `payment_status` defaults to paid; countries are 2-letter ISO codes (common
English names are understood); money has a decimal point and at most 2 places.
A postcode may be blank only where the country has none (such as HK or AE).

JSON: a list of orders, each an object with the same order keys and `lines`, a
list of objects with `sku`, `quantity`, `unit_price` and `name`.
"""

from __future__ import annotations

from itertools import groupby
from pathlib import Path

from app.domain.new_order import SERVICE_PRIORITY, Address, NewLine, NewOrder
from app.errors import ValidationFailed
from app.imports.common import CsvRow, Fields, Where, check_columns, read_csv, read_json
from app.imports.orders import Candidate, OrderFile

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
)
CSV_LINE_COLUMNS = ("sku", "quantity", "unit_price", "item_name")
JSON_LINE_KEYS = ("sku", "quantity", "unit_price", "name")
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
    table = read_csv(path, fold=True)
    check_columns(table, REQUIRED_COLUMNS, ORDER_KEYS + CSV_LINE_COLUMNS)

    def key(row: CsvRow) -> tuple[str, str]:
        return (row.values.get("channel", "").strip(), row.values["external_ref"].strip())

    candidates = []
    for _, group in groupby(table.rows, key=key):
        rows = list(group)
        problems: list[str] = []
        records = [Fields(row.values, Where(table.name, row.line), problems) for row in rows]
        _check_repeats(rows, records[0])
        lines = [_line(record, "item_name") for record in records]
        candidates.append(_candidate(records[0], lines, channel, rows=[r.cells for r in rows]))
    return OrderFile(path, "csv", candidates, csv_header=table.header)


def read_json_orders(path: Path, channel: str | None) -> OrderFile:
    document = read_json(path)
    if not isinstance(document, list):
        raise ValidationFailed(f"{path.name}: must be a list of orders")
    candidates = []
    for index, data in enumerate(document):
        where = Where(path.name).at(index)
        if not isinstance(data, dict):
            candidates.append(Candidate("", problems=[f"{where}: must be an object"], data=data))
            continue
        head = Fields(data, where, [])
        head.unknown_keys((*ORDER_KEYS, "lines"))
        lines = []
        for record in head.children("lines"):
            record.unknown_keys(JSON_LINE_KEYS)
            lines.append(_line(record, "name"))
        if not lines and isinstance(data.get("lines"), list):
            head.add("lines", "an order needs at least one line")
        candidates.append(_candidate(head, lines, channel, data=data))
    return OrderFile(path, "json", candidates, json_wrap=list)


def _check_repeats(rows: list[CsvRow], first: Fields) -> None:
    """Order columns on later rows are blank or the same as on the order's first row."""
    for row in rows[1:]:
        for column in ORDER_KEYS:
            value, expected = row.values.get(column, "").strip(), first.word(column)
            if value and value.casefold() != expected:
                first.problems.append(
                    f"{first.where.file}:{row.line}: {column}: {value!r} differs from "
                    f"line {first.where.line} of the same order"
                )


def _line(record: Fields, name_key: str) -> NewLine:
    return NewLine(
        sku=record.text("sku", limit=64, required=True),
        quantity=record.whole("quantity"),
        unit_price=record.money("unit_price"),
        name=record.optional(name_key, limit=255),
    )


def _candidate(
    head: Fields,
    lines: list[NewLine],
    default_channel: str | None,
    *,
    rows: list[list[str]] | None = None,
    data: object = None,
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
        lines=tuple(lines),
        email=head.email("email"),
        service_level=head.choice("service_level", tuple(SERVICE_PRIORITY), default="standard"),
        ship_by=head.optional_moment("ship_by"),
        payment_status=head.text("payment_status", limit=20).lower() or "paid",
        currency=head.currency("currency", default="EUR"),
        shipping_total=head.money("shipping_total"),
        tax_total=head.money("tax_total"),
        bill_country=head.optional_country("bill_country"),
    )
    return Candidate(
        order.external_ref,
        order=None if head.problems else order,
        problems=head.problems,
        rows=rows or [],
        data=data,
    )
