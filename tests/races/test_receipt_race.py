"""One delivery note received by four processes at once (PostgreSQL): the stock goes in
once, one process says it received it, the others that it had been received, and
nothing escapes as a traceback. The receipt's unique reference, claimed with
INSERT ... ON CONFLICT DO NOTHING in the stock's own transaction, is what keeps them
apart: a loser waits for the winner's commit, then finds the claim."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.context import Actor
from app.services.integrity import verify
from app.services.stats import stats
from db.engine import Database
from tests.races.harness import run_workers, seed, url_of
from tests.races.import_workers import ImportConfig, ImportReport, import_worker

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

WORKERS = 4


def test_four_processes_receiving_one_delivery_note_put_it_in_once(
    pg_db: Database, actor: Actor, tmp_path: Path
) -> None:
    seed(pg_db, actor, ["MUG", "TEA"], 10)
    path = tmp_path / "delivery.csv"
    path.write_text("sku,location,quantity\nMUG,A-01-01-A,30\nTEA,A-01-01-A,12\n")
    command = ("import-stock", str(path), "--receive", "--receipt", "DN-5150")
    configs = [ImportConfig(url_of(pg_db), str(path), command=command) for _ in range(WORKERS)]

    reports: list[ImportReport] = run_workers(import_worker, configs, timeout_s=120)

    assert [r.escaped for r in reports] == [None] * WORKERS
    assert [r.code for r in reports] == [0] * WORKERS, [r.err for r in reports]
    firsts = [r.out.splitlines()[0] for r in reports]
    assert sorted(firsts) == [
        *["nothing received: the file's receipts were received before"] * (WORKERS - 1),
        "received 42 units in 2 moves; backorders allocated",
    ]
    assert stats(pg_db).stock.on_hand == 2 * 10 + 42
    assert verify(pg_db) == []


def test_negative_control_without_the_claim_the_delivery_goes_in_four_times(
    pg_db: Database, actor: Actor, tmp_path: Path
) -> None:
    seed(pg_db, actor, ["MUG"], 10)
    path = tmp_path / "delivery.csv"
    path.write_text("sku,location,quantity\nMUG,A-01-01-A,30\n")
    command = ("import-stock", str(path), "--receive", "--receipt", "DN-5150")
    configs = [
        ImportConfig(url_of(pg_db), str(path), locking=False, command=command)
        for _ in range(WORKERS)
    ]

    reports: list[ImportReport] = run_workers(import_worker, configs, timeout_s=120)

    assert [r.code for r in reports] == [0] * WORKERS
    assert stats(pg_db).stock.on_hand == 10 + WORKERS * 30
