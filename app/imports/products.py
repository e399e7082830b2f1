"""Catalogue feed from a PIM or ERP, as CSV or JSON.

CSV header (any order, only `sku` and `name` required):
`sku,name,barcodes,weight_g,length_mm,width_mm,height_mm,price,active`; several
barcodes are separated by `|`. JSON: a list of objects with the same keys, where
`barcodes` may be a list of texts or a `|`-separated string.
"""

from __future__ import annotations

from pathlib import Path

from app.imports.common import Fields, Where, check_columns, fail_if, objects, read_csv, read_json
from app.services.catalogue import ProductInput

COLUMNS = (
    "sku",
    "name",
    "barcodes",
    "weight_g",
    "length_mm",
    "width_mm",
    "height_mm",
    "price",
    "active",
)


def read_products(path: Path, fmt: str) -> list[ProductInput]:
    """The products of a `csv` or `json` file; every problem at once, or none."""
    problems: list[str] = []
    if fmt == "csv":
        table = read_csv(path, fold=True)
        check_columns(table, ("sku", "name"), COLUMNS)
        records = [Fields(row.values, Where(table.name, row.line), problems) for row in table.rows]
    else:
        records = objects(read_json(path), Where(path.name), problems)
        for record in records:
            record.unknown_keys(COLUMNS)
    products = [_product(record) for record in records]
    seen: dict[str, str] = {}
    for product in products:
        if product.sku in seen:
            problems.append(f"{product.source}: sku: {product.sku} is also at {seen[product.sku]}")
        seen.setdefault(product.sku, product.source)
    fail_if(problems)
    return products


def _product(record: Fields) -> ProductInput:
    return ProductInput(
        sku=record.text("sku", limit=64, required=True),
        name=record.text("name", limit=255, required=True),
        barcodes=tuple(record.items("barcodes", separator="|", limit=2000)),
        weight_g=record.optional_whole("weight_g"),
        length_mm=record.optional_whole("length_mm"),
        width_mm=record.optional_whole("width_mm"),
        height_mm=record.optional_whole("height_mm"),
        price=record.optional_money("price"),
        active=record.flag("active", default=True),
        source=str(record.where),
    )
