"""The read-only look-ups behind the back office, on the demo warehouse (no Qt)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.context import Actor
from app.errors import NotFound, ValidationFailed
from app.services.demo_data import gtin13
from app.services.lookups import find_product, list_box_types, list_channels, search_products
from app.services.stock_queries import shipments_for_day
from db.engine import Database
from tests.ui.backoffice.helpers import pack_orders


def test_a_product_is_found_by_sku_gtin_upc_or_unique_name_and_ambiguity_is_refused(
    demo_db: Database,
) -> None:
    by_sku = find_product(demo_db, "sku-00012")
    assert find_product(demo_db, gtin13(12)) == by_sku
    assert find_product(demo_db, "0" + gtin13(12)) == by_sku  # as GTIN-14
    assert find_product(demo_db, by_sku.name.upper()) == by_sku
    assert by_sku.available >= 0 and by_sku.price is not None
    with pytest.raises(ValidationFailed, match="several products match 'tea'"):
        find_product(demo_db, "tea")
    with pytest.raises(NotFound):
        find_product(demo_db, "SKU-99999")


def test_search_puts_the_exact_sku_first_and_matches_names_and_barcodes(
    demo_db: Database,
) -> None:
    assert search_products(demo_db, "SKU-00001")[0].sku == "SKU-00001"
    assert {hit.sku for hit in search_products(demo_db, gtin13(7))} == {"SKU-00007"}
    assert all("tea tin" in hit.name.lower() for hit in search_products(demo_db, "tea tin"))


def test_channels_box_types_and_todays_shipments_are_listed(
    demo_db: Database, actor: Actor
) -> None:
    assert {"phone", "b2b"} <= {channel.code for channel in list_channels(demo_db)}
    assert [box.code for box in list_box_types(demo_db)] == ["ENV", "S", "M", "L", "XL"]
    today = datetime.now(UTC).date()
    assert shipments_for_day(demo_db, today) == []
    numbers = pack_orders(demo_db, actor, 2)
    shipped = shipments_for_day(demo_db, today)
    assert sorted(row.order_number for row in shipped) == sorted(numbers)
