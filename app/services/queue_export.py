"""The queue as the supervisor sees it, to a CSV file a spreadsheet opens safely."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from app.domain.order_query import OrderQuery
from app.dto import OrderRow
from app.imports.common import write_csv
from app.services import order_queue
from db.engine import Database

MAX_ROWS = 200_000
PAGE = 5_000
HEADER = (
    "order",
    "channel_ref",
    "channel",
    "status",
    "priority",
    "service",
    "placed_at",
    "ship_by",
    "customer",
    "country",
    "lines",
    "units",
    "total",
    "currency",
    "hold_reason",
)


def export_csv(db: Database, query: OrderQuery, path: Path) -> int:
    """Write the queue's rows, in its order, to `path`; the number of rows. Cells that a
    spreadsheet would run as a formula (= + - @) are quoted; at most MAX_ROWS rows."""
    rows = list(_rows(db, query))
    write_csv(path, HEADER, (_cells(r) for r in rows), safe=True)
    return len(rows)


def _rows(db: Database, query: OrderQuery) -> Iterator[OrderRow]:
    after: order_queue.PageKey | None = None
    sent = 0
    while sent < MAX_ROWS:
        page = order_queue.page(db, query, limit=min(PAGE, MAX_ROWS - sent), after=after)
        yield from page
        sent += len(page)
        if len(page) < PAGE:
            return
        after = (order_queue.sort_value(page[-1], query.sort), page[-1].id)


def _cells(row: OrderRow) -> list[str]:
    return [
        row.number,
        row.external_ref,
        row.channel,
        row.status,
        str(row.priority),
        row.service_level,
        row.placed_at.isoformat(),
        row.ship_by.isoformat() if row.ship_by else "",
        row.customer,
        row.country,
        str(row.lines),
        str(row.units),
        f"{row.total:.2f}",
        row.currency,
        row.hold_reason or "",
    ]
