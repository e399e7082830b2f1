"""E-mail throughput: messages queued into the outbox, then rendered and handed to a
loopback SMTP server (aiosmtpd on 127.0.0.1) by the sender.

N orders are created first with their e-mails switched off (not timed). Then:
- queue: one "shipped" message per order queued through queue_messages (recipient and
  snapshot written, nothing rendered), in units of work of 100 as a busy day's
  dispatches would;
- send: send_due drains the outbox over one SMTP session per batch of 20, rendering
  each batch as it claims it and marking each message sent in its own small
  transaction.

    python -m tests.benchmarks.emails [--db sqlite|postgresql|sqlite,postgresql] [--messages N]

One JSON line per stage: {"db", "messages", "stage", "seconds", "cpu_s",
"messages_per_s"}; cpu_s is this process's CPU time (the SMTP server's thread
included, the database server's not).
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.context import Actor
from app.emails.transport import smtp_from_url
from app.services.email_sender import send_due
from app.services.intake import add_orders
from app.services.notifications import MessageRequest, queue_messages
from db.engine import Database
from db.models import Order
from db.uow import read, run_in_transaction
from tests.benchmarks.throughput import fresh_database
from tests.factories import channel, new_order, site
from tests.smtp_server import SmtpServer

ACTOR = Actor(username="bench", station="bench")
CHUNK = 100
CONTEXT = {
    "carrier": "Demo Post",
    "tracking_number": "SS000000014GB",
    "tracking_url": "https://tracking.example/SS000000014GB",
    "shipped_lines": [{"sku": "MUG", "name": "Enamel mug", "qty": 2}],
}


def _orders(db: Database, count: int) -> list[int]:
    site(db, ACTOR)
    channel(db)
    orders = [replace(new_order({"MUG": 2}), external_ref=f"#B{i}") for i in range(count)]
    for start in range(0, count, 1000):
        batch = orders[start : start + 1000]
        run_in_transaction(db, lambda s, b=batch: add_orders(s, ACTOR, b, notify=False))
    return list(read(db, lambda s: s.scalars(select(Order.id).order_by(Order.id)).all()))


def _line(db: str, messages: int, stage: str, seconds: float, cpu: float) -> str:
    return json.dumps(
        {
            "db": db,
            "messages": messages,
            "stage": stage,
            "seconds": round(seconds, 3),
            "cpu_s": round(cpu, 3),
            "messages_per_s": round(messages / seconds, 1),
        }
    )


def run(kind: str, messages: int) -> list[str]:
    lines = []
    with fresh_database(kind) as db:
        ids = _orders(db, messages)
        start, cpu = time.perf_counter(), time.process_time()
        for first in range(0, len(ids), CHUNK):
            chunk = ids[first : first + CHUNK]

            def work(session: Session, chunk: list[int] = chunk) -> None:
                queue_messages(session, [MessageRequest(i, "shipped", CONTEXT) for i in chunk])

            run_in_transaction(db, work)
        lines.append(
            _line(kind, messages, "queue", time.perf_counter() - start, time.process_time() - cpu)
        )
        server = SmtpServer().start()
        try:
            start, cpu = time.perf_counter(), time.process_time()
            report = send_due(db, worker="bench", config=smtp_from_url(server.url))
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
            assert report.sent == messages and len(server.wait_for(messages)) == messages
        finally:
            server.stop()
        lines.append(_line(kind, messages, "send", seconds, cpu))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite,postgresql")
    parser.add_argument("--messages", type=int, default=1000)
    args = parser.parse_args()
    for kind in args.db.split(","):
        for line in run(kind, args.messages):
            print(line, flush=True)


if __name__ == "__main__":
    main()
