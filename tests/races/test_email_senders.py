"""Two senders in real processes racing on PostgreSQL send every message exactly once,
and an order's messages in order (claims with FOR UPDATE SKIP LOCKED)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest

from app.context import Actor
from app.services.intake import create_orders
from app.services.notifications import MessageRequest, queue_messages
from app.services.orders import find_order_id
from db.engine import Database
from db.uow import run_in_transaction
from tests import factories
from tests.notifications.mail import outbox
from tests.races.email_workers import SenderConfig, race_sender
from tests.races.harness import run_workers, url_of
from tests.smtp_server import SmtpServer

ORDERS = 150
TWICE = 30  # orders that also get a "delayed" message, which must arrive second


def _orders_with_mail(db: Database, actor: Actor, count: int) -> list[str]:
    factories.stock(db, actor, {"MUG": 10})
    factories.channel(db)
    orders = [replace(factories.new_order({"MUG": 1}), external_ref=f"#R{i}") for i in range(count)]
    return create_orders(db, actor, orders).created


@pytest.mark.postgres
@pytest.mark.slow
def test_two_senders_racing_on_postgresql_send_each_message_once_and_in_order(
    pg_db: Database, actor: Actor
) -> None:
    numbers = _orders_with_mail(pg_db, actor, ORDERS)
    run_in_transaction(
        pg_db,
        lambda s: queue_messages(
            s,
            [
                MessageRequest(find_order_id(s, n), "delayed", {"waiting_lines": []})
                for n in numbers[:TWICE]
            ],
        ),
    )
    server = SmtpServer().start()
    try:
        cfg = SenderConfig(url_of(pg_db), server.url)
        reports = run_workers(race_sender, [cfg, cfg], timeout_s=180)
        received = server.wait_for(ORDERS + TWICE)
    finally:
        server.stop()

    rows = outbox(pg_db)
    assert len(rows) == ORDERS + TWICE
    assert {r.status for r in rows} == {"sent"} and {r.attempts for r in rows} == {1}
    ids = Counter(m.message["Message-ID"].strip() for m in received)
    assert len(received) == ORDERS + TWICE and set(ids.values()) == {1}  # none twice
    assert set(ids) == {r.message_id for r in rows}
    assert sum(r.sent for r in reports) == ORDERS + TWICE
    assert all(r.sent > 0 for r in reports), [r.sent for r in reports]  # both really worked
    arrival = {m.message["Message-ID"].strip(): i for i, m in enumerate(received)}
    by_order: dict[int | None, dict[str, str]] = {}
    for r in rows:
        by_order.setdefault(r.order_id, {})[r.template] = r.message_id
    for messages in by_order.values():
        if "delayed" in messages:
            assert arrival[messages["order_received"]] < arrival[messages["delayed"]]
