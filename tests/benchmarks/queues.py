"""The supervisor's queue on a big history (issue 12): one JSON line of medians.

    python -m tests.benchmarks.queues [--db sqlite|postgresql] [--orders N] [--rebuild]

Builds a database of N orders once (tests/benchmarks/queue_data.py) and reuses it:
SQLite in ~/.cache/shipshape/bench-queues-N.db, PostgreSQL as the database
shipshape_bench_queues_N on the test server ($SHIPSHAPE_TEST_PG or the local one).
Then, through the real Qt model (offscreen) on its worker threads:
first screen = open the queue model and have its first 100 rows; filter = change to a
status and a channel; sort = by ship-by; search = a customer surname and a tracking
number; rss = the process after all of it. Defaults: SQLite, 1,000,000 orders.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from app.context import Actor
from app.domain.order_query import OrderQuery, Queue, SortKey
from db.engine import Database, open_database
from db.models import Shipment
from db.schema import upgrade
from db.uow import read
from tests.benchmarks.queue_data import SURNAMES, build, order_count
from tests.conftest import PG_ADMIN_URL
from ui.context import UiContext
from ui.models.order_queue_model import PAGE_SIZE, OrderQueueModel

RUNS = 5
CACHE = Path.home() / ".cache" / "shipshape"


def open_cached(kind: str, orders: int, rebuild: bool) -> Database:
    if kind == "sqlite":
        CACHE.mkdir(parents=True, exist_ok=True)
        path = CACHE / f"bench-queues-{orders}.db"
        if rebuild:
            path.unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    else:
        admin_url = os.environ.get("SHIPSHAPE_TEST_PG", PG_ADMIN_URL)
        name = f"shipshape_bench_queues_{orders}"
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            if rebuild:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            if not conn.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}
            ).first():
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    db = open_database(url, station="bench")
    upgrade(db)
    if order_count(db) != orders:
        if order_count(db):
            raise SystemExit(f"{db.describe()} holds another history: run with --rebuild")
        started = time.perf_counter()
        build(db, orders)
        if kind == "sqlite":
            with db.engine.connect() as conn:
                conn.exec_driver_sql("ANALYZE")
        else:
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("VACUUM ANALYZE")
        print(f"# built {orders:,} orders in {time.perf_counter() - started:.0f} s", flush=True)
    return db


def timed_load(app: QApplication, model: OrderQueueModel, change: Callable[[], None]) -> float:
    """Milliseconds from `change` until the model holds its new first page."""
    loop = QEventLoop()
    model.page_loaded.connect(loop.quit)
    QTimer.singleShot(60_000, loop.quit)
    started = time.perf_counter()
    change()
    loop.exec()
    elapsed = (time.perf_counter() - started) * 1000
    model.page_loaded.disconnect(loop.quit)
    return elapsed


def median_ms(app: QApplication, model: OrderQueueModel, queries: list[OrderQuery]) -> float:
    times = []
    for _ in range(RUNS):
        for query in queries:
            timed_load(app, model, lambda: model.set_query(OrderQuery()))  # from the default
            times.append(timed_load(app, model, lambda q=query: model.set_query(q)))
    return round(statistics.median(times), 1)


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return round(pages * resource.getpagesize() / 2**20, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    db = open_cached(args.db, args.orders, args.rebuild)
    tracking = read(
        db,
        lambda s: s.scalar(
            select(Shipment.tracking_number).order_by(Shipment.id).offset(args.orders // 3).limit(1)
        ),
    )
    app = QApplication([])
    ctx = UiContext.open(db, Actor("bench", "bench"), station=None)

    first = []
    for _ in range(RUNS):
        model = OrderQueueModel(ctx)
        first.append(timed_load(app, model, lambda m=model: m.set_query(OrderQuery())))
        assert model.rowCount() == min(PAGE_SIZE, args.orders)
    result = {
        "db": args.db,
        "orders": args.orders,
        "first_screen_ms": round(statistics.median(first), 1),
        "filter_ms": median_ms(
            app, model, [OrderQuery(queue=Queue.READY_TO_PICK, channel="amazon")]
        ),
        "sort_ms": median_ms(app, model, [OrderQuery(sort=SortKey.SHIP_BY, descending=False)]),
        "search_ms": median_ms(
            app, model, [OrderQuery(text=SURNAMES[17]), OrderQuery(text=tracking or "")]
        ),
        "rss_mb": rss_mb(),
    }
    ctx.tasks.shutdown()
    db.dispose()
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
