"""The same orders file imported by three processes at once (PostgreSQL, COPY path).

Intake is idempotent per channel reference; under concurrency too: one process
imports the file, the others wait for it and report every order already present,
with no traceback and nothing doubled. The negative control switches intake's lock
off and must see the race: a process that read "not there yet" then collides.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.services.integrity import verify
from db.engine import Database
from db.models import Channel, Order, OrderLine
from db.uow import read
from tests.factories import channel
from tests.races.harness import run_workers, url_of
from tests.races.import_workers import ImportConfig, ImportReport, import_worker

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

ORDERS = 2000  # about 3 s to import here: the others wait well within lock_timeout
WORKERS = 3
HEADER = "external_ref,placed_at,name,address1,city,postcode,country,email,sku,quantity,unit_price"


def orders_file(path: Path) -> Path:
    rows = [
        f"R-{n},2024-03-05,Kunde {n},Weg {n},Berlin,10115,DE,k{n % 500}@example.de,{sku},{q},4.50"
        for n in range(ORDERS)
        for sku, q in (("MUG", 1 + n % 3), ("TEA", 1))
    ]
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def race(db: Database, path: Path, *, locking: bool) -> list[ImportReport]:
    configs = [ImportConfig(url_of(db), str(path), locking) for _ in range(WORKERS)]
    reports: list[ImportReport] = run_workers(import_worker, configs, timeout_s=180)
    return reports


def counts(db: Database) -> tuple[int, int, int]:
    return read(
        db,
        lambda s: (
            s.scalar(select(func.count()).select_from(Order)) or 0,
            s.scalar(select(func.count()).select_from(OrderLine)) or 0,
            s.scalar(select(func.count()).select_from(Channel)) or 0,
        ),
    )


def test_three_processes_importing_one_file_at_once_import_it_once(
    pg_db: Database, tmp_path: Path
) -> None:
    reports = race(pg_db, orders_file(tmp_path / "orders.csv"), locking=True)

    assert [r.escaped for r in reports] == [None] * WORKERS
    assert [(r.code, r.err) for r in reports] == [(0, "")] * WORKERS, reports
    summaries = sorted(r.out.splitlines()[0] for r in reports)
    assert summaries == [
        f"imported 0 orders (0 on hold), {ORDERS} already present",
        f"imported 0 orders (0 on hold), {ORDERS} already present",
        f"imported {ORDERS} orders ({ORDERS} on hold), 0 already present",
    ]
    assert max(r.started for r in reports) < min(r.finished for r in reports), "no overlap"
    assert counts(pg_db) == (ORDERS, 2 * ORDERS, 1)
    assert verify(pg_db) == []


def test_without_intake_s_lock_the_same_race_collides_on_the_order_references(
    pg_db: Database, tmp_path: Path
) -> None:
    channel(pg_db, "web")  # so that the collision is on the orders, not the new channel

    reports = race(pg_db, orders_file(tmp_path / "orders.csv"), locking=False)

    assert [r.escaped for r in reports] == [None] * WORKERS
    collided = [r.err for r in reports if r.code != 0]
    assert collided, "the negative control saw no race: the race test proves nothing"
    assert all('unique constraint "uq_orders_channel_id_external_ref"' in e for e in collided)
    assert counts(pg_db) == (ORDERS, 2 * ORDERS, 1)
