"""The supervisor's queue on both databases: counts, combined filters, every sort paged by
keyset, and one search box over the search index kept current by the services."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, select

from app.context import Actor
from app.domain.order_query import OrderQuery, Queue, SortKey
from app.dto import OrderRow
from app.services import order_queue, search_index
from app.services.allocation import allocate
from app.services.intake import create_orders
from app.services.order_actions import hold_order
from app.services.orders import order_detail
from app.services.pack_completion import pack_unverified
from app.services.queue_counts import queue_counts
from app.services.shipping import ship_order
from db.engine import Database
from db.models import OrderSearch
from db.uow import read, run_in_transaction
from tests.factories import ADDRESS, channel, new_order, stock


@dataclass(frozen=True)
class Floor:
    """Numbers of the orders made by the `floor` fixture, by what is special about them."""

    london: str  # GB, express, phone +44 20 7946 0958, postcode SW1A 1AA
    late: str  # ship-by yesterday, still allocated
    held: str
    shipped: str  # shipped today, with a tracking number
    tracking: str
    amazon: str  # channel amazon, FR, backordered (SKU-B has no stock)
    all: tuple[str, ...]


@pytest.fixture
def floor(db: Database, actor: Actor) -> Floor:
    stock(db, actor, {"MUG-01": 50, "SKU-B": 0})
    channel(db, "web")
    channel(db, "amazon")
    now = datetime.now(UTC)
    london = replace(
        new_order({"MUG-01": 1}, service_level="express"),
        ship_to=replace(
            ADDRESS,
            name="Olivia Brown",
            city="London",
            postcode="SW1A 1AA",
            country="GB",
            phone="+44 20 7946 0958",
        ),
        email="olivia.brown@example.co.uk",
        customer_name="Olivia Brown",
        ship_by=now + timedelta(days=1),
    )
    late = replace(new_order({"MUG-01": 2}), ship_by=now - timedelta(days=1))
    held = replace(new_order({"MUG-01": 1}), ship_by=now + timedelta(days=2))
    shipped = replace(new_order({"MUG-01": 1}), ship_by=now + timedelta(days=2))
    amazon = replace(
        new_order({"SKU-B": 3}, channel="amazon", ref="AMZ-402-7731"),
        ship_to=replace(ADDRESS, country="FR", postcode="75003", name="Amélie Dubois"),
        email="amelie@example.fr",
        ship_by=now + timedelta(days=3),
    )
    numbers = create_orders(db, actor, [london, late, held, shipped, amazon]).created
    allocate(db, actor)
    hold_order(db, actor, numbers[2], "address check")
    pack_unverified(db, actor, numbers[3])
    ship_order(db, actor, numbers[3])
    tracking = order_detail(db, numbers[3]).shipments[0].tracking_number
    assert tracking
    return Floor(numbers[0], numbers[1], numbers[2], numbers[3], tracking, numbers[4], numbers)


def found(db: Database, text: str) -> list[str]:
    return [r.number for r in order_queue.page(db, OrderQuery(text=text))]


@pytest.mark.parametrize(
    ("typed", "who"),
    [
        ("sw1a1aa", "london"),  # postcode without its space, lower case
        ("442079460958", "london"),  # phone without + and spaces
        ("020 7946 0958", "london"),  # national form
        ("OLIVIA.BROWN@EXAMPLE.CO.UK", "london"),
        ("brown", "london"),  # a surname
        ("amz4027731", "amazon"),  # channel reference without punctuation
        ("dubois", "amazon"),
        ("sku-b", "amazon"),  # SKU in lower case
    ],
)
def test_one_search_box_finds_an_order_by_any_of_its_values_however_typed(
    db: Database, floor: Floor, typed: str, who: str
) -> None:
    assert found(db, typed) == [getattr(floor, who)]


def test_an_order_number_without_its_prefix_and_a_tracking_number_find_their_order(
    db: Database, floor: Floor
) -> None:
    assert found(db, floor.late.removeprefix("SO-")) == [floor.late]
    assert found(db, floor.tracking.lower()) == [floor.shipped]


def test_fewer_than_three_letters_or_digits_find_nothing_rather_than_everything(
    db: Database, floor: Floor
) -> None:
    assert found(db, "br") == []
    assert found(db, "%_") == []


def test_the_index_follows_the_order_and_migrate_writes_missing_documents(
    db: Database, floor: Floor
) -> None:
    run_in_transaction(db, lambda s: s.execute(delete(OrderSearch)))
    assert found(db, "brown") == []

    assert search_index.index_missing(db, batch=2) == len(floor.all)

    assert found(db, "brown") == [floor.london]
    count = read(db, lambda s: len(s.scalars(select(OrderSearch.order_id)).all()))
    assert count == len(floor.all)
    assert search_index.index_missing(db) == 0


def test_queues_count_late_held_shipped_today_and_urgent_orders(db: Database, floor: Floor) -> None:
    counts = queue_counts(db)

    assert counts.by_queue[Queue.LATE] == 1
    assert counts.by_queue[Queue.ON_HOLD] == 1
    assert counts.by_queue[Queue.SHIPPED_TODAY] == 1
    assert counts.by_queue[Queue.SHIPPED] == 1
    assert counts.by_queue[Queue.BACKORDERED] == 1
    assert counts.by_queue[Queue.READY_TO_PICK] == 2
    assert counts.total == 5
    assert counts.on_hold_by_reason == [("address check", 1)]
    assert counts.urgent_open == 1
    for queue, count in counts.by_queue.items():
        rows = order_queue.page(db, OrderQuery(queue=queue))
        assert len(rows) == count, queue


def test_filters_combine(db: Database, floor: Floor) -> None:
    def numbers(**filters: object) -> set[str]:
        return {r.number for r in order_queue.page(db, OrderQuery(**filters))}  # type: ignore[arg-type]

    assert numbers(channel="amazon") == {floor.amazon}
    assert numbers(channel="web", country="gb") == {floor.london}
    assert numbers(queue=Queue.READY_TO_PICK, service_level="express") == {floor.london}
    assert numbers(queue=Queue.READY_TO_PICK, text="brown", channel="amazon") == set()
    assert numbers(carrier=order_detail(db, floor.shipped).shipments[0].carrier) == {floor.shipped}
    assert numbers(queue=Queue.ON_HOLD, hold_reason="address") == {floor.held}
    now = datetime.now(UTC)
    assert numbers(ship_by_to=now) == {floor.late}
    assert numbers(ship_by_from=now + timedelta(days=2, hours=12)) == {floor.amazon}
    assert numbers(placed_from=now) == set()
    assert numbers(warehouse="NOWHERE") == set()


def test_every_sort_both_ways_pages_by_keyset_without_gaps_or_repeats(
    db: Database, floor: Floor
) -> None:
    for key in SortKey:
        for descending in (False, True):
            query = OrderQuery(sort=key, descending=descending)
            whole = order_queue.page(db, query, limit=100)
            paged: list[OrderRow] = []
            after: order_queue.PageKey | None = None
            for _ in range(len(floor.all)):
                rows = order_queue.page(db, query, limit=2, after=after)
                paged += rows
                if len(rows) < 2:
                    break
                after = (order_queue.sort_value(rows[-1], key), rows[-1].id)

            assert [r.number for r in paged] == [r.number for r in whole], (key, descending)
            assert sorted(r.number for r in whole) == sorted(floor.all)
            values = [v for r in whole if (v := order_queue.sort_value(r, key)) is not None]
            assert values == sorted(values, reverse=descending), (key, descending)


def test_a_saved_query_reads_back_as_it_was(db: Database) -> None:
    query = OrderQuery(
        queue=Queue.LATE,
        channel="web",
        ship_by_from=datetime(2026, 11, 1, tzinfo=UTC),
        text="brown",
        sort=SortKey.SHIP_BY,
        descending=False,
    )
    assert OrderQuery.from_json(query.to_json()) == query
    assert OrderQuery().to_json() == {}
