"""The shared throughput workload (DESIGN.md): create, allocate, fulfil N orders.

500 SKUs stocked at one pick location each with enough units; N orders of 3 random
lines of quantity 1-3, fixed seed. Prints one JSON line per stage with the statements
and commits sent per order and the process's CPU time, plus the `executemany` floor for
stage 1 (the same rows inserted with no service logic). Fulfil packs and dispatches each
order in one unit of work, as a station that does both; `--two-step` ships it in a
transaction of its own after packing. On PostgreSQL a statement is not always a round
trip: fulfil sends the writes it reads nothing back from as one pipeline (db.pipeline).
`driver_s` is the time inside the driver's execute and commit calls: on SQLite the
database's own work, the least the stage could take with no Python around it.

    python -m tests.benchmarks.throughput --db sqlite|postgresql --orders N \
        [--stages create,allocate,fulfil] [--two-step]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import random
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.new_order import Address, NewLine, NewOrder
from app.services.allocation import allocate
from app.services.catalogue import ensure_channel
from app.services.demo_site import set_up_demo_site
from app.services.intake import create_orders
from app.services.pack_completion import pack_unverified
from app.services.shipping import ship_order
from db.engine import Database, open_database
from db.models import Location, Product, StockLevel, StockMove, Warehouse
from db.schema import upgrade
from db.uow import run_in_transaction
from tests.scratch_databases import scratch_pg_database
from tests.statement_count import counting_statements

SKUS = 500
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
ACTOR = Actor(username="bench", station="bench")


@contextmanager
def fresh_database(kind: str) -> Iterator[Database]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            db = open_database(f"sqlite:///{Path(folder) / 'bench.db'}", station="bench")
            upgrade(db)
            yield db
            db.dispose()
        return
    server = os.environ.get("SHIPSHAPE_BENCH_PG", PG_DEFAULT)
    with scratch_pg_database(server, "shipshape_bench") as url:
        db = open_database(url, station="bench")
        try:
            upgrade(db)
            yield db
        finally:
            db.dispose()


def stock_warehouse(db: Database, units_each: int) -> None:
    def work(session: Session) -> None:
        set_up_demo_site(session, ACTOR)
        ensure_channel(session, "web", "csv")
        warehouse = Warehouse(code="MAIN", name="Main")
        session.add(warehouse)
        session.flush()
        session.execute(
            insert(Product),
            [
                {"sku": f"SKU-{i:04d}", "name": f"Product {i}", "weight_g": 100 + i}
                for i in range(SKUS)
            ],
        )
        session.execute(
            insert(Location),
            [
                {"warehouse_id": warehouse.id, "code": f"A-{i:04d}", "pick_sequence": i}
                for i in range(SKUS)
            ],
        )
        products = session.scalars(select(Product.id).order_by(Product.id)).all()
        locations = session.scalars(select(Location.id).order_by(Location.id)).all()
        pairs = list(zip(products, locations, strict=True))
        session.execute(
            insert(StockLevel),
            [
                {"product_id": p, "location_id": loc, "on_hand": units_each, "reserved": 0}
                for p, loc in pairs
            ],
        )
        session.execute(
            insert(StockMove),
            [
                {"product_id": p, "location_id": loc, "quantity": units_each, "kind": "receipt"}
                for p, loc in pairs
            ],
        )

    run_in_transaction(db, work)


def workload(count: int, seed: int = 42) -> list[NewOrder]:
    rng = random.Random(seed)
    placed = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    address = Address(
        name="Bench Customer",
        address1="1 Bench Road",
        city="Bristol",
        postcode="BS1 1AA",
        country="GB",
    )
    return [
        NewOrder(
            channel="web",
            external_ref=f"B-{i:07d}",
            placed_at=placed + timedelta(seconds=i),
            ship_to=address,
            email=f"customer{i % 5000}@example.com",
            lines=tuple(
                NewLine(f"SKU-{s:04d}", rng.randint(1, 3), Decimal("9.99"))
                for s in rng.sample(range(SKUS), 3)
            ),
        )
        for i in range(count)
    ]


def executemany_floor(db: Database, orders: list[NewOrder]) -> float:
    """Seconds to insert the same order and line rows with the driver's bare executemany
    (rolled back): the floor that intake's bookkeeping is measured against."""
    marker = "?" if db.engine.dialect.paramstyle == "qmark" else "%s"
    now = datetime.now(UTC).replace(tzinfo=None).isoformat(" ")
    order_sql = (
        "INSERT INTO orders (id, number, channel_id, external_ref, status, placed_at, "
        "created_at, updated_at, priority, service_level, currency, payment_status, subtotal, "
        "shipping_total, tax_total, grand_total, ship_name, ship_address1, ship_city, "
        f"ship_postcode, ship_country, version) VALUES ({', '.join([marker] * 22)})"
    )
    line_sql = (
        "INSERT INTO order_lines (order_id, line_no, sku, name, unit_price, qty_ordered, "
        "qty_allocated, qty_picked, qty_packed, qty_shipped, qty_returned) "
        f"VALUES ({', '.join([marker] * 11)})"
    )
    order_rows = [
        (
            10**7 + i,
            f"F-{i}",
            1,
            f"F-{i}",
            "new",
            now,
            now,
            now,
            5,
            "standard",
            "EUR",
            "paid",
            "29.97",
            "0",
            "0",
            "29.97",
            o.ship_to.name,
            o.ship_to.address1,
            o.ship_to.city,
            o.ship_to.postcode,
            o.ship_to.country,
            1,
        )
        for i, o in enumerate(orders)
    ]
    line_rows = [
        (10**7 + i, n, line.sku, line.sku, "9.99", line.quantity, 0, 0, 0, 0, 0)
        for i, o in enumerate(orders)
        for n, line in enumerate(o.lines, 1)
    ]
    with db.engine.connect() as conn:
        started = time.perf_counter()
        conn.exec_driver_sql(order_sql, order_rows)
        conn.exec_driver_sql(line_sql, line_rows)
        elapsed = time.perf_counter() - started
        conn.rollback()
    return elapsed


def fulfil_all(db: Database, numbers: list[str], *, two_step: bool = False) -> None:
    """Pack and dispatch each order in one unit of work, as a station that does both;
    `two_step`: pack, then ship in a transaction of its own."""
    for number in numbers:
        if two_step:
            pack_unverified(db, ACTOR, number)
            ship_order(db, ACTOR, number)
        else:
            pack_unverified(db, ACTOR, number, dispatch=True)


def _profiled(path: str | None, work: Callable[[], None]) -> None:
    """`work()`, under cProfile when `path` names where its statistics go."""
    if path is None:
        work()
        return
    with cProfile.Profile() as profile:
        work()
    profile.dump_stats(path)


def timed(stage: str, kind: str, count: int, work: Callable[[], object]) -> dict[str, object]:
    """The stage's wall time and this process's CPU time: on a shared machine the wall
    time stretches with the load, the CPU time much less."""
    started, cpu_started = time.perf_counter(), time.process_time()
    work()
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    return {
        "db": kind,
        "orders": count,
        "stage": stage,
        "seconds": round(seconds, 4),
        "cpu_s": round(cpu, 4),
        "orders_per_s": round(count / seconds, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--orders", type=int, default=1000)
    parser.add_argument("--stages", default="create,allocate,fulfil")
    parser.add_argument(
        "--two-step", action="store_true", help="fulfil: pack, then ship in its own transaction"
    )
    parser.add_argument(
        "--profile", metavar="FILE", help="fulfil: write cProfile statistics to FILE (pstats)"
    )
    args = parser.parse_args()
    stages = set(args.stages.split(","))
    orders = workload(args.orders)
    with fresh_database(args.db) as db:
        stock_warehouse(db, units_each=args.orders * 9 // SKUS + 100)
        floor = executemany_floor(db, orders)
        numbers: list[str] = []
        steps: list[tuple[str, Callable[[], object]]] = [
            ("create", lambda: numbers.extend(create_orders(db, ACTOR, orders).created)),
            ("allocate", lambda: allocate(db, ACTOR)),
            (
                "fulfil",
                lambda: _profiled(
                    args.profile, lambda: fulfil_all(db, numbers, two_step=args.two_step)
                ),
            ),
        ]
        for stage, work in steps:
            if stage not in stages:
                if stage != "fulfil":
                    work()  # later stages need the earlier ones' data
                continue
            with counting_statements(db) as sent:
                line = timed(stage, args.db, args.orders, work)
            if stage == "create":
                line["executemany_floor_s"] = round(floor, 4)
            if stage == "fulfil":
                line["mode"] = "two-step" if args.two_step else "one transaction"
            line["statements_per_order"], line["commits_per_order"] = sent.per(args.orders)
            line["driver_s"] = round(sent.driver_seconds, 4)
            print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
