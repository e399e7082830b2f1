"""Report queries on a million orders: `python -m tests.benchmarks.reports [--orders N]`.

Builds (once, then reuses) a SQLite database of N orders spread over two years up to
today, written with bulk inserts straight into the tables: lines, the audit trail
(allocated, picked, packed, shipped or cancelled), one scan per order, a return for
one order in fifty, stock for 500 SKUs. Then times every report over the default range
(the last 30 days) and over 90 days, printing one JSON line per report and range with
the median of 5 runs. `cpu_seconds` is this process's CPU time and, on PostgreSQL,
`server_cpu_seconds` that of the server's processes serving the benchmark's database
(read from /proc: the server runs on this machine): on a shared machine they show
what the wall clock would be without the neighbours.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import sqlite3
import statistics
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import psycopg
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app.context import Actor
from app.services.reports import KINDS, NoData, ReportQuery, run_report
from db.engine import Database, open_database
from db.schema import upgrade

CACHE = Path.home() / ".cache" / "shipshape-bench"
SKUS = 500
DAYS = 730
RUNS = 5
ACTOR = Actor(username="bench", station="bench")


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def _orders(n: int, now: datetime, rng: random.Random) -> Iterator[tuple[object, ...]]:
    first = now - timedelta(days=DAYS)
    step = DAYS * 86400 / n
    for i in range(1, n + 1):
        placed = first + timedelta(seconds=i * step + rng.random() * step)
        yield i, placed


def build(path: Path, orders: int) -> None:
    """Write the database at `path` (schema by Alembic, rows by executemany)."""
    db = open_database(f"sqlite:///{path}")
    upgrade(db)
    db.dispose()
    rng = random.Random(15)
    now = datetime.now(UTC).replace(microsecond=0)
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode=OFF")
    con.execute("PRAGMA synchronous=OFF")
    con.execute(
        "INSERT INTO warehouses (id, code, name, address1, city, postcode, country) "
        "VALUES (1, 'MAIN', 'Main', '', '', '', 'GB')"
    )
    con.executemany(
        "INSERT INTO channels (id, code, name, kind, allow_partial, safety_buffer, "
        "active) VALUES (?, ?, ?, 'csv', 0, 0, 1)",
        [(1, "web", "Web"), (2, "amazon", "Amazon"), (3, "phone", "Phone")],
    )
    con.execute("INSERT INTO settings (key, value) VALUES ('company.timezone', 'Europe/London')")
    con.executemany(
        "INSERT INTO products (id, sku, name, active, updated_at) VALUES (?, ?, ?, 1, ?)",
        [(i, f"SKU-{i:04d}", f"Product {i}", _stamp(now)) for i in range(1, SKUS + 1)],
    )
    con.executemany(
        "INSERT INTO locations (id, warehouse_id, code, kind, pick_sequence, active) "
        "VALUES (?, 1, ?, 'pick', ?, 1)",
        [(i, f"A-{i:04d}", i) for i in range(1, SKUS + 1)],
    )
    con.executemany(
        "INSERT INTO stock_levels (product_id, location_id, on_hand, reserved, version) "
        "VALUES (?, ?, ?, 0, 1)",
        [(i, i, 0 if i % 50 == 3 else rng.randint(20, 400)) for i in range(1, SKUS + 1)],
    )
    orders_rows, lines, events, scans, returns, return_lines = [], [], [], [], [], []
    line_id = event_id = return_id = 0

    def flush() -> None:
        con.executemany(
            "INSERT INTO orders (id, number, channel_id, external_ref, status, priority, "
            "service_level, placed_at, ship_by, currency, payment_status, subtotal, "
            "shipping_total, tax_total, grand_total, ship_name, ship_address1, ship_city, "
            "ship_postcode, ship_country, warehouse_id, created_at, updated_at, version) VALUES "
            "(?, ?, ?, ?, ?, 5, 'standard', ?, ?, 'EUR', 'paid', 0, 0, 0, 0, 'x', 'x', 'x', "
            "'x', 'GB', 1, ?, ?, 1)",
            orders_rows,
        )
        con.executemany(
            "INSERT INTO order_lines (id, order_id, line_no, product_id, sku, name, unit_price, "
            "qty_ordered, qty_allocated, qty_picked, qty_packed, qty_shipped, qty_returned) "
            "VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, 0)",
            lines,
        )
        con.executemany(
            "INSERT INTO audit_events (id, occurred_at, username, station, entity, entity_id, "
            "action, to_status) VALUES (?, ?, ?, ?, 'order', ?, ?, ?)",
            events,
        )
        con.executemany(
            "INSERT INTO scan_events (occurred_at, station, raw, reading, outcome, manual, "
            "order_id) VALUES (?, ?, 'x', 'sku', ?, 0, ?)",
            scans,
        )
        con.executemany(
            "INSERT INTO returns (id, number, order_id, status, reason, created_at) "
            "VALUES (?, ?, ?, 'received', ?, ?)",
            returns,
        )
        con.executemany(
            "INSERT INTO return_lines (return_id, order_line_id, qty_authorised, qty_received) "
            "VALUES (?, ?, 1, 1)",
            return_lines,
        )
        for batch in (orders_rows, lines, events, scans, returns, return_lines):
            batch.clear()

    for i, placed in _orders(orders, now, rng):
        age = now - placed
        ship_by = placed + timedelta(hours=rng.choice((24, 48, 72)))
        milestones = [("allocated", 0.5), ("picked", 3), ("packed", 5), ("shipped", 20)]
        cancelled = rng.random() < 0.02
        reached = []
        hours = 0.0
        for status, typical in milestones:
            hours += typical * rng.uniform(0.3, 2.5)
            if age > timedelta(hours=hours) and not cancelled:
                reached.append((status, placed + timedelta(hours=hours)))
        status = "cancelled" if cancelled else (reached[-1][0] if reached else "new")
        short = status == "new" and rng.random() < 0.3  # waiting for stock
        orders_rows.append(
            (
                i,
                f"SO-{i}",
                rng.randint(1, 3),
                f"R{i}",
                "backordered" if short else status,
                _stamp(placed),
                _stamp(ship_by),
                _stamp(placed),
                _stamp(placed),
            )
        )
        shipped = status == "shipped"
        first_line = line_id + 1
        for no in range(1, rng.choice((2, 2, 3)) + 1):
            line_id += 1
            sku = min(SKUS, int(rng.paretovariate(1.2)))
            qty = rng.randint(1, 3)
            done = qty if shipped else 0
            lines.append(
                (
                    line_id,
                    i,
                    no,
                    sku,
                    f"SKU-{sku:04d}",
                    f"Product {sku}",
                    qty,
                    0 if status == "new" or cancelled else qty,
                    done,
                    done,
                    done,
                )
            )
        if cancelled:
            event_id += 1
            events.append(
                (
                    event_id,
                    _stamp(placed + timedelta(hours=1)),
                    "desk",
                    "desk",
                    i,
                    "cancelled",
                    "cancelled",
                )
            )
        for status_reached, moment in reached:
            event_id += 1
            worker = {"picked": f"picker{i % 4}", "packed": f"packer{i % 3}"}.get(status_reached)
            station = f"{worker[:4]}-{worker[-1]}" if worker else "desk"
            events.append(
                (
                    event_id,
                    _stamp(moment),
                    worker or "desk",
                    station,
                    i,
                    status_reached,
                    status_reached,
                )
            )
            if status_reached == "picked":
                scans.append(
                    (_stamp(moment), station, "rejected" if rng.random() < 0.03 else "accepted", i)
                )
        if shipped and rng.random() < 0.02:
            return_id += 1
            returns.append(
                (
                    return_id,
                    f"RMA-{return_id}",
                    i,
                    rng.choice(("damaged", "doesnt_fit", "wrong_item", "changed_mind")),
                    _stamp(reached[-1][1] + timedelta(days=5)),
                )
            )
            return_lines.append((return_id, first_line))
        if len(orders_rows) >= 20_000:
            flush()
    flush()
    con.commit()
    con.execute("ANALYZE")
    con.close()


PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
COPIED_TABLES = (
    "warehouses",
    "channels",
    "settings",
    "products",
    "locations",
    "stock_levels",
    "orders",
    "order_lines",
    "audit_events",
    "scan_events",
    "returns",
    "return_lines",
)


def postgres_copy(sqlite_path: Path, orders: int) -> str:
    """A PostgreSQL database holding the same rows (COPY from the SQLite one), kept
    between runs as shipshape_bench_reports_N (upgraded, as the SQLite one is); its URL."""
    admin_url = os.environ.get("SHIPSHAPE_BENCH_PG", PG_DEFAULT)
    name = f"shipshape_bench_reports_{orders}"
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
            admin.dispose()
            cached = open_database(url)
            upgrade(cached)
            cached.dispose()
            return url
        conn.execute(text(f'CREATE DATABASE "{name}_part"'))
    part_url = make_url(admin_url).set(database=f"{name}_part")
    db = open_database(part_url.render_as_string(hide_password=False))
    upgrade(db)
    db.dispose()
    source = sqlite3.connect(sqlite_path)
    with psycopg.connect(
        part_url.set(drivername="postgresql").render_as_string(hide_password=False)
    ) as target:
        target.execute("SET TIME ZONE 'UTC'")
        # The rows come with their milestone columns filled: no trigger needs to run.
        target.execute("SET session_replication_role = replica")
        for table in COPIED_TABLES:
            columns = [row[1] for row in source.execute(f"PRAGMA table_info({table})")]
            listed = ", ".join(columns)
            with target.cursor().copy(f"COPY {table} ({listed}) FROM STDIN") as copy:
                for row in source.execute(f"SELECT {listed} FROM {table}"):
                    copy.write_row(row)
    source.close()
    with psycopg.connect(
        part_url.set(drivername="postgresql").render_as_string(hide_password=False),
        autocommit=True,
    ) as target:
        target.execute("VACUUM ANALYZE")  # as autovacuum leaves a live database
    with admin.connect() as conn:
        conn.execute(text(f'ALTER DATABASE "{name}_part" RENAME TO "{name}"'))
    admin.dispose()
    return url


def server_cpu(db: Database) -> float | None:
    """CPU seconds used so far by the PostgreSQL processes connected to `db`'s database
    (None for SQLite, which runs in this process)."""
    if db.engine.dialect.name != "postgresql":
        return None
    with db.engine.connect() as conn:
        pids = conn.scalars(
            text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        ).all()
    ticks = 0
    for pid in pids:
        with contextlib.suppress(OSError):  # a connection that just ended
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def measure(url: str, kind: str, days: int) -> dict[str, object]:
    db = open_database(url)
    query = ReportQuery(start=date.today() - timedelta(days=days - 1))
    with contextlib.suppress(NoData):
        run_report(db, ACTOR, kind, query)  # warm the caches once
    walls, cpus, server_cpus = [], [], []
    for _ in range(RUNS):
        server_started = server_cpu(db)
        started, cpu_started = time.perf_counter(), time.process_time()
        with contextlib.suppress(NoData):
            run_report(db, ACTOR, kind, query)
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu_started)
        server_now = server_cpu(db)
        if server_started is not None and server_now is not None:
            server_cpus.append(server_now - server_started)
    db.dispose()
    server = {"server_cpu_seconds": round(statistics.median(server_cpus), 3)} if server_cpus else {}
    return {
        "db": db.url.get_backend_name(),
        "metric": kind,
        "range_days": days,
        "seconds": round(statistics.median(walls), 4),
        "cpu_seconds": round(statistics.median(cpus), 4),
    } | server


def measure_dashboard(url: str) -> dict[str, object]:
    """The Dashboard on this database: first paint (panels saying "Loading…") and every
    chart filled, from `show()`, in a real (offscreen) Qt window."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QElapsedTimer, QEvent, QEventLoop, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from ui.context import UiContext
    from ui.views.dashboard_view import DashboardView

    app = QApplication.instance() or QApplication([])
    db = open_database(url)
    ctx = UiContext.open(db, ACTOR, station=None)
    view = DashboardView(ctx)
    view.resize(1280, 800)
    clock = QElapsedTimer()
    marks: dict[str, float] = {}

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint and "paint" not in marks:
                marks["paint"] = clock.nsecsElapsed() / 1e9
            return False

    spy = FirstPaint()
    view.installEventFilter(spy)
    view.reports_loaded.connect(lambda: marks.setdefault("loaded", clock.nsecsElapsed() / 1e9))
    clock.start()
    view.show()
    while "loaded" not in marks:
        loop = QEventLoop()
        QTimer.singleShot(5, loop.quit)
        loop.exec()
    view.close()
    ctx.tasks.shutdown()
    db.dispose()
    assert app is not None
    return {
        "db": db.url.get_backend_name(),
        "metric": "dashboard",
        "range_days": 30,
        "first_paint_seconds": round(marks["paint"], 4),
        "all_charts_seconds": round(marks["loaded"], 4),
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--days", default="30,90", help="range lengths to time, in days")
    parser.add_argument(
        "--db",
        choices=["sqlite", "postgresql"],
        default="sqlite",
        help="postgresql: the same rows copied to SHIPSHAPE_BENCH_PG's server",
    )
    args = parser.parse_args(argv)
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"reports-{args.orders}.db"
    if not path.exists():
        started = time.perf_counter()
        partial = path.with_suffix(".part")
        partial.unlink(missing_ok=True)
        build(partial, args.orders)
        partial.rename(path)
        print(
            json.dumps(
                {
                    "built": str(path),
                    "orders": args.orders,
                    "seconds": round(time.perf_counter() - started, 1),
                }
            ),
            flush=True,
        )
    cached = open_database(f"sqlite:///{path}")
    upgrade(cached)  # a database cached by an older version gets the newer indexes
    cached.dispose()
    url = f"sqlite:///{path}" if args.db == "sqlite" else postgres_copy(path, args.orders)
    for days in (int(d) for d in args.days.split(",")):
        for kind in args.kinds.split(","):
            line = measure(url, kind, days) | {"orders": args.orders}
            print(json.dumps(line), flush=True)
    print(json.dumps(measure_dashboard(url) | {"orders": args.orders}))


if __name__ == "__main__":
    main()
