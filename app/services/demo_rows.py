"""The rows of a demo chunk, per table as tuples in `COLUMNS` order, and how they go
in: multi-row INSERT statements on SQLite, COPY on PostgreSQL, parents first.

On SQLite, one INSERT statement per row (executemany) costs three times as much for a
table with a trigger (audit_events, order_search): such a statement opens a statement
journal, copying each page it touches, per row. A statement of many rows pays that once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from itertools import chain
from typing import Any

from sqlalchemy.orm import Session

SQLITE_VALUES = 5000  # bound values per INSERT statement
# The orders' milestone columns (migration 0015), written with the order: the trigger on
# audit_events that keeps them then finds them set and writes nothing (it rewrote the
# order row once per milestone).
MILESTONES = ("allocated", "picked", "packed", "shipped", "cancelled")


@dataclass
class Rows:
    """The rows of one chunk, per table, as tuples in `COLUMNS` order."""

    tables: dict[str, list[tuple[Any, ...]]] = field(default_factory=lambda: defaultdict(list))


COLUMNS: dict[str, tuple[str, ...]] = {
    "customers": ("id", "email", "name", "phone", "created_at"),
    "orders": (
        "id",
        "number",
        "channel_id",
        "external_ref",
        "customer_id",
        "status",
        "held_from",
        "hold_reason",
        "priority",
        "service_level",
        "allow_partial",
        "placed_at",
        "ship_by",
        "currency",
        "payment_status",
        "subtotal",
        "shipping_total",
        "tax_total",
        "grand_total",
        "email",
        "ship_name",
        "ship_address1",
        "ship_address2",
        "ship_city",
        "ship_postcode",
        "ship_region",
        "ship_country",
        "ship_phone",
        "bill_country",
        "warehouse_id",
        "created_at",
        "updated_at",
        "version",
        *(f"{milestone}_at" for milestone in MILESTONES),
    ),
    "order_lines": (
        "id",
        "order_id",
        "line_no",
        "product_id",
        "sku",
        "name",
        "unit_price",
        "qty_ordered",
        "qty_allocated",
        "qty_picked",
        "qty_packed",
        "qty_shipped",
        "qty_returned",
        "qty_handled_elsewhere",
    ),
    "allocations": ("id", "order_line_id", "stock_level_id", "quantity", "status", "created_at"),
    "stock_moves": (
        "product_id",
        "location_id",
        "quantity",
        "kind",
        "reason",
        "order_id",
        "user_id",
        "station",
        "created_at",
    ),
    "shipments": (
        "id",
        "order_id",
        "carrier",
        "service_level",
        "tracking_number",
        "status",
        "verified",
        "packed_by",
        "packed_station",
        "packed_at",
        "shipped_at",
        "delivered_at",
    ),
    "packages": ("id", "shipment_id", "seq", "sscc", "box_code", "weight_g", "tracking_number"),
    "package_items": ("package_id", "order_line_id", "quantity"),
    "pick_lists": (
        "id",
        "number",
        "status",
        "kind",
        "claimed_by_station",
        "claimed_by_user_id",
        "claimed_at",
        "lease_expires_at",
        "created_at",
        "done_at",
        "version",
    ),
    "pick_tasks": (
        "pick_list_id",
        "order_line_id",
        "allocation_id",
        "location_id",
        "product_id",
        "sequence",
        "quantity",
        "qty_picked",
        "status",
    ),
    "scan_events": (
        "occurred_at",
        "station",
        "user_id",
        "raw",
        "reading",
        "value",
        "outcome",
        "message",
        "manual",
        "order_id",
    ),
    "print_jobs": (
        "order_id",
        "shipment_id",
        "document",
        "format",
        "printer",
        "station",
        "status",
        "attempts",
        "created_at",
        "printed_at",
    ),
    "audit_events": (
        "occurred_at",
        "user_id",
        "username",
        "station",
        "entity",
        "entity_id",
        "action",
        "from_status",
        "to_status",
        "reason",
        "details",
    ),
    "order_search": ("order_id", "document"),
}


# Parents before children.
TABLE_ORDER = (
    "customers",
    "orders",
    "order_lines",
    "allocations",
    "shipments",
    "packages",
    "package_items",
    "pick_lists",
    "pick_tasks",
    "stock_moves",
    "scan_events",
    "print_jobs",
    "audit_events",
    "order_search",
)


def write_rows(session: Session, rows: Rows) -> None:
    """Every table's rows, parents first."""
    sqlite = session.get_bind().dialect.name == "sqlite"
    for table in TABLE_ORDER:
        insert(session, sqlite, table, COLUMNS[table], rows.tables.pop(table, []))


def add_to_levels(session: Session, levels: list[tuple[int, int, int]]) -> None:
    """Stock `levels` changed: (on hand added, reserved added, level id)."""
    if levels:
        marks = "?" if session.get_bind().dialect.name == "sqlite" else "%s"
        session.connection().exec_driver_sql(
            f"UPDATE stock_levels SET on_hand = on_hand + {marks}, reserved = reserved + {marks}, "
            f"version = version + 1 WHERE id = {marks}",
            levels,
        )


def insert(
    session: Session, sqlite: bool, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    if not rows:
        return
    names = ", ".join(columns)
    driver = session.connection().connection.driver_connection
    assert driver is not None
    if sqlite:
        group = f"({', '.join('?' * len(columns))})"
        size = max(1, SQLITE_VALUES // len(columns))
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            driver.execute(
                f"INSERT INTO {table} ({names}) VALUES {', '.join([group] * len(batch))}",
                list(chain.from_iterable(batch)),
            )
        return
    with driver.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def stamp_sqlite(moment: datetime) -> str:
    return moment.isoformat(" ", "microseconds")


def stamp_pg(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)


def money_pg(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)
