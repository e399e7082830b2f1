"""Receiving against a backlog: the receipt's cost must not grow with the waiting orders.

A backlog of N backordered orders (ship-complete, 1-3 units of the received SKU each,
a third also one unit of a SKU in stock), built with bulk inserts; then three
receipts of RECEIPT_UNITS units each, one after the other, each allocating the first
waiting orders it can serve. Prints one JSON line per backlog size with the medians of
the three receipts: wall and CPU time of this process, statements sent, orders
allocated.

    python -m tests.benchmarks.receiving --db sqlite|postgresql [--backlogs 1000,100000]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services.catalogue import ensure_channel
from app.services.inventory import StockCount, receive_and_allocate
from db.bulk import insert_rows, reserve_ids
from db.engine import Database
from db.models import Location, Order, OrderLine, Product, StockLevel, StockMove, Warehouse
from db.uow import run_in_transaction
from tests.benchmarks.throughput import ACTOR, fresh_database
from tests.statement_count import counting_statements

RECEIVED, FILLER = "RECV-1", "FILL-1"
LOCATION = "A-01-01-A"
RECEIPT_UNITS = 20
RECEIPTS = 3


def build_backlog(db: Database, backlog: int, seed: int = 7) -> None:
    """The site, the two products and `backlog` backordered orders, in bulk."""
    rng = random.Random(seed)

    def work(session: Session) -> None:
        channel = ensure_channel(session, "web", "csv")
        warehouse = Warehouse(code="MAIN", name="Main")
        session.add(warehouse)
        session.flush()
        location = Location(warehouse_id=warehouse.id, code=LOCATION, kind="pick")
        received = Product(sku=RECEIVED, name="Received product")
        filler = Product(sku=FILLER, name="Product in stock")
        session.add_all([location, received, filler])
        session.flush()
        session.add_all(
            [
                StockLevel(product_id=filler.id, location_id=location.id, on_hand=10**6),
                StockMove(
                    product_id=filler.id, location_id=location.id, quantity=10**6, kind="receipt"
                ),
            ]
        )
        ids = reserve_ids(session, Order, backlog)
        placed = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
        orders: list[dict[str, Any]] = []
        lines: list[dict[str, Any]] = []
        for n, order_id in enumerate(ids):
            orders.append(
                {
                    "id": order_id,
                    "number": f"B{n:07d}",
                    "channel_id": channel.id,
                    "external_ref": f"R-{n:07d}",
                    "status": "backordered",
                    "priority": rng.choice((1, 3, 5, 5, 5)),
                    "placed_at": placed + timedelta(seconds=n),
                    "ship_by": rng.choice((None, placed + timedelta(days=rng.randint(1, 9)))),
                    "ship_name": "Bench Customer",
                }
            )
            lines.append(_line(order_id, 1, received, rng.randint(1, 3)))
            if n % 3 == 0:
                lines.append(_line(order_id, 2, filler, 1))
        insert_rows(session, Order, orders)
        insert_rows(session, OrderLine, lines)

    run_in_transaction(db, work)
    with db.engine.begin() as connection:  # the planner's statistics, as in production
        connection.exec_driver_sql("ANALYZE")


def _line(order_id: int, line_no: int, product: Product, quantity: int) -> dict[str, Any]:
    return {
        "order_id": order_id,
        "line_no": line_no,
        "product_id": product.id,
        "sku": product.sku,
        "name": product.name,
        "unit_price": Decimal("9.99"),
        "qty_ordered": quantity,
    }


def measure(kind: str, backlog: int) -> dict[str, Any]:
    with fresh_database(kind) as db:
        build_backlog(db, backlog)
        wall, cpu, statements, served = [], [], [], []
        for n in range(RECEIPTS):
            count = StockCount(RECEIVED, LOCATION, RECEIPT_UNITS, receipt=f"DN-{n}")
            with counting_statements(db) as counted:
                started, started_cpu = time.perf_counter(), time.process_time()
                change = receive_and_allocate(db, ACTOR, [count])
                wall.append(time.perf_counter() - started)
                cpu.append(time.process_time() - started_cpu)
            statements.append(counted.statements)
            served.append(len(change.allocated))
        waiting = run_in_transaction(
            db,
            lambda s: len(s.scalars(select(Order.id).where(Order.status == "backordered")).all()),
        )
    assert waiting == backlog - sum(served), "the receipts allocated orders they did not report"
    return {
        "db": kind,
        "backlog": backlog,
        "receipt_ms": round(statistics.median(wall) * 1000, 1),
        "receipt_cpu_ms": round(statistics.median(cpu) * 1000, 1),
        "orders_allocated": statistics.median(served),
        "statements": statistics.median(statements),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--backlogs", default="1000,100000")
    args = parser.parse_args()
    for backlog in (int(b) for b in args.backlogs.split(",")):
        print(json.dumps(measure(args.db, backlog)), flush=True)


if __name__ == "__main__":
    main()
