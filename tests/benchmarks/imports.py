"""Order import from a file, end to end: `main.py import-orders` on a Shopify export.

N orders (default 100,000) of 1-3 lines over the 500 SKUs of the shared workload,
fixed seed, written as Shopify's own 79-column export (order columns on the first
row of an order only). Each run imports into a fresh database in a child process,
timed from start to exit, its peak RSS read from the kernel (wait4). Prints one
JSON line of medians per database, each importing the same file:

    python -m tests.benchmarks.imports --db sqlite postgresql [--orders N] [--repeat R]
    python -m tests.benchmarks.imports --lines 1000000     # the big-file memory check

`--lines` sizes the file by order lines instead (a 1,000,000-line file is about
500,000 orders and 190 MB). Each line also says where the time goes:
`read_cpu_seconds` is a child that starts as the CLI starts and reads the file into
orders as `import-orders` does, with no database; the rest of the import's CPU time
(`write_cpu_seconds`) is the database side, intake writing the orders.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.throughput import SKUS, fresh_database, stock_warehouse

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "samples" / "shopify_orders.csv"
CITIES = [("Berlin", "10115", "DE"), ("Lyon", "69002", "FR"), ("Leeds", "LS1 4AP", "GB")]


def write_shopify_export(path: Path, *, orders: int | None, lines: int | None, seed: int) -> int:
    """The export, written row by row; returns the number of order lines in it."""
    header = SAMPLE.read_text(encoding="utf-8").splitlines()[0].split(",")
    column = {name: i for i, name in enumerate(header)}
    rng = random.Random(seed)
    written = number = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        while (orders is None or number < orders) and (lines is None or written < lines):
            number += 1
            city, postcode, country = rng.choice(CITIES)
            count = rng.randint(1, 3) if lines is None else min(rng.randint(1, 3), lines - written)
            skus = rng.sample(range(SKUS), count)
            for index, sku in enumerate(skus):
                row = [""] * len(header)
                row[column["Name"]] = f"#{100000 + number}"
                row[column["Lineitem sku"]] = f"SKU-{sku:04d}"
                row[column["Lineitem quantity"]] = str(rng.randint(1, 3))
                row[column["Lineitem price"]] = "12.50"
                row[column["Lineitem name"]] = f"Product {sku}"
                row[column["Lineitem requires shipping"]] = "true"
                row[column["Lineitem fulfillment status"]] = "pending"
                if index == 0:
                    for name, value in {
                        "Email": f"customer{number % 50_000}@example.com",
                        "Financial Status": "paid",
                        "Fulfillment Status": "unfulfilled",
                        "Currency": "EUR",
                        "Shipping": "4.90",
                        "Shipping Method": "Standard",
                        "Created at": "2024-03-05 14:07:12 +0100",
                        "Billing Name": f"Customer {number}",
                        "Billing Country": country,
                        "Shipping Name": f"Customer {number}",
                        "Shipping Address1": f"{number % 200 + 1} Long Street",
                        "Shipping City": city,
                        "Shipping Zip": postcode,
                        "Shipping Country": country,
                    }.items():
                        row[column[name]] = value
                writer.writerow(row)
            written += count
    return written


def import_once(url: str, path: Path) -> tuple[float, float, float, str]:
    """Seconds, CPU seconds, peak RSS in MB and the summary line of one `import-orders`
    in a child. CPU time is shown because a shared machine stretches the wall clock."""
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "--db", url, "import-orders", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None and child.stderr is not None
    summary = child.stdout.readline().strip()
    child.stdout.read()
    errors = child.stderr.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"import-orders failed ({child.returncode}): {errors.strip()[-500:]}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, summary


READ_ONLY = """
import sys
from pathlib import Path
import app.cli
from app.imports.order_formats import read_order_file
for _ in read_order_file(Path(sys.argv[1]), None, None).candidates:
    pass
"""


def read_once(path: Path) -> tuple[float, float]:
    """CPU seconds and peak RSS in MB of reading the file into orders without a database."""
    child = subprocess.Popen([sys.executable, "-c", READ_ONLY, str(path)], cwd=ROOT)
    _pid, status, usage = os.wait4(child.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"reading {path.name} failed")
    return usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--db", nargs="+", choices=["sqlite", "postgresql"], default=["sqlite"], metavar="DB"
    )
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--lines", type=int, help="size the file by order lines instead")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "orders_export.csv"
        orders = None if args.lines else args.orders
        lines = write_shopify_export(path, orders=orders, lines=args.lines, seed=args.seed)
        for kind in args.db:
            print(json.dumps(_measure(kind, path, lines, args.repeat)), flush=True)


def _measure(kind: str, path: Path, lines: int, repeat: int) -> dict[str, object]:
    """Medians of `repeat` imports of the file into fresh databases of this kind."""
    runs: list[tuple[float, float, float, float]] = []
    summary = ""
    for _ in range(repeat):
        with fresh_database(kind) as db:
            stock_warehouse(db, 10)
            url = db.url.render_as_string(hide_password=False)
            seconds, cpu, rss, summary = import_once(url, path)
        runs.append((seconds, cpu, rss, read_once(path)[0]))
    seconds = statistics.median(run[0] for run in runs)
    cpu = statistics.median(run[1] for run in runs)
    read = statistics.median(run[3] for run in runs)
    return {
        "db": kind,
        "stage": "import-orders",
        "format": "shopify",
        "orders": int(summary.split()[1]),
        "order_lines": lines,
        "file_mb": round(path.stat().st_size / 1e6, 1),
        "seconds": round(seconds, 2),
        "order_lines_per_s": round(lines / seconds),
        "cpu_seconds": round(cpu, 2),
        "order_lines_per_cpu_s": round(lines / cpu),
        "read_cpu_seconds": round(read, 2),
        "write_cpu_seconds": round(cpu - read, 2),
        "peak_rss_mb": round(statistics.median(run[2] for run in runs), 1),
        "runs": len(runs),
    }


if __name__ == "__main__":
    main()
