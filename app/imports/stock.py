"""Stock counts per SKU and location, as CSV with the header `sku,location,quantity`."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from app.imports.common import MAX_WHOLE, Fields, Where, check_columns, fail_if, read_csv
from app.services.inventory import StockCount

COLUMNS = ("sku", "location", "quantity")


def read_stock(path: Path, *, receive: bool) -> list[StockCount]:
    """The counts of the file. A stock take may count a SKU at a location only once."""
    table = read_csv(path, fold=True)
    check_columns(table, COLUMNS, COLUMNS)
    problems: list[str] = []
    counts: list[StockCount] = []
    seen: dict[tuple[str, str], int] = {}
    received: Counter[tuple[str, str]] = Counter()
    for row in table.rows:
        record = Fields(row.values, Where(table.name, row.line), problems)
        count = StockCount(
            sku=record.text("sku", limit=64, required=True),
            location=record.text("location", limit=32, required=True),
            quantity=record.whole("quantity", minimum=0),
            source=str(record.where),
        )
        key = (count.sku, count.location)
        if key in seen and not receive:
            problems.append(
                f"{count.source}: sku: {count.sku} at {count.location} is also counted on "
                f"line {seen[key]}; a stock take counts each place once"
            )
        received[key] += count.quantity
        if receive and received[key] > MAX_WHOLE >= received[key] - count.quantity:
            problems.append(
                f"{count.source}: quantity: receipts of {count.sku} at {count.location} "
                f"add up to more than {MAX_WHOLE} units"
            )
        seen.setdefault(key, row.line)
        counts.append(count)
    fail_if(problems, "nothing changed")
    return counts
