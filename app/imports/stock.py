"""Stock counts per SKU and location, as CSV with the header `sku,location,quantity`.

Received goods (`--receive`) belong to a receipt, taken in once: a `receipt` column
(the delivery note of each row), else the reference given, else the file's own
contents (`sha256:...`), so that the same file dropped twice is received once.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from app.errors import ValidationFailed
from app.imports.common import (
    MAX_WHOLE,
    CsvTable,
    Fields,
    Where,
    check_columns,
    fail_if,
    read_csv,
)
from app.services.inventory import StockCount
from app.services.receipts import REFERENCE_LIMIT, check_reference

COLUMNS = ("sku", "location", "quantity")
RECEIPT = "receipt"


def read_stock(path: Path, *, receive: bool, receipt: str | None = None) -> list[StockCount]:
    """The counts of the file. A stock take may count a SKU at a location only once."""
    table = read_csv(path, fold=True, hashed=receive and receipt is None)
    check_columns(table, COLUMNS, (*COLUMNS, RECEIPT) if receive else COLUMNS)
    per_row = RECEIPT in table.columns
    if per_row and receipt is not None:
        raise ValidationFailed(
            f"{table.name}: the file has a receipt column; leave out --receipt (or the column)"
        )
    whole_file = "" if per_row or not receive else _file_receipt(table, receipt)
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
            receipt=record.text(RECEIPT, limit=REFERENCE_LIMIT, required=True)
            if per_row
            else whole_file,
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


def _file_receipt(table: CsvTable, given: str | None) -> str:
    """The reference given, or one named by the file's bytes (hashed as it was read)."""
    if given is not None:
        return check_reference(given)
    assert table.sha256 is not None  # read_stock asks for it when no reference is given
    return f"sha256:{table.sha256[:32]}"
