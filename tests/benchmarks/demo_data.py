"""How long `demo-data --orders N` takes and how much memory it needs, on a fresh
database: prints one JSON line {"db", "orders", "seconds", "cpu_s", "peak_rss_mb"}.

    python -m tests.benchmarks.demo_data --orders 1000000            # SQLite
    python -m tests.benchmarks.demo_data --db postgresql --orders 10000

The load runs in a child process (`main.py demo-data`), so the peak RSS is the
command's own; CPU time is the child's user + system time (the machine is shared:
wall time alone says little).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.scratch_databases import scratch_pg_database

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN_URL = os.environ.get(
    "SHIPSHAPE_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _cli(url: str, *args: str) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--db", url, *args],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )


def measure(url: str, orders: int) -> dict[str, float]:
    _cli(url, "init-db")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    _cli(url, "demo-data", "--orders", str(orders))
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "orders": orders,
        "seconds": round(seconds, 1),
        "cpu_s": round(cpu, 1),
        "peak_rss_mb": round(after.ru_maxrss / 1024),  # the largest child so far: the load
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--orders", type=int, default=1_000_000)
    args = parser.parse_args()
    if args.db == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            result = measure(f"sqlite:///{Path(folder) / 'demo.db'}", args.orders)
    else:
        with scratch_pg_database(PG_ADMIN_URL, "shipshape_demo") as url:
            result = measure(url, args.orders)
    print(json.dumps({"db": args.db, **result}), flush=True)


if __name__ == "__main__":
    main()
