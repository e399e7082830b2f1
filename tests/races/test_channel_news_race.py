"""A later export cancelling orders, imported while two stations pack those orders
(PostgreSQL, real processes; the import starts once the stations have packed a few).

Whoever locks an order first wins, and the other sees it: an order the import reached
first is cancelled and never packed; one a station had started is held for the desk
("cancelled in Shopify after picking started") and not cancelled under the packer's
hands. No order is both, nothing hangs, and verify is clean.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from app.context import Actor
from app.services.integrity import verify
from db.engine import Database
from db.models import Order, OrderLine
from db.uow import read
from tests.imports.files import cli
from tests.races.harness import run_workers, seed, url_of
from tests.races.news_workers import NewsConfig, NewsReport, news_worker

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

ORDERS = 40
HEADER = "external_ref,placed_at,name,address1,city,postcode,country,cancelled,sku,quantity"


def orders_file(path: Path, *, cancelled: bool) -> Path:
    rows = [
        f"N-{n},2024-03-05,Kunde {n},Weg {n},Berlin,10115,DE,{str(cancelled).lower()},MUG,1"
        for n in range(ORDERS)
    ]
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_cancellations_imported_while_stations_pack_either_cancel_or_hold_never_both(
    pg_db: Database, actor: Actor, tmp_path: Path
) -> None:
    seed(pg_db, actor, ["MUG"], ORDERS)
    first = orders_file(tmp_path / "first.csv", cancelled=False)
    assert cli(pg_db, "import-orders", str(first), "--channel", "web") == 0
    assert cli(pg_db, "allocate") == 0
    later = str(orders_file(tmp_path / "later.csv", cancelled=True))
    configs = [
        NewsConfig(url_of(pg_db), "pack"),
        NewsConfig(url_of(pg_db), "import", later, after_packed=3),
        NewsConfig(url_of(pg_db), "pack"),
    ]

    reports: list[NewsReport] = run_workers(news_worker, configs, timeout_s=240)

    imported = reports[1]
    assert (imported.code, imported.err) == (0, ""), imported
    packed = {number for r in reports for number in r.packed}

    def states(session: object) -> dict[str, tuple[str, str | None, str | None, int]]:
        rows = session.execute(  # type: ignore[attr-defined]
            select(
                Order.number, Order.status, Order.held_from, Order.hold_reason, OrderLine.qty_packed
            ).join(OrderLine, OrderLine.order_id == Order.id)
        )
        return {
            number: (status, held_from, reason, qty)
            for number, status, held_from, reason, qty in rows
        }

    final = read(pg_db, states)
    cancelled = {n for n, (status, *_rest) in final.items() if status == "cancelled"}
    held = {n for n, (status, *_rest) in final.items() if status == "on_hold"}
    assert cancelled | held == set(final), final  # every order got the news, one way or the other
    assert all(final[n][3] == 0 for n in cancelled)  # nothing of a cancelled order was packed
    assert not cancelled & packed
    assert cancelled and held, "the stations and the import must both have won some orders"
    assert {final[n][2] for n in held} == {"cancelled at the channel after picking started"}
    assert packed <= held  # a parcel packed before the news arrived is held, not lost
    summary = imported.out.splitlines()[1]
    assert summary == (
        f"  already here: 0 unchanged, 0 updated, {len(cancelled)} cancelled, {len(held)} held"
    )
    assert verify(pg_db) == []
