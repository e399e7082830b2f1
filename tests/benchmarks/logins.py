"""What log-in and the permission check cost.

`authorize` runs at the start of every unit of work that changes something, a pack scan
included, so it must stay far below the 15 ms scan budget: measured here inside a
transaction for a signed-in user (one primary-key read of the role) and in open mode
(one EXISTS over users). A log-in is one Argon2id verification (64 MiB, t=3), slow on
purpose.

    python -m tests.benchmarks.logins [--db sqlite|postgresql|sqlite,postgresql] [--checks N]

One JSON line per database and measure: {"db", "measure", "n", "median_ms", "p95_ms"}.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable

from sqlalchemy.orm import Session

from app.context import Actor
from app.services.access import authorize
from app.services.users import add_user, log_in
from db.engine import Database
from db.uow import read
from tests.benchmarks.throughput import fresh_database

PASSWORD = "benchmark password 1"


def _timed(n: int, step: Callable[[], object]) -> list[float]:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    return times


def _line(db: Database, measure: str, times: list[float]) -> str:
    ordered = sorted(times)
    return json.dumps(
        {
            "db": db.dialect,
            "measure": measure,
            "n": len(times),
            "median_ms": round(statistics.median(ordered), 3),
            "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1], 3),
        }
    )


def measure(db: Database, checks: int) -> list[str]:
    anonymous = Actor("bench", "bench")
    lines = []

    def checks_in_one_read(actor: Actor) -> list[float]:
        def work(session: Session) -> list[float]:
            return _timed(checks, lambda: authorize(session, actor, "pack"))

        return read(db, work)

    lines.append(_line(db, "authorize_open_mode", checks_in_one_read(anonymous)))
    add_user(db, anonymous, "alex", "admin", PASSWORD)
    alex = log_in(db, "alex", PASSWORD, "bench")
    lines.append(_line(db, "authorize_signed_in", checks_in_one_read(alex)))
    lines.append(_line(db, "log_in", _timed(10, lambda: log_in(db, "alex", PASSWORD, "bench"))))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--checks", type=int, default=2000)
    args = parser.parse_args()
    for kind in args.db.split(","):
        with fresh_database(kind.strip()) as db:
            for line in measure(db, args.checks):
                print(line, flush=True)


if __name__ == "__main__":
    main()
