"""Returns speed: authorising an RMA at the desk and receiving its parcel at the station,
one unit of work each, as the desk and the returns station call them.

N orders of two lines are shipped first through the same services (not timed); then
each is authorised (return-create) and its parcel received (return-receive: one unit
restocked, one quarantined) in turn. Medians and 90th percentiles per operation.

    python -m tests.benchmarks.returns [--db sqlite|postgresql|sqlite,postgresql] [--returns N]

One JSON line per stage: {"db", "returns", "stage", "median_ms", "p90_ms", "per_s"}.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import replace

from app.context import Actor
from app.domain.returns import Condition, Disposition, ReceiptItem
from app.services.allocation import allocate
from app.services.intake import create_orders
from app.services.pack_completion import pack_unverified
from app.services.returns import authorise_return, receive_return
from app.services.shipping import ship_order
from db.engine import Database
from tests.benchmarks.throughput import fresh_database
from tests.factories import ADDRESS, channel, new_order, stock

ACTOR = Actor(username="bench", station="returns-bench")
PARCEL = [
    ReceiptItem("MUG", 1, Condition.SELLABLE, Disposition.RESTOCK),
    ReceiptItem("TEA", 1, Condition.DAMAGED, Disposition.QUARANTINE),
]


def _shipped(db: Database, count: int) -> list[str]:
    stock(db, ACTOR, {"MUG": count, "TEA": count})
    channel(db)
    orders = [
        replace(
            new_order({"MUG": 1, "TEA": 1}, ref=f"#R{i}"),
            email=f"r{i}@example.com",
            ship_to=replace(ADDRESS, address1=f"{i} Bench Road"),
        )
        for i in range(count)
    ]
    numbers = create_orders(db, ACTOR, orders).created
    allocate(db, ACTOR)
    for number in numbers:
        pack_unverified(db, ACTOR, number)
        ship_order(db, ACTOR, number)
    return numbers


def _timed(calls: list[Callable[[], object]]) -> list[float]:
    times = []
    for call in calls:
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times


def _line(db: str, count: int, stage: str, times: list[float]) -> str:
    median = statistics.median(times)
    return json.dumps(
        {
            "db": db,
            "returns": count,
            "stage": stage,
            "median_ms": round(median, 1),
            "p90_ms": round(statistics.quantiles(times, n=10)[-1], 1),
            "per_s": round(1000 / median, 1),
        }
    )


def run(kind: str, count: int) -> list[str]:
    with fresh_database(kind) as db:
        numbers = _shipped(db, count)
        rmas: list[str] = []
        authorise = _timed(
            [
                lambda n=n: rmas.append(
                    authorise_return(db, ACTOR, n, {"MUG": 1, "TEA": 1}, "damaged").number
                )
                for n in numbers
            ]
        )
        receive = _timed([lambda r=r: receive_return(db, ACTOR, r, PARCEL) for r in rmas])
    return [_line(kind, count, "authorise", authorise), _line(kind, count, "receive", receive)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--returns", type=int, default=200)
    args = parser.parse_args()
    for kind in args.db.split(","):
        for line in run(kind, args.returns):
            print(line, flush=True)


if __name__ == "__main__":
    main()
