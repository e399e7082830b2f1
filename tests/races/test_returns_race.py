"""Two returns stations scan the same parcels at the same moment (PostgreSQL, real
processes): each parcel is received exactly once, and the station that lost is told
who received it. Parcels with an RMA and parcels without one (the order's slip) race.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from app.context import Actor
from app.services.allocation import allocate
from app.services.intake import create_orders
from app.services.integrity import verify
from app.services.pack_completion import pack_unverified
from app.services.returns import authorise_return
from app.services.shipping import ship_order
from db.engine import Database
from db.models import ReturnReceipt, StockMove
from db.uow import read
from tests.factories import ADDRESS, channel, new_order, stock
from tests.races.return_workers import StationReport, receive_parcels

SPAWN = multiprocessing.get_context("spawn")
PARCELS = 6  # with an RMA; as many again without one
STATIONS = 2


def shipped_orders(db: Database, actor: Actor, lines: list[dict[str, int]]) -> list[str]:
    """Orders to customers of their own (so no risk rule holds them), shipped."""
    channel(db, "web")
    n = len(lines)
    orders = [
        replace(
            new_order(wanted, ref=f"RR-{i}"),
            email=f"returner{i}@example.com",
            ship_to=replace(ADDRESS, address1=f"{i} Return Road"),
        )
        for i, wanted in enumerate(lines)
    ]
    numbers = create_orders(db, actor, orders).created
    assert len(allocate(db, actor).allocated) == n
    for number in numbers:
        pack_unverified(db, actor, number)
        ship_order(db, actor, number)
    return numbers


@pytest.mark.postgres
def test_two_stations_receive_each_parcel_exactly_once(pg_db: Database, actor: Actor) -> None:
    stock(pg_db, actor, {"TEE": 4 * PARCELS, "MUG": 4 * PARCELS})
    with_rma: list[tuple[str, list[str]]] = []
    without: list[tuple[str, list[str]]] = []
    numbers = shipped_orders(pg_db, actor, [{"TEE": 2, "MUG": 1}, {"MUG": 1}] * PARCELS)
    for order, other in zip(numbers[::2], numbers[1::2], strict=True):
        rma = authorise_return(pg_db, actor, order, {"TEE": 2}, "damaged").number
        with_rma.append((f"R:{rma}", ["TEE=1:sellable:restock", "TEE=1:damaged:scrap"]))
        without.append((f"O:{other}", ["MUG=1:opened:restock"]))
    parcels = [p for pair in zip(with_rma, without, strict=True) for p in pair]
    url = pg_db.url.render_as_string(hide_password=False)

    barrier = SPAWN.Barrier(STATIONS)
    queue = SPAWN.Queue()
    procs = [
        SPAWN.Process(
            target=receive_parcels,
            # one station walks the pile from the top, the other from the bottom
            args=(url, f"returns-{n}", parcels if n == 0 else parcels[::-1], barrier, queue),
        )
        for n in range(STATIONS)
    ]
    for proc in procs:
        proc.start()
    reports: list[StationReport] = [queue.get(timeout=300) for _ in procs]
    for proc in procs:
        proc.join(timeout=30)

    assert not [r.crashed for r in reports if r.crashed]
    received = Counter(ref for r in reports for ref in r.received)
    assert received == Counter({ref: 1 for ref, _ in parcels})
    for report in reports:
        for reference, message in report.refused.items():
            winner = next(r.station for r in reports if reference in r.received)
            assert f"clerk-{winner}" in message and winner in message, message
    moves = read(pg_db, lambda s: s.scalar(select(func.count()).select_from(StockMove).where(
        StockMove.kind == "return")))  # fmt: skip
    receipts = read(pg_db, lambda s: s.scalar(select(func.count()).select_from(ReturnReceipt)))
    assert moves == receipts == 3 * PARCELS
    assert verify(pg_db) == []
