"""demo-data includes returns in every state the desk and station meet, once."""

from __future__ import annotations

from app.context import Actor
from app.services.demo_data import load_demo
from app.services.integrity import verify
from app.services.return_views import list_returns, return_detail
from db.engine import Database


def test_the_demo_has_returns_in_every_state_and_loads_them_once(
    sqlite_db: Database, actor: Actor
) -> None:
    summary = load_demo(sqlite_db, actor, orders=40, skus=15, seed=3)
    rows = list_returns(sqlite_db)
    assert summary.returns == len(rows) == 7
    assert {row.status for row in rows} == {"authorised", "received", "closed"}
    assert {row.refund_pending for row in rows if row.refund_amount is not None} == {True, False}
    assert any(row.unexpected for row in rows)
    assert {row.resolution for row in rows} == {"refund", "exchange", "credit"}
    exchange = next(row for row in rows if row.resolution == "exchange")
    assert return_detail(sqlite_db, exchange.number).status == "authorised"
    assert verify(sqlite_db) == []
    assert load_demo(sqlite_db, actor, orders=40, skus=15, seed=3).returns == 0
