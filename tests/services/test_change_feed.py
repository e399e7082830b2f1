"""Another connection's commit reaches a listening station: NOTIFY on PostgreSQL (with
the table), PRAGMA data_version on SQLite."""

from __future__ import annotations

import queue

from app.changes import Changes
from app.context import Actor
from app.services.change_feed import ChangeFeed
from app.services.order_actions import hold_order
from db.engine import Database, open_database
from tests.factories import place, stock


def test_a_change_committed_by_another_connection_is_heard(db: Database, actor: Actor) -> None:
    stock(db, actor, {"MUG": 5})
    number = place(db, actor, {"MUG": 1})
    heard: queue.Queue[Changes] = queue.Queue()
    feed = ChangeFeed(db, heard.put, interval=0.2)
    feed.start()
    other = open_database(db.url.render_as_string(hide_password=False), station="other")
    try:
        hold_order(other, actor, number, "checking the address")
        changes = heard.get(timeout=10)
    finally:
        feed.stop()
        other.dispose()

    assert changes.orders and changes.from_elsewhere
    if db.dialect == "postgresql":  # the trigger names the table: stock was not touched
        assert not changes.stock
