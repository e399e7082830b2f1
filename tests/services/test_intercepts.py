"""Cancelling after picking is an intercept: the label and its print jobs are voided, the
picked units wait in unpack tasks, and stock is back only when they are put away."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.context import Actor
from app.errors import NotFound, ValidationFailed
from app.services.allocation import allocate
from app.services.integrity import verify
from app.services.intercepts import put_away, unpack_tasks
from app.services.order_actions import cancel_order
from app.services.orders import order_detail
from app.services.pack_completion import pack_unverified
from app.services.stats import stats
from db.engine import Database
from db.models import PrintJob, StockMove
from db.uow import read
from tests.factories import place, stock


@pytest.fixture
def agent() -> Actor:
    return Actor(username="cara", station="desk-2")


def _jobs(db: Database, ids: tuple[int, ...]) -> list[str]:
    return list(
        read(
            db,
            lambda s: s.scalars(
                select(PrintJob.status).where(PrintJob.id.in_(ids)).order_by(PrintJob.id)
            ).all(),
        )
    )


def test_cancelling_a_packed_order_voids_the_label_and_keeps_its_units_out_of_stock(
    db: Database, actor: Actor, agent: Actor
) -> None:
    stock(db, actor, {"MUG": 4, "TEA": 3})
    number = place(db, actor, {"MUG": 2, "TEA": 1})
    allocate(db, actor)
    packed = pack_unverified(db, actor, number)
    assert packed.print_job_ids and set(_jobs(db, packed.print_job_ids)) == {"pending"}

    result = cancel_order(db, agent, number, "customer cancelled")

    assert (result.units_to_put_away, result.print_jobs_cancelled) == (
        3,
        len(packed.print_job_ids),
    )
    assert set(_jobs(db, packed.print_job_ids)) == {"cancelled"}
    detail = order_detail(db, number)
    assert detail.status == "cancelled"
    assert [s.status for s in detail.shipments] == ["voided"]
    # The units are in a sealed box, not in their bins: not on hand, not promisable.
    totals = stats(db).stock
    assert (totals.on_hand, totals.reserved, totals.available) == (4, 0, 4)
    tasks = unpack_tasks(db)
    assert [(t.order, t.sku, t.remaining, t.from_location) for t in tasks] == [
        (number, "MUG", 2, "A-01-01-A"),
        (number, "TEA", 1, "A-01-01-A"),
    ]
    assert verify(db) == []


def test_put_away_scans_bring_the_units_back_where_scanned_and_serve_waiting_orders(
    db: Database, actor: Actor, agent: Actor
) -> None:
    stock(db, actor, {"MUG": 2})
    number = place(db, actor, {"MUG": 2})
    allocate(db, actor)
    pack_unverified(db, actor, number)
    cancel_order(db, agent, number, "customer cancelled")
    waiting = place(db, actor, {"MUG": 1})
    allocate(db, actor)
    assert order_detail(db, waiting).status == "backordered"

    first = put_away(db, agent, number, "mug", 1, "A-01-01-A")

    assert (first.remaining, first.allocated) == (1, [waiting])
    assert order_detail(db, waiting).status == "allocated"
    second = put_away(db, agent, number, "MUG", 1, "A-01-01-A")
    assert second.remaining == 0
    assert unpack_tasks(db) == []
    assert (stats(db).stock.on_hand, stats(db).stock.reserved) == (2, 1)
    moves = read(
        db,
        lambda s: s.execute(
            select(StockMove.kind, StockMove.quantity).order_by(StockMove.id)
        ).all(),
    )
    assert [tuple(m) for m in moves][-3:] == [("transfer", -2), ("transfer", 1), ("transfer", 1)]
    timeline = [(e.action, e.reason) for e in order_detail(db, number).events]
    assert timeline[-1] == ("put away", "1 × MUG back in stock at A-01-01-A")
    assert verify(db) == []


def test_putting_away_more_than_waits_or_at_an_unknown_place_is_refused(
    db: Database, actor: Actor, agent: Actor
) -> None:
    stock(db, actor, {"MUG": 2})
    number = place(db, actor, {"MUG": 2})
    allocate(db, actor)
    pack_unverified(db, actor, number)
    cancel_order(db, agent, number, "customer cancelled")

    with pytest.raises(ValidationFailed, match=r"only 2 × MUG from SO-\d+ wait to be put away"):
        put_away(db, agent, number, "MUG", 3, "A-01-01-A")
    with pytest.raises(NotFound, match="no active location 'Z-99'"):
        put_away(db, agent, number, "MUG", 1, "Z-99")
    with pytest.raises(NotFound, match="no product with SKU or barcode 'TEA'"):
        put_away(db, agent, number, "TEA", 1, "A-01-01-A")
    assert [t.remaining for t in unpack_tasks(db)] == [2]


def test_cancelling_before_picking_still_releases_the_stock_at_once(
    db: Database, actor: Actor, agent: Actor
) -> None:
    stock(db, actor, {"MUG": 4})
    number = place(db, actor, {"MUG": 2})
    allocate(db, actor)

    result = cancel_order(db, agent, number, "duplicate order")

    assert result.units_to_put_away == 0
    assert (stats(db).stock.on_hand, stats(db).stock.reserved) == (4, 0)
    assert unpack_tasks(db) == []
