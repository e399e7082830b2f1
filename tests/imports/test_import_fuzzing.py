"""Every importer against hostile files drawn by hypothesis, on SQLite and PostgreSQL.

Each drawn file is either refused - ValidationFailed with a one-line message and
one-line problems, every table exactly as before - or imported exactly as the strict
reading in `fuzz_files` and `fuzz_orders` says; never anything else (a traceback, a
value stored that the file did not say). `verify` is clean after every file. Files
are tiny and the services run in-process; test_hostile_values runs the command line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.context import Actor
from app.errors import ValidationFailed
from app.imports import magento, own_format, shopify
from app.imports.orders import OrderFile, import_orders
from app.imports.products import read_products
from app.imports.stock import read_stock
from app.services.catalogue import ProductInput, upsert_products
from app.services.integrity import verify
from app.services.inventory import apply_counts, receive_and_allocate
from db.base import Base
from db.engine import Database
from db.models import Channel, Location, Order, Product, StockLevel
from db.uow import read
from tests.imports import fuzz_files as fuzz
from tests.imports import fuzz_orders
from tests.imports.fuzz_files import Refused
from tests.imports.fuzz_orders import Draft, ExpectedOrder

FILES = settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_examples = count(1)


def snapshot(db: Database) -> dict[str, int]:
    """Rows per table and units on hand: any write shows."""

    def work(session: Session) -> dict[str, int]:
        found = {
            t.name: session.scalar(select(func.count()).select_from(t)) or 0
            for t in Base.metadata.sorted_tables
        }
        found["on_hand"] = session.scalar(select(func.sum(StockLevel.on_hand))) or 0
        return found

    return read(db, work)


def judged(db: Database, attempt: Callable[[], Any], expected: object) -> None:
    """`attempt` imports a drawn file; `expected` is None where it must be refused."""
    before = snapshot(db)
    try:
        attempt()
    except ValidationFailed as exc:
        assert expected is None, f"a good file was refused: {exc} {exc.problems}"
        for line in (str(exc), *exc.problems):
            assert "\n" not in line and "\r" not in line, repr(line)
        assert snapshot(db) == before
    else:
        assert expected is not None, "a file that must be refused was imported"
    assert verify(db) == []


def stored_orders(db: Database, channel: str) -> list[ExpectedOrder]:
    def work(session: Session) -> list[ExpectedOrder]:
        orders = session.scalars(
            select(Order)
            .join(Channel, Channel.id == Order.channel_id)
            .where(Channel.code == channel)
            .options(selectinload(Order.lines))
            .order_by(Order.id)
        )
        found = []
        for o in orders:
            lines = sorted(o.lines, key=lambda line: line.line_no)
            expected = ExpectedOrder(
                o.external_ref,
                o.ship_name,
                o.ship_city,
                o.shipping_total,
                tuple((x.sku, x.qty_ordered, x.unit_price, x.name) for x in lines),
            )
            assert (o.grand_total, o.subtotal) == (
                expected.total,
                expected.total - o.shipping_total,
            )
            found.append(expected)
        return found

    return read(db, work)


def check_orders(
    db: Database,
    actor: Actor,
    path: Path,
    reader: Callable[[Path, str | None], OrderFile],
    expect: Callable[[], list[ExpectedOrder]],
) -> None:
    channel = f"fz{next(_examples)}"
    try:
        expected: list[ExpectedOrder] | None = expect()
    except Refused:
        expected = None
    judged(db, lambda: import_orders(db, actor, reader(path, channel), partial=False), expected)
    if expected is not None:
        assert stored_orders(db, channel) == expected


def by_ref(drafts: list[Draft]) -> list[list[Draft]]:
    return fuzz_orders.grouped(drafts, lambda d: fuzz.key_of(d.ref))


def test_own_csv_order_files_with_rows_in_any_order(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    @FILES
    @given(st.data())
    def run(data: st.DataObject) -> None:
        drafts = data.draw(fuzz_orders.order_drafts(json=False))
        rows = data.draw(st.permutations(fuzz_orders.own_rows(drafts)))
        path = tmp_path / "o.csv"
        path.write_text(fuzz.csv_text(fuzz_orders.OWN_HEADER, rows), encoding="utf-8")
        check_orders(
            db,
            actor,
            path,
            own_format.read_csv_orders,
            lambda: fuzz_orders.expected_orders(by_ref(fuzz_orders.row_drafts(rows))),
        )

    run()


def test_own_json_order_files(db: Database, actor: Actor, tmp_path: Path) -> None:
    @FILES
    @given(st.data())
    def run(data: st.DataObject) -> None:
        drafts = data.draw(st.permutations(data.draw(fuzz_orders.order_drafts(json=True))))
        path = tmp_path / "o.json"
        path.write_text(fuzz.json_text(fuzz_orders.own_json(drafts)), encoding="utf-8")
        check_orders(
            db,
            actor,
            path,
            own_format.read_json_orders,
            lambda: fuzz_orders.expected_orders(by_ref(drafts)),
        )

    run()


def test_shopify_exports(db: Database, actor: Actor, tmp_path: Path) -> None:
    @FILES
    @given(st.data())
    def run(data: st.DataObject) -> None:
        drafts = data.draw(st.permutations(data.draw(fuzz_orders.order_drafts(json=False))))
        path = tmp_path / "o.csv"
        path.write_text(
            fuzz.csv_text(fuzz_orders.SHOPIFY_COLUMNS, fuzz_orders.shopify_rows(drafts)),
            encoding="utf-8",
        )
        check_orders(
            db,
            actor,
            path,
            shopify.read_orders,
            lambda: fuzz_orders.expected_orders(by_ref(drafts)),
        )

    run()


def test_magento_responses(db: Database, actor: Actor, tmp_path: Path) -> None:
    def expect(drafts: list[Draft]) -> list[ExpectedOrder]:
        groups = by_ref(drafts)
        if any(len(group) > 1 for group in groups):  # one increment_id, other contents
            raise Refused
        return fuzz_orders.expected_orders(groups, name_limit=99)

    @FILES
    @given(st.data())
    def run(data: st.DataObject) -> None:
        drafts = data.draw(st.permutations(data.draw(fuzz_orders.order_drafts(json=True))))
        path = tmp_path / "m.json"
        path.write_text(fuzz.json_text(fuzz_orders.magento_json(drafts)), encoding="utf-8")
        check_orders(db, actor, path, magento.read_orders, lambda: expect(drafts))

    run()


def stored_products(db: Database, skus: list[str]) -> dict[str, tuple[object, ...]]:
    def work(session: Session) -> dict[str, tuple[object, ...]]:
        found = session.scalars(
            select(Product).where(Product.sku.in_(skus)).options(selectinload(Product.barcodes))
        )
        return {
            p.sku: (p.name, p.weight_g, p.price, frozenset(b.code for b in p.barcodes))
            for p in found
        }

    return read(db, work)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_product_feeds(db: Database, actor: Actor, tmp_path: Path, fmt: str) -> None:
    columns = ["sku", "name", "barcodes", "weight_g", "price"]

    @FILES
    @given(fuzz.product_drafts(json=fmt == "json"))
    def run(drafts: list[fuzz.DraftProduct]) -> None:
        prefix = f"P{next(_examples)}-"  # new products each time; blank stays blank
        drafts = [
            replace(d, sku=prefix + d.sku) if isinstance(d.sku, str) and d.sku.strip() else d
            for d in drafts
        ]
        records = [dict(zip(columns, vars(d).values(), strict=True)) for d in drafts]
        path = tmp_path / f"p.{fmt}"
        text = fuzz.json_text(records) if fmt == "json" else fuzz.csv_text(columns, records)
        path.write_text(text, encoding="utf-8")
        try:
            expected: dict[str, tuple[object, ...]] | None = fuzz.expected_products(drafts)
        except Refused:
            expected = None
        judged(db, lambda: upsert_products(db, actor, read_products(path, fmt)), expected)
        if expected is not None:
            assert stored_products(db, list(expected)) == expected

    run()


def stored_stock(db: Database, skus: list[str]) -> dict[tuple[str, str], int]:
    def work(session: Session) -> dict[tuple[str, str], int]:
        rows = session.execute(
            select(Product.sku, Location.code, StockLevel.on_hand)
            .join(Product, Product.id == StockLevel.product_id)
            .join(Location, Location.id == StockLevel.location_id)
            .where(Product.sku.in_(skus), StockLevel.on_hand != 0)
        )
        return {(sku, code): on_hand for sku, code, on_hand in rows}

    return read(db, work)


@pytest.mark.parametrize("receive", [False, True], ids=["stock-take", "receipts"])
def test_stock_files(db: Database, actor: Actor, tmp_path: Path, receive: bool) -> None:
    @FILES
    @given(st.data())
    def run(data: st.DataObject) -> None:
        skus = [f"S{next(_examples)}-{n}" for n in (1, 2)]
        upsert_products(db, actor, [ProductInput(sku, sku) for sku in skus])
        counts = data.draw(fuzz.stock_drafts(skus))
        rows = [{"sku": c.sku, "location": c.location, "quantity": c.quantity} for c in counts]
        path = tmp_path / "s.csv"
        path.write_text(fuzz.csv_text(["sku", "location", "quantity"], rows), encoding="utf-8")
        try:
            expected: dict[tuple[str, str], int] | None = fuzz.expected_stock(
                counts, skus, receive=receive
            )
        except Refused:
            expected = None

        def attempt() -> object:
            found = read_stock(path, receive=receive)
            return (receive_and_allocate if receive else apply_counts)(db, actor, found)

        judged(db, attempt, expected)
        if expected is not None:
            assert stored_stock(db, skus) == {k: v for k, v in expected.items() if v}

    run()


def test_the_strict_reading_itself_refuses_and_accepts_what_the_formats_say() -> None:
    """The fuzzer's yardstick, checked on its own: a wrong oracle would prove nothing."""
    assert fuzz.expect_whole("12") == 12
    assert fuzz.expect_money(fuzz.Raw("2.50")) == Decimal("2.50")
    for hostile in ("1_0", "٣", "1e9", fuzz.Raw("1e9"), fuzz.Raw("0x1"), True, None, "0"):
        with pytest.raises(Refused):
            fuzz.expect_whole(hostile)
    with pytest.raises(Refused):
        fuzz.expect_text("a\x00b", limit=10)
    assert fuzz.expect_text(" Zoë \t Müller ", limit=20) == "Zoë Müller"
