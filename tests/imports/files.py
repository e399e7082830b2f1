"""Builders for import files: real Shopify columns, exact bytes (BOM, CRLF) when asked."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from app.cli import run
from db.engine import Database

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"
SHOPIFY_HEADER = (SAMPLES / "shopify_orders.csv").read_text(encoding="utf-8").splitlines()[0]


def write(path: Path, text: str, *, bom: bool = False, crlf: bool = False) -> Path:
    if crlf:
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
    return path


def csv_text(header: list[str], rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([row.get(column, "") for column in header] for row in rows)
    return out.getvalue()


def shopify_order(
    name: str, lines: list[tuple[str, str]] | None = None, **first: str
) -> list[dict[str, str]]:
    """The rows Shopify exports for one order: order columns on the first row only."""
    head = {
        "Email": "zoe@example.de",
        "Financial Status": "paid",
        "Fulfillment Status": "unfulfilled",
        "Currency": "EUR",
        "Shipping": "4.90",
        "Total": "33.90",
        "Shipping Method": "Standard Shipping",
        "Created at": "2024-03-05 14:07:12 +0100",
        "Billing Name": "Zoë Müller",
        "Billing Country": "DE",
        "Shipping Name": "Zoë Müller",
        "Shipping Address1": "Torstraße 12",
        "Shipping City": "Berlin",
        "Shipping Zip": "10115",
        "Shipping Country": "DE",
    }
    head.update({key.replace("_", " "): value for key, value in first.items()})
    rows = []
    for i, (sku, quantity) in enumerate(lines or [("MUG-BLU", "2")]):
        row = {
            "Name": name,
            "Lineitem sku": sku,
            "Lineitem quantity": quantity,
            "Lineitem price": "14.50",
            "Lineitem name": f"Product {sku}",
            "Lineitem requires shipping": "true",
            "Lineitem fulfillment status": "pending",
        }
        rows.append(row | head if i == 0 else row)
    return rows


def shopify_csv(*orders: list[dict[str, str]]) -> str:
    return csv_text(SHOPIFY_HEADER.split(","), [row for order in orders for row in order])


def cli(db: Database, *args: str) -> int:
    """Run a command in this process, as `main.py --db URL ...` would."""
    return run(["--db", db.url.render_as_string(hide_password=False), *args])
