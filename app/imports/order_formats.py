"""Every order file format by name, and the one way to read an order file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.errors import ValidationFailed
from app.imports import brightpearl, magento, netsuite, own_format, shopify
from app.imports.orders import OrderFile, guess_format

ORDER_READERS: dict[str, Callable[[Path, str | None], OrderFile]] = {
    "shopify": shopify.read_orders,
    "magento": magento.read_orders,
    "netsuite": netsuite.read_orders,
    "brightpearl": brightpearl.read_orders,
    "csv": own_format.read_csv_orders,
    "json": own_format.read_json_orders,
}


def read_order_file(path: Path, fmt: str | None, channel: str | None) -> OrderFile:
    """The file in format `fmt`, or the format its extension and first line tell."""
    found = fmt or guess_format(path)
    if found is None:
        raise ValidationFailed(
            f"cannot tell the format of {path.name}; give --format {'|'.join(ORDER_READERS)}"
        )
    return ORDER_READERS[found](path, channel)
