"""From the packer's confirm to the label's last byte at the printer.

Each of N orders (3 random lines of 1-3 units, fixed seed, as in the shared workload) is
opened and scan-verified at station `pack-1` first, untimed. The clock then runs from
the confirm - `complete_packing` (shipment, SSCC, tracking number, print jobs, one
transaction) followed by `print_job` on the label job, as the pack screen's writer
thread runs them - to the moment a loopback port-9100 printer (a socket server thread)
has received the label's last byte. The label goes as ZPL, as to a real raw-port
printer; the channel wants no packing slip, so the label is the only job.

    python -m tests.benchmarks.station_print --db sqlite|postgresql [--orders 200]

One JSON line: {"db", "orders", "stage", "p50_ms", "p95_ms", "max_ms", ...}.
Target: p95 <= 500 ms.
"""

from __future__ import annotations

import argparse
import json
import random
import time
from dataclasses import replace

from sqlalchemy import update

from app.context import Actor
from app.services.allocation import allocate
from app.services.catalogue import ProductInput, upsert_products
from app.services.demo_data import gtin13
from app.services.intake import create_orders
from app.services.pack_completion import PackageSpec, complete_packing
from app.services.packing import open_for_packing, record_pack_scan
from app.services.printing import print_job
from app.services.stations import StationDevices, save_station_devices
from db.engine import Database
from db.models import Channel
from db.uow import run_in_transaction
from tests.benchmarks.scan_latency import percentile
from tests.benchmarks.throughput import fresh_database
from tests.factories import ADDRESS, channel, new_order, stock
from tests.loopback_printer import LoopbackPrinter

SKUS = 20
SEED = 8
ADMIN = Actor(username="bench", station="bench")
PACKER = Actor(username="pat", station="pack-1")


def prepare(db: Database, orders: int, printer: str) -> list[tuple[int, str]]:
    """N allocated orders opened and fully scanned at pack-1: (order id, number) each."""
    skus = {f"SKU-{i:02d}": gtin13(700_000 + i) for i in range(SKUS)}
    stock(db, ADMIN, dict.fromkeys(skus, orders * 9))
    upsert_products(
        db, ADMIN, [ProductInput(sku, f"Product {sku}", (g,), 150) for sku, g in skus.items()]
    )
    channel(db)
    run_in_transaction(db, lambda s: s.execute(update(Channel).values(packing_slip=False)))
    save_station_devices(db, ADMIN, StationDevices(PACKER.station, printer, "", ""))
    rng = random.Random(SEED)
    workload = [
        replace(  # a customer each: no risk rule holds the order
            new_order({sku: rng.randint(1, 3) for sku in rng.sample(sorted(skus), 3)}),
            ship_to=replace(ADDRESS, name=f"Customer {n}", address1=f"Hauptstraße {n}"),
            email=f"customer{n}@example.de",
        )
        for n in range(orders)
    ]
    numbers = create_orders(db, ADMIN, workload).created
    allocate(db, ADMIN)
    ready = []
    for number, order in zip(numbers, workload, strict=True):
        state = open_for_packing(db, PACKER, f"O:{number}")
        for line in order.lines:
            record_pack_scan(db, PACKER, state.order_id, skus[line.sku], units=line.quantity)
        ready.append((state.order_id, number))
    return ready


def confirm_to_label(
    db: Database, ready: list[tuple[int, str]], printer: LoopbackPrinter
) -> list[float]:
    """Milliseconds from each confirm to its label's last byte at the printer."""
    times = []
    for done, (order_id, _) in enumerate(ready, 1):
        start = time.perf_counter()
        result = complete_packing(
            db, PACKER, order_id, [PackageSpec(box_code="M")], label_format="zpl"
        )
        outcome = print_job(db, result.print_job_ids[0])
        if not outcome.printed:
            raise RuntimeError(outcome.message)
        arrived = printer.wait_for(done)[-1]
        times.append((arrived.done_at - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--orders", type=int, default=200)
    args = parser.parse_args()
    printer = LoopbackPrinter().start()
    try:
        with fresh_database(args.db) as db:
            ready = prepare(db, args.orders, printer.spec)
            times = confirm_to_label(db, ready, printer)
    finally:
        printer.stop()
    sizes = [len(job.data) for job in printer.jobs]
    line = {
        "db": args.db,
        "orders": args.orders,
        "stage": "confirm_to_label",
        "p50_ms": round(percentile(times, 0.50), 1),
        "p95_ms": round(percentile(times, 0.95), 1),
        "max_ms": round(max(times), 1),
        "label_format": "zpl",
        "label_bytes": round(sum(sizes) / len(sizes)),
    }
    print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()
