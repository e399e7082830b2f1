"""A backordered order past its ship-by gets one "delayed" e-mail naming what it waits
for, however often the sender looks; an order still in time gets none."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import select, update

from app.context import Actor
from app.services.allocation import allocate
from app.services.customer_updates import queue_delay_notices
from app.services.intake import create_orders
from app.services.orders import order_detail
from app.services.outbox import preview_message
from app.services.settings import site_zone
from db.engine import Database
from db.models import Order
from db.types import utcnow
from db.uow import read, run_in_transaction
from tests import factories
from tests.notifications.mail import notes_of, outbox


def _backordered(
    db: Database, actor: Actor, ref: str, *, hours_late: int, email: str | None
) -> str:
    factories.channel(db)
    order = replace(factories.new_order({"MUG": 1, "TEA": 3}, ref=ref), email=email)
    [number] = create_orders(db, actor, [order]).created
    allocate(db, actor)
    assert order_detail(db, number).status == "backordered"
    run_in_transaction(
        db,
        lambda s: s.execute(
            update(Order)
            .where(Order.number == number)
            .values(ship_by=utcnow() - timedelta(hours=hours_late))
        ),
    )
    return number


def test_a_late_backorder_is_told_once_what_it_waits_for(db: Database, actor: Actor) -> None:
    factories.stock(db, actor, {"MUG": 5, "TEA": 1})
    late = _backordered(db, actor, "#D1", hours_late=2, email="zoe@example.de")
    _backordered(db, actor, "#D2", hours_late=-24, email="zoe@example.de")  # still in time
    silent = _backordered(db, actor, "#D3", hours_late=2, email=None)

    for _ in range(3):
        run_in_transaction(db, lambda s: queue_delay_notices(s, actor))

    [row] = [r for r in outbox(db) if r.template == "delayed"]
    delayed = preview_message(db, row.id)
    assert delayed.entry.subject == "Shipshape Demo Ltd: your order #D1 is delayed"
    # an order that ships whole reserves nothing until all of it can go: both lines wait
    assert "1 x Product MUG (MUG)\n  3 x Product TEA (TEA)" in delayed.text
    assert late in delayed.text
    assert notes_of(db, silent) == [
        "No order received e-mail sent: the customer has no e-mail address.",
        "No delayed e-mail sent: the customer has no e-mail address.",
    ]
    told = [e.action for e in order_detail(db, late).events]
    assert told.count("customer told of delay") == 1


def test_the_delay_notice_names_the_ship_by_date_that_was_missed_even_if_it_moves(
    db: Database, actor: Actor
) -> None:
    factories.stock(db, actor, {"MUG": 5, "TEA": 1})
    number = _backordered(db, actor, "#D4", hours_late=2, email="zoe@example.de")
    missed = read(
        db, lambda s: s.scalars(select(Order.ship_by).where(Order.number == number)).one()
    )
    run_in_transaction(db, lambda s: queue_delay_notices(s, actor))

    run_in_transaction(  # a new promise, made after the notice was queued
        db,
        lambda s: s.execute(
            update(Order).where(Order.number == number).values(ship_by=utcnow() + timedelta(days=5))
        ),
    )

    [row] = [r for r in outbox(db) if r.template == "delayed"]
    assert missed is not None
    shown = missed.astimezone(read(db, site_zone)).strftime("%d %b %Y %H:%M")
    assert f"could not ship by {shown} as planned" in preview_message(db, row.id).text
