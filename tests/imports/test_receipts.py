"""Receipts are taken in once: a retry after a lost reply, or a file dropped twice,
changes stock once and says so; a reused reference with other contents is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.context import Actor
from app.errors import ValidationFailed
from app.services.inventory import StockCount, receive_and_allocate
from app.services.stats import stats
from db.engine import Database
from db.models import StockMove, StockReceipt
from db.uow import read
from tests.factories import stock
from tests.imports.files import cli, write


def on_hand(db: Database) -> int:
    return stats(db).stock.on_hand


def test_the_same_receipt_applied_again_changes_stock_once_and_names_the_first(
    db: Database, actor: Actor
) -> None:
    stock(db, actor, {"MUG": 0, "TEA": 0})
    counts = [
        StockCount("MUG", "A-01-01-A", 5, receipt="DN-4711"),
        StockCount("TEA", "A-01-01-B", 7, receipt="DN-4711"),
    ]

    first = receive_and_allocate(db, actor, counts)
    # The reply to that commit was lost: the station retries the very same receipt.
    retry = receive_and_allocate(db, actor, list(reversed(counts)))

    assert (first.receipts, first.units_in, first.already_received) == (["DN-4711"], 12, [])
    assert (retry.receipts, retry.units_in, retry.moves) == ([], 0, 0)
    [seen] = retry.already_received
    assert (seen.reference, seen.units, seen.user, seen.station) == (
        "DN-4711",
        12,
        actor.username,
        actor.station,
    )
    assert str(seen).startswith("receipt DN-4711 was already received on ")
    assert str(seen).endswith(f"(12 units, {actor.username}, {actor.station}); stock unchanged")
    assert on_hand(db) == 12
    reasons = read(db, lambda s: s.scalars(select(StockMove.reason)).all())
    assert reasons == ["receipt DN-4711", "receipt DN-4711"]


def test_a_reused_reference_with_other_contents_is_refused_and_changes_nothing(
    db: Database, actor: Actor
) -> None:
    stock(db, actor, {"MUG": 0})
    receive_and_allocate(db, actor, [StockCount("MUG", "A-01-01-A", 5, receipt="DN-1")])

    with pytest.raises(ValidationFailed) as refused:
        receive_and_allocate(
            db, actor, [StockCount("MUG", "A-01-01-A", 6, "in.csv:2", receipt="DN-1")]
        )

    assert str(refused.value).startswith("in.csv:2: receipt DN-1 was already received on ")
    assert str(refused.value).endswith(
        "UTC with other contents (5 units on 1 lines); nothing changed - check the reference"
    )
    assert on_hand(db) == 5


def test_a_file_dropped_twice_is_received_once_and_the_second_run_says_so(
    db: Database, actor: Actor, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stock(db, actor, {"MUG": 1, "TEA": 1})  # at A-01-01-A
    path = write(tmp_path / "in.csv", "sku,location,quantity\nMUG,A-01-01-A,4\nTEA,A-01-01-A,2\n")
    capsys.readouterr()

    assert cli(db, "import-stock", str(path), "--receive") == 0
    assert cli(db, "import-stock", str(path), "--receive") == 0

    out = capsys.readouterr().out.splitlines()
    assert out[0] == "received 6 units in 2 moves; backorders allocated"
    assert out[1].startswith("  receipts: sha256:")
    assert out[2] == "nothing received: the file's receipts were received before"
    assert out[3].startswith(f"  receipt {out[1].removeprefix('  receipts: ')} was already")
    assert on_hand(db) == 2 + 6


def test_a_receipt_column_takes_each_delivery_once_and_receipt_flag_names_one(
    db: Database, actor: Actor, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stock(db, actor, {"MUG": 1, "TEA": 1})  # at A-01-01-A
    monday = "sku,location,quantity,receipt\nMUG,A-01-01-A,4,PO-1\nTEA,A-01-01-A,2,PO-2\n"
    tuesday = monday + "MUG,A-01-01-A,10,PO-3\n"  # the same notes again, and a new one
    plain = write(tmp_path / "plain.csv", "sku,location,quantity\nTEA,A-01-01-A,1\n")
    capsys.readouterr()

    assert cli(db, "import-stock", str(write(tmp_path / "mon.csv", monday)), "--receive") == 0
    assert cli(db, "import-stock", str(write(tmp_path / "tue.csv", tuesday)), "--receive") == 0
    assert cli(db, "import-stock", str(plain), "--receive", "--receipt", "DN 77") == 0
    assert cli(db, "import-stock", str(plain), "--receive", "--receipt", "DN 77") == 0

    out = capsys.readouterr().out.splitlines()
    assert out[:2] == [
        "received 6 units in 2 moves; backorders allocated",
        "  receipts: PO-1, PO-2",
    ]
    assert out[2:4] == ["received 10 units in 1 moves; backorders allocated", "  receipts: PO-3"]
    assert out[4].startswith("  receipt PO-1 was already received on ")
    assert out[5].startswith("  receipt PO-2 was already received on ")
    assert out[6:8] == ["received 1 units in 1 moves; backorders allocated", "  receipts: DN 77"]
    assert out[8] == "nothing received: the file's receipts were received before"
    assert on_hand(db) == 2 + 17
    assert read(db, lambda s: s.scalar(select(func.count()).select_from(StockReceipt))) == 4


def test_receipt_mistakes_are_one_sentence_and_change_nothing(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with_column = write(tmp_path / "r.csv", "sku,location,quantity,receipt\nMUG,A-1,4,\n")
    plain = write(tmp_path / "p.csv", "sku,location,quantity\nMUG,A-1,4\n")

    assert cli(db, "import-stock", str(with_column), "--receive") == 1
    assert cli(db, "import-stock", str(with_column), "--receive", "--receipt", "X") == 1
    assert cli(db, "import-stock", str(plain), "--receipt", "X") == 1
    assert cli(db, "import-stock", str(plain), "--receive", "--receipt", "x" * 81) == 1

    assert capsys.readouterr().err.splitlines() == [
        "error: 1 problem(s); nothing changed",
        "  r.csv:2: receipt: required",
        "error: r.csv: the file has a receipt column; leave out --receipt (or the column)",
        "error: --receipt goes with --receive",
        "error: --receipt: longer than 80 characters",
    ]
    assert read(db, lambda s: s.scalar(select(func.count()).select_from(StockReceipt))) == 0
