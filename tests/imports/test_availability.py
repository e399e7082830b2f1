"""Available to sell per channel: free stock in pick and bulk, less the channel's buffer."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from app.context import Actor
from app.errors import NotFound
from app.services.allocation import allocate
from app.services.availability import Availability, availability
from app.services.catalogue import ProductInput, ensure_channel, upsert_products
from app.services.inventory import StockCount, apply_counts
from db.engine import Database
from db.models import Location
from db.uow import run_in_transaction
from tests.factories import place, stock
from tests.imports.files import cli


def channel(db: Database, code: str, buffer: int) -> None:
    def work(session: Session) -> None:
        ensure_channel(session, code, "csv").safety_buffer = buffer

    run_in_transaction(db, work)


def warehouse(db: Database, actor: Actor) -> None:
    """MUG: 10 in a pick bin, 4 in bulk, 6 still at receiving; 3 reserved. TEA: inactive."""
    stock(db, actor, {"MUG": 10, "TEA": 5})
    apply_counts(db, actor, [StockCount("MUG", "BULK-1", 4), StockCount("MUG", "RECV-1", 6)])
    upsert_products(db, actor, [ProductInput("TEA", "Product TEA", active=False)])

    def kinds(session: Session) -> None:
        for code, kind in (("BULK-1", "bulk"), ("RECV-1", "receiving")):
            session.execute(update(Location).where(Location.code == code).values(kind=kind))

    run_in_transaction(db, kinds)
    place(db, actor, {"MUG": 3})
    allocate(db, actor)
    channel(db, "web", 2)
    channel(db, "amazon", 20)


def test_available_to_sell_is_free_pick_and_bulk_stock_less_the_buffer_never_below_zero(
    db: Database, actor: Actor
) -> None:
    warehouse(db, actor)

    assert availability(db) == [
        Availability("amazon", "MUG", 0),
        Availability("amazon", "TEA", 0),
        Availability("web", "MUG", 9),
        Availability("web", "TEA", 0),
    ]
    assert availability(db, "web")[0] == Availability("web", "MUG", 9)


def test_a_product_without_stock_is_listed_as_zero(db: Database, actor: Actor) -> None:
    upsert_products(db, actor, [ProductInput("NEW", "Just listed")])
    channel(db, "web", 0)

    assert availability(db) == [Availability("web", "NEW", 0)]


def test_the_export_writes_csv_or_json_and_names_an_unknown_channel(
    db: Database, actor: Actor, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    warehouse(db, actor)

    assert cli(db, "export-availability", "--channel", "web", "--out", str(tmp_path / "a.csv")) == 0
    assert cli(db, "export-availability", "--out", str(tmp_path / "a.json")) == 0
    assert cli(db, "export-availability", "--channel", "ebay", "--out", str(tmp_path / "b")) == 1

    out, err = capsys.readouterr()
    assert out.splitlines() == [
        f"wrote 2 rows to {tmp_path / 'a.csv'}",
        f"wrote 4 rows to {tmp_path / 'a.json'}",
    ]
    assert err == "error: no channel ebay\n"
    assert (tmp_path / "a.csv").read_text(encoding="utf-8").splitlines() == [
        "channel,sku,available",
        "web,MUG,9",
        "web,TEA,0",
    ]
    assert json.loads((tmp_path / "a.json").read_text(encoding="utf-8"))[2] == {
        "channel": "web",
        "sku": "MUG",
        "available": 9,
    }
    assert not (tmp_path / "b").exists()


def test_cells_of_the_csv_export_cannot_run_as_spreadsheet_formulas(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    skus = ['=HYPERLINK("http://evil.example")', "+SUM(A1)", "-2", "@cmd", "\tTAB"]
    upsert_products(db, actor, [ProductInput(sku, "Odd SKU") for sku in skus])
    channel(db, "=web", 0)

    assert cli(db, "export-availability", "--out", str(tmp_path / "a.csv")) == 0

    with (tmp_path / "a.csv").open(encoding="utf-8", newline="") as written:
        rows = list(csv.reader(written))[1:]
    assert all(cell[0] not in "=+-@\t\r\n" for row in rows for cell in row if cell)
    assert sorted(row[1] for row in rows) == sorted(f"'{sku}" for sku in skus)
    assert {row[0] for row in rows} == {"'=web"}


def test_no_active_channel_is_an_error(db: Database, actor: Actor) -> None:
    stock(db, actor, {"MUG": 1})

    def deactivate(session: Session) -> None:
        ensure_channel(session, "web", "csv").active = False

    run_in_transaction(db, deactivate)

    with pytest.raises(NotFound, match="no active sales channels"):
        availability(db)
