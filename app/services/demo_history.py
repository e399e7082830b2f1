"""The demo's order history, written straight to the tables a chunk at a time.

Each order gets the rows the services would have written on its way (what it is:
app.services.demo_plan; its customer, lines, milestones, audit trail and search
document: demo_orders; what the warehouse did: demo_fulfilment). Stock arrives as
goods-in receipts of what each chunk needs, so balances always equal the ledger and
`verify` passes after every chunk.

Rows go in as tuples built here, many per statement (COPY on PostgreSQL: demo_rows): no
ORM objects, and never more than two batches of rows in memory. A thread builds the
next batch while this one is written, and another (app.services.demo_data) draws the
next chunk's orders and customers: the database driver lets go of the interpreter while the
statement runs, so on two cores drawing, building and writing overlap.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services.demo_facts import Site
from app.services.demo_orders import Chunk, Drawn
from app.services.demo_plan import plan
from app.services.demo_rows import add_to_levels, write_rows
from db.models import Order

SQLITE_CACHE_KB = 128 * 1024
BATCH = 500  # orders built while the ones before are written


def present(session: Session, site: Site, last: int) -> bool:
    """Whether order `last` (and so its whole chunk, written in one transaction) exists."""
    found = plan(site, last)
    return (
        session.scalar(
            select(Order.id).where(
                Order.channel_id == site.channels[found.channel], Order.external_ref == found.ref
            )
        )
        is not None
    )


def write_chunk(session: Session, site: Site, drawn: Drawn) -> Counter[str]:
    """Orders `drawn` with everything they did; their count per status."""
    if site.sqlite:
        # The indexes of a million orders outgrow SQLite's default 2 MB page cache; with
        # it, every insert re-reads index pages. The setting lasts for this connection.
        session.connection().exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KB}")
    chunk = Chunk(session, site, drawn)
    write_rows(session, chunk.head)
    size = len(drawn.plans)
    batches = [(a, min(a + BATCH, size)) for a in range(0, size, BATCH)]
    with ThreadPoolExecutor(1, thread_name_prefix="demo-rows") as builder:
        building = builder.submit(chunk.build, *batches[0])
        for following in [*batches[1:], None]:
            rows = building.result()
            if following:
                building = builder.submit(chunk.build, *following)
            write_rows(session, rows)
    add_to_levels(session, chunk.levels)
    return chunk.statuses
