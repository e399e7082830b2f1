"""`demo-data` makes a history people believe, on both databases: every state, parcels
with tracking numbers their carrier accepts, few late orders, real weights, many
addresses; consistent for `verify`; the same from the same seed; and a load killed
part-way is completed by loading again, never loading an order twice."""

from __future__ import annotations

import shutil
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from app.context import Actor
from app.domain.order_workflow import OrderStatus
from app.domain.tracking_numbers import TrackingScheme, is_valid_tracking_number
from app.services import demo_data, demo_history, demo_orders
from app.services.demo_data import load_demo
from app.services.integrity import verify
from db.engine import Database, open_database
from db.models import (
    AuditEvent,
    Carrier,
    Order,
    OrderLine,
    OrderSearch,
    Package,
    Product,
    Shipment,
)
from db.uow import read

NOW = datetime(2026, 11, 20, 9, 30, tzinfo=UTC)


def orders_in(db: Database) -> list[tuple[str, str]]:
    """(channel reference, number) of every order."""
    return read(
        db,
        lambda s: [
            (ref, number) for ref, number in s.execute(select(Order.external_ref, Order.number))
        ],
    )


@pytest.fixture
def demo(db: Database, actor: Actor) -> Database:
    load_demo(db, actor, orders=400, skus=120, seed=12, now=NOW)
    return db


def test_every_state_is_there_and_the_database_is_consistent(demo: Database) -> None:
    counts = read(
        demo,
        lambda s: dict(s.execute(select(Order.status, func.count()).group_by(Order.status)).all()),
    )
    expected = {s.value for s in OrderStatus} - {"partially_shipped"}
    assert set(counts) == expected
    assert counts["delivered"] + counts["shipped"] > sum(counts.values()) / 3
    assert verify(demo) == []
    holds = read(
        demo,
        lambda s: s.execute(
            select(Order.held_from, Order.hold_reason).where(Order.status == "on_hold")
        ).all(),
    )
    assert holds and all(held_from and len(reason or "") > 10 for held_from, reason in holds)


def test_parcels_carry_tracking_numbers_their_carrier_accepts(demo: Database) -> None:
    def parcels(session: Any) -> list[Any]:
        return list(
            session.execute(
                select(Shipment, Carrier, Order.status)
                .join(Carrier, Carrier.code == Shipment.carrier)
                .join(Order, Order.id == Shipment.order_id)
            )
        )

    rows = read(demo, parcels)
    assert rows
    for shipment, carrier, status in rows:
        assert shipment.tracking_number is not None
        assert is_valid_tracking_number(
            TrackingScheme(carrier.tracking_scheme),
            shipment.tracking_number,
            prefix=carrier.tracking_prefix,
            suffix=carrier.tracking_suffix,
            width=carrier.tracking_width,
        ), shipment.tracking_number
        assert (
            shipment.status == {"packed": "packed", "shipped": "shipped"}.get(status, "delivered")
            or status == "delivered"
        )
        assert shipment.packed_at <= (shipment.shipped_at or NOW) <= NOW
        if status == "delivered":
            assert shipment.shipped_at and shipment.delivered_at
            assert shipment.shipped_at < shipment.delivered_at <= NOW
    numbers = [shipment.tracking_number for shipment, _, _ in rows]
    assert len(set(numbers)) == len(numbers)
    # The next parcel packed here takes a number after those: the range moved on.
    used = read(demo, lambda s: s.scalar(select(Carrier.next_value)))
    assert used is not None and used > len(numbers)


def test_most_open_orders_are_due_later_and_a_few_are_late(demo: Database) -> None:
    open_states = ("new", "on_hold", "backordered", "allocated", "picking", "picked", "packed")
    ship_by = read(
        demo,
        lambda s: [
            moment
            for moment in s.scalars(select(Order.ship_by).where(Order.status.in_(open_states)))
            if moment is not None
        ],
    )
    late = [moment for moment in ship_by if moment < NOW]
    assert len(ship_by) >= 30
    assert 0 < len(late) < len(ship_by) / 5


def test_weights_fit_the_product_and_parcels_weigh_what_they_hold(demo: Database) -> None:
    weights = read(demo, lambda s: dict(s.execute(select(Product.name, Product.weight_g)).all()))
    by_kind: dict[str, list[int]] = defaultdict(list)
    for name, grams in weights.items():
        assert grams is not None
        by_kind[name.split(" ", 1)[1]].append(grams)
    assert by_kind["Phone Case"] and all(20 <= g <= 60 for g in by_kind["Phone Case"])
    assert by_kind["Yoga Mat"] and all(800 <= g <= 1600 for g in by_kind["Yoga Mat"])
    assert by_kind["Notebook A5"] and all(150 <= g <= 300 for g in by_kind["Notebook A5"])
    assert all(500 <= g <= 560 for g in by_kind["Coffee Beans 500 g"])

    def parcels(session: Any) -> list[tuple[int, int]]:
        contents = (
            select(OrderLine.order_id, func.sum(OrderLine.qty_packed * Product.weight_g))
            .join(Product, Product.id == OrderLine.product_id)
            .group_by(OrderLine.order_id)
            .subquery()
        )
        return [
            (int(weight), int(goods))
            for weight, goods in session.execute(
                select(Package.weight_g, contents.c[1])
                .join(Shipment, Shipment.id == Package.shipment_id)
                .join(contents, contents.c.order_id == Shipment.order_id)
            )
        ]

    for weight, goods in read(demo, parcels):
        assert goods < weight < goods * 1.1 + 900  # the goods, a box, the scale's wobble


def test_addresses_names_and_phones_vary_within_each_country(demo: Database) -> None:
    rows = read(
        demo,
        lambda s: s.execute(
            select(
                Order.ship_country,
                Order.ship_postcode,
                Order.ship_city,
                Order.ship_name,
                Order.ship_address1,
                Order.ship_phone,
                Order.email,
            )
        ).all(),
    )
    postcodes: dict[str, set[str]] = defaultdict(set)
    for country, postcode, *_ in rows:
        postcodes[country].add(postcode)
    assert len(postcodes) >= 6
    busy = [country for country, codes in postcodes.items() if len(codes) >= 10]
    assert {"GB", "DE"} <= set(busy)
    assert len({r.ship_name for r in rows}) > 60
    assert len({r.ship_city for r in rows}) > 20
    assert len({r.ship_phone for r in rows}) > 100
    assert all(r.email.endswith(".example") for r in rows)  # a demo never mails anyone
    gb = [r.ship_postcode for r in rows if r.ship_country == "GB"]
    assert all(" " in code and code.split(" ")[1][0].isdigit() for code in gb)


def test_the_audit_trail_follows_each_order_through_its_states(demo: Database) -> None:
    def trails(session: Any) -> dict[str, list[Any]]:
        found: dict[str, list[Any]] = defaultdict(list)
        for (event,) in session.execute(
            select(AuditEvent)
            .select_from(Order)
            .join(AuditEvent, (AuditEvent.entity == "order") & (AuditEvent.entity_id == Order.id))
            .where(Order.status == "delivered")
            .order_by(Order.id, AuditEvent.id)
        ):
            found[str(event.entity_id)].append(event)
        return found

    for everything in read(demo, trails).values():
        events = [e for e in everything if e.to_status]  # notes, returns: no status change
        assert [e.to_status for e in events] == [
            "new",
            "allocated",
            "picking",
            "picked",
            "packed",
            "shipped",
            "delivered",
        ]
        times = [e.occurred_at for e in events]
        assert times == sorted(times) and times[-1] <= NOW
        assert {e.username for e in events[2:4]} == {"pia"}
        assert events[4].username == "pat" and events[4].station.startswith("pack-")


def test_milestone_columns_hold_the_first_audit_event_of_each_milestone(demo: Database) -> None:
    """The history writes an order's milestone columns with the order, which the trigger
    on audit_events would otherwise fill: they must say what the audit trail says."""
    for milestone in ("allocated", "picked", "packed", "shipped", "cancelled"):
        column = getattr(Order, f"{milestone}_at")
        first = (
            select(AuditEvent.entity_id, func.min(AuditEvent.occurred_at).label("at"))
            .where(AuditEvent.entity == "order", AuditEvent.to_status == milestone)
            .group_by(AuditEvent.entity_id)
            .subquery()
        )
        query = select(Order.id, column, first.c.at).outerjoin(first, first.c.entity_id == Order.id)

        def compared(session: Any, query: Any = query) -> list[Any]:
            return list(session.execute(query).all())

        rows = read(demo, compared)
        assert any(at is not None for _, at, _ in rows), milestone
        assert all(at == audited for _, at, audited in rows), milestone


def test_the_desk_finds_orders_by_name_and_tracking_number(demo: Database) -> None:
    def sample(session: Any) -> tuple[int, str, str]:
        order_id, name, tracking = session.execute(
            select(Order.id, Order.ship_name, Shipment.tracking_number)
            .join(Shipment, Shipment.order_id == Order.id)
            .limit(1)
        ).one()
        return order_id, name, tracking

    order_id, name, tracking = read(demo, sample)
    found = read(demo, lambda s: s.get(OrderSearch, order_id))
    assert found is not None
    assert tracking.lower() in found.document.split()
    assert name.split()[-1].lower() in found.document
    indexed = read(demo, lambda s: s.scalar(select(func.count()).select_from(OrderSearch)))
    assert indexed == 400


class Killed(Exception):
    """Stands for the process dying between two batches."""


def dying_after(batches: int, write: Callable[..., Any]) -> Callable[..., Any]:
    calls = iter(range(batches + 1))

    def write_chunk(*args: Any, **kwargs: Any) -> Any:
        if next(calls) == batches:
            raise Killed
        return write(*args, **kwargs)

    return write_chunk


def test_a_load_killed_part_way_is_completed_by_loading_again(
    db: Database, actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo_data, "BATCH", 10)
    with monkeypatch.context() as dying:
        dying.setattr(demo_data, "write_chunk", dying_after(2, demo_history.write_chunk))
        with pytest.raises(Killed):
            load_demo(db, actor, orders=45, skus=15, seed=4, now=NOW)
    assert len(orders_in(db)) == 20
    assert verify(db) == []

    resumed = load_demo(db, actor, orders=45, skus=15, seed=4, now=NOW + timedelta(hours=1))
    again = load_demo(db, actor, orders=45, skus=15, seed=4, now=NOW)

    assert (resumed.orders, resumed.already_present) == (25, 20)
    assert (again.orders, again.already_present) == (0, 45)
    loaded = orders_in(db)
    assert len(loaded) == 45
    assert len({ref for ref, _ in loaded}) == 45
    assert verify(db) == []


def test_loading_again_draws_none_of_the_orders_already_written(
    db: Database, actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The next chunk is drawn while one is written: not when an earlier run wrote it
    (completing a killed load of a million would draw them all again)."""
    monkeypatch.setattr(demo_data, "BATCH", 10)
    load_demo(db, actor, orders=25, skus=12, seed=6, now=NOW, returns=False)
    drawn: list[tuple[int, int]] = []

    def draw(site: Any, start: int, stop: int) -> demo_orders.Drawn:
        drawn.append((start, stop))
        return demo_orders.draw(site, start, stop)

    monkeypatch.setattr(demo_data, "draw", draw)
    again = load_demo(db, actor, orders=25, skus=12, seed=6, now=NOW, returns=False)

    assert (again.orders, again.already_present, drawn) == (0, 25, [])


def _contents(db: Database) -> list[tuple[Any, ...]]:
    return read(
        db,
        lambda s: [
            tuple(row)
            for row in s.execute(
                select(
                    Order.number,
                    Order.external_ref,
                    Order.status,
                    Order.ship_name,
                    Order.ship_postcode,
                    Order.placed_at,
                    Order.grand_total,
                    Shipment.tracking_number,
                )
                .outerjoin(Shipment, Shipment.order_id == Order.id)
                .order_by(Order.number)
            )
        ],
    )


def test_the_same_seed_makes_the_same_history_in_another_database(
    db: Database, sqlite_template: Path, actor: Actor, tmp_path: Path
) -> None:
    """What makes resuming possible: the orders depend on the arguments alone."""
    load_demo(db, actor, orders=30, skus=12, seed=5, now=NOW)
    path = tmp_path / "other.db"
    shutil.copy(sqlite_template, path)
    other = open_database(f"sqlite:///{path}", station="test")
    try:
        load_demo(other, actor, orders=30, skus=12, seed=5, now=NOW)
        assert _contents(other) == _contents(db)
    finally:
        other.dispose()
    different = tmp_path / "different.db"
    shutil.copy(sqlite_template, different)
    third = open_database(f"sqlite:///{different}", station="test")
    try:
        load_demo(third, actor, orders=30, skus=12, seed=6, now=NOW)
        assert _contents(third) != _contents(db)
    finally:
        third.dispose()


def test_the_history_is_the_same_whatever_the_size_of_the_batches_written(
    db: Database,
    sqlite_template: Path,
    actor: Actor,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Rows are built a batch at a time beside the writing of the batch before: the
    batches must not show in what is written."""
    load_demo(db, actor, orders=30, skus=12, seed=5, now=NOW, returns=False)
    monkeypatch.setattr(demo_history, "BATCH", 7)
    path = tmp_path / "batched.db"
    shutil.copy(sqlite_template, path)
    batched = open_database(f"sqlite:///{path}", station="test")
    try:
        load_demo(batched, actor, orders=30, skus=12, seed=5, now=NOW, returns=False)
        assert _contents(batched) == _contents(db)
        assert verify(batched) == []
    finally:
        batched.dispose()


def test_a_demo_of_another_seed_goes_in_beside_the_first(db: Database, actor: Actor) -> None:
    load_demo(db, actor, orders=30, skus=12, seed=7, now=NOW, returns=False)
    second = load_demo(db, actor, orders=30, skus=12, seed=8, now=NOW, returns=False)

    assert (second.orders, second.already_present) == (30, 0)
    assert len(orders_in(db)) == 60
    assert verify(db) == []


def test_a_first_morning_has_nothing_picked_and_allocation_decided_each_order(
    db: Database, actor: Actor
) -> None:
    summary = load_demo(db, actor, orders=40, skus=20, seed=3, history=False, now=NOW)

    assert set(summary.by_status) <= {"new", "on_hold", "backordered", "allocated"}
    assert summary.by_status["allocated"] > 0 and summary.backordered > 0
    placed = read(db, lambda s: list(s.scalars(select(Order.placed_at))))
    assert all(NOW - timedelta(days=2) < moment < NOW for moment in placed)
    assert verify(db) == []
