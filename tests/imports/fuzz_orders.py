"""Order files for the fuzzer: drafts of orders, the four formats written from them,
and the orders a strict reading expects (see fuzz_files for the rules)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from tests.imports.files import SHOPIFY_HEADER
from tests.imports.fuzz_files import (
    LARGEST,
    Refused,
    amounts,
    expect_money,
    expect_text,
    expect_whole,
    folded,
    quantities,
    texts,
)


@dataclass(frozen=True)
class DraftLine:
    sku: object
    quantity: object
    price: object
    name: str = ""  # unique in the file, so that no two rows are ever the same


@dataclass(frozen=True)
class Draft:
    """One order as a shop would write it; two drafts may share a reference."""

    ref: object
    name: object
    city: object
    shipping: object
    lines: tuple[DraftLine, ...]


@dataclass(frozen=True)
class ExpectedOrder:
    ref: str
    name: str
    city: str
    shipping: Decimal
    lines: tuple[tuple[str, int, Decimal, str], ...]

    @property
    def total(self) -> Decimal:
        return sum((price * qty for _, qty, price, _ in self.lines), Decimal(0)) + self.shipping


def _line(json: bool) -> st.SearchStrategy[DraftLine]:
    skus = texts(["MUG", "TEA", "李-1"], json=json)
    return st.builds(DraftLine, skus, quantities(json=json), amounts(json=json))


def _head(json: bool) -> st.SearchStrategy[Draft]:
    return st.builds(
        Draft,
        texts(["R1", "R2", " R1 ", "#1001"], json=json),
        texts(["Zoë Müller", "李伟"], json=json),
        texts(["Berlin", "上海"], json=json),
        amounts(json=json),
        st.just(()),
    )


@st.composite
def order_drafts(draw: st.DrawFn, json: bool) -> list[Draft]:
    """1-3 orders over 1-2 references; now and then one disagrees with its reference's."""
    heads = draw(st.lists(_head(json), min_size=1, max_size=2))
    drafts = []
    for _ in range(draw(st.integers(1, 3))):
        head = draw(st.sampled_from(heads))
        if draw(st.integers(0, 5)) == 0:
            head = replace(draw(_head(json)), ref=head.ref)
        lines = draw(st.lists(_line(json), min_size=1, max_size=2))
        drafts.append(replace(head, lines=tuple(lines)))
    count = iter(range(1, 100))
    return [
        replace(d, lines=tuple(replace(line, name=f"item {next(count)}") for line in d.lines))
        for d in drafts
    ]


def expected_orders(
    groups: Sequence[Sequence[Draft]], *, name_limit: int = 200
) -> list[ExpectedOrder]:
    """Each group is one order's drafts in file order (its first draft's order fields)."""
    orders = []
    for group in groups:
        head = group[0]
        for later in group[1:]:
            for field in ("name", "city", "shipping"):
                value = getattr(later, field)
                if folded(value) and folded(value) != folded(getattr(head, field)):
                    raise Refused
        order = ExpectedOrder(
            expect_text(head.ref, limit=64),
            expect_text(head.name, limit=name_limit),
            expect_text(head.city, limit=100),
            expect_money(head.shipping),
            tuple(
                (
                    expect_text(line.sku, limit=64),
                    expect_whole(line.quantity),
                    expect_money(line.price),
                    line.name,
                )
                for draft in group
                for line in draft.lines
            ),
        )
        if any(price * qty > LARGEST for _, qty, price, _ in order.lines) or order.total > LARGEST:
            raise Refused
        orders.append(order)
    return orders


def grouped(drafts: Sequence[Draft], key: Callable[[Draft], str]) -> list[list[Draft]]:
    """Drafts by reference, in order of first appearance; an unusable one is refused."""
    groups: dict[str, list[Draft]] = {}
    for draft in drafts:
        if not key(draft):
            raise Refused
        groups.setdefault(key(draft), []).append(draft)
    return list(groups.values())


OWN_HEADER = [
    "external_ref", "placed_at", "name", "address1", "city", "postcode", "country",
    "shipping_total", "sku", "quantity", "unit_price", "item_name",
]  # fmt: skip


def own_rows(drafts: Sequence[Draft]) -> list[dict[str, object]]:
    """Every row carries its order's columns, as the format allows."""
    return [
        {
            "external_ref": d.ref,
            "placed_at": "2024-03-05T10:00:00Z",
            "name": d.name,
            "address1": "Torstraße 12",
            "city": d.city,
            "postcode": "10115",
            "country": "DE",
            "shipping_total": d.shipping,
            "sku": line.sku,
            "quantity": line.quantity,
            "unit_price": line.price,
            "item_name": line.name,
        }
        for d in drafts
        for line in d.lines
    ]


def row_drafts(rows: Sequence[dict[str, object]]) -> list[Draft]:
    """Own-format rows back as one-line drafts, in file order (rows may be shuffled)."""
    return [
        Draft(
            r["external_ref"],
            r["name"],
            r["city"],
            r["shipping_total"],
            (DraftLine(r["sku"], r["quantity"], r["unit_price"], str(r["item_name"])),),
        )
        for r in rows
    ]


def shopify_rows(drafts: Sequence[Draft]) -> list[dict[str, object]]:
    """Order columns on each draft's first row only, as Shopify exports them."""
    rows = []
    for d in drafts:
        for n, line in enumerate(d.lines):
            row: dict[str, object] = {
                "Name": d.ref,
                "Lineitem sku": line.sku,
                "Lineitem quantity": line.quantity,
                "Lineitem price": line.price,
                "Lineitem name": line.name,
                "Lineitem requires shipping": "true",
                "Lineitem fulfillment status": "pending",
            }
            if n == 0:
                row |= {
                    "Financial Status": "paid",
                    "Fulfillment Status": "unfulfilled",
                    "Currency": "EUR",
                    "Shipping": d.shipping,
                    "Created at": "2024-03-05 14:07:12 +0100",
                    "Shipping Name": d.name,
                    "Shipping Address1": "Torstraße 12",
                    "Shipping City": d.city,
                    "Shipping Zip": "10115",
                    "Shipping Country": "DE",
                }
            rows.append(row)
    return rows


SHOPIFY_COLUMNS = SHOPIFY_HEADER.split(",")


def own_json(drafts: Sequence[Draft]) -> list[dict[str, Any]]:
    return [
        {
            "external_ref": d.ref,
            "placed_at": "2024-03-05T10:00:00Z",
            "name": d.name,
            "address1": "Torstraße 12",
            "city": d.city,
            "postcode": "10115",
            "country": "DE",
            "shipping_total": d.shipping,
            "lines": [
                {"sku": x.sku, "quantity": x.quantity, "unit_price": x.price, "name": x.name}
                for x in d.lines
            ],
        }
        for d in drafts
    ]


def magento_json(drafts: Sequence[Draft]) -> dict[str, Any]:
    items = [
        {
            "increment_id": d.ref,
            "state": "processing",
            "created_at": "2024-03-05 10:00:00",
            "order_currency_code": "EUR",
            "shipping_amount": d.shipping,
            "items": [
                {
                    "item_id": n,
                    "sku": x.sku,
                    "qty_ordered": x.quantity,
                    "price": x.price,
                    "name": x.name,
                    "product_type": "simple",
                }
                for n, x in enumerate(d.lines, 1)
            ],
            "extension_attributes": {
                "shipping_assignments": [
                    {
                        "shipping": {
                            "method": "flatrate_flatrate",
                            "address": {
                                "lastname": d.name,
                                "street": ["Torstraße 12"],
                                "city": d.city,
                                "postcode": "10115",
                                "country_id": "DE",
                            },
                        }
                    }
                ]
            },
        }
        for d in drafts
    ]
    return {"items": items, "total_count": len(items)}
