"""Importing a Shopify export again: what comparing every order already here costs.

The export of `tests.benchmarks.imports` (N orders, default 20,000, fixed seed) is
imported into a fresh database, then imported again unchanged (every order read and
compared, none written), then a copy in which every 100th order has a new street
(those updated, the rest compared). Each import runs in a child process, timed from
start to exit (wall and CPU time: a shared machine stretches the wall clock), peak
RSS from wait4. Prints one JSON line of medians:

    python -m tests.benchmarks.reimport --db sqlite|postgresql [--orders N] [--repeat R]
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import tempfile
from pathlib import Path

from tests.benchmarks.imports import import_once, write_shopify_export
from tests.benchmarks.throughput import fresh_database, stock_warehouse

CHANGED_EVERY = 100  # every 100th order gets a new street in the later export


def later_export(source: Path, target: Path) -> int:
    """A copy of `source` in which every CHANGED_EVERY-th order moved; returns how many."""
    moved = 0
    with (
        source.open(encoding="utf-8", newline="") as ins,
        target.open("w", encoding="utf-8", newline="") as out,
    ):
        reader, writer = csv.reader(ins), csv.writer(out)
        header = next(reader)
        writer.writerow(header)
        name, street = header.index("Name"), header.index("Shipping Address1")
        for row in reader:
            if row[street] and int(row[name].lstrip("#")) % CHANGED_EVERY == 0:
                row[street] = f"{row[street]} (rear building)"
                moved += 1
            writer.writerow(row)
    return moved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    stages: dict[str, list[tuple[float, float, float]]] = {"first": [], "same": [], "later": []}
    with tempfile.TemporaryDirectory() as folder:
        first, later = Path(folder) / "orders_export.csv", Path(folder) / "later_export.csv"
        lines = write_shopify_export(first, orders=args.orders, lines=None, seed=args.seed)
        moved = later_export(first, later)
        for _ in range(args.repeat):
            with fresh_database(args.db) as db:
                stock_warehouse(db, 10)
                url = db.url.render_as_string(hide_password=False)
                for stage, path in (("first", first), ("same", first), ("later", later)):
                    seconds, cpu, rss, _summary = import_once(url, path)
                    stages[stage].append((seconds, cpu, rss))

    def median(stage: str, index: int) -> float:
        return round(statistics.median(run[index] for run in stages[stage]), 2)

    print(
        json.dumps(
            {
                "db": args.db,
                "stage": "import-orders again",
                "orders": args.orders,
                "order_lines": lines,
                "first_import_seconds": median("first", 0),
                "unchanged_reimport_seconds": median("same", 0),
                "unchanged_orders_per_s": round(args.orders / median("same", 0)),
                "unchanged_reimport_cpu_seconds": median("same", 1),
                "unchanged_orders_per_cpu_s": round(args.orders / median("same", 1)),
                "changed_orders": moved,
                "changed_reimport_seconds": median("later", 0),
                "changed_reimport_cpu_seconds": median("later", 1),
                "peak_rss_mb": max(median(stage, 2) for stage in stages),
                "runs": args.repeat,
            }
        )
    )


if __name__ == "__main__":
    main()
