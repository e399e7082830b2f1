"""Building pick lists from the queue with filters, on both databases."""

from __future__ import annotations

from dataclasses import replace
from itertools import count
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.context import Actor
from app.errors import ValidationFailed
from app.services.allocation import allocate
from app.services.intake import create_orders
from app.services.integrity import verify
from app.services.packing import open_for_packing
from app.services.pick_list_builder import (
    PickListRequest,
    build_pick_lists,
    preview_pick_lists,
)
from app.services.pick_lists import pick_list_by_number
from app.services.picking import claim_next_pick_list
from app.services.printing import list_jobs, print_job
from db.engine import Database
from db.models import PickList, PrintJob
from db.uow import read
from tests.factories import ADDRESS, channel, new_order, stock

_customers = count(1)


def _order(
    db: Database, actor: Actor, lines: dict[str, int], service_level: str = "standard"
) -> str:
    """One order from a customer of its own (so no risk rule holds it), allocated."""
    n = next(_customers)
    channel(db)
    order = replace(
        new_order(lines, service_level=service_level, placed_minutes_ago=600 - n),
        ship_to=replace(ADDRESS, address1=f"Dock {n}"),
        email=f"customer{n}@example.de",
    )
    number = create_orders(db, actor, [order]).created[0]
    allocate(db, actor)
    return number


def _bins(db: Database, actor: Actor) -> None:
    """MUG in aisle A, TEA in aisle B, PEN in aisle AB (which is not aisle A)."""
    stock(db, actor, {"MUG": 50}, location="A-01-01-A")
    stock(db, actor, {"TEA": 50}, location="B-01-01-A")
    stock(db, actor, {"PEN": 50}, location="AB-01-01-A")


def _lists(db: Database) -> int:
    return read(db, lambda s: s.scalar(select(func.count()).select_from(PickList)) or 0)


def test_service_level_priority_and_zone_choose_the_orders(db: Database, actor: Actor) -> None:
    _bins(db, actor)
    express_a = _order(db, actor, {"MUG": 1}, "express")  # priority 2
    standard_a = _order(db, actor, {"MUG": 2})  # priority 5
    overnight_b = _order(db, actor, {"TEA": 1}, "overnight")  # priority 1
    express_ab = _order(db, actor, {"MUG": 1, "TEA": 1}, "express")  # aisles A and B
    _order(db, actor, {"PEN": 1})  # aisle AB

    def qualify(**filters: object) -> int:
        return preview_pick_lists(db, PickListRequest(**filters)).orders  # type: ignore[arg-type]

    assert qualify() == 5
    assert qualify(service_level="express") == 2
    assert qualify(service_level=" Express ") == 2
    assert qualify(priority=2) == 3
    assert qualify(priority=2, exact_priority=True) == 2
    assert qualify(zone="A") == 2
    assert qualify(zone="a-01-") == 2
    assert qualify(zone="B") == 1
    assert qualify(zone="A", priority=2) == 1

    build = build_pick_lists(db, actor, PickListRequest(zone="A", single=True))

    assert [(b.kind, b.orders, b.units) for b in build.lists] == [
        ("single", (express_a,), 1),
        ("single", (standard_a,), 2),
    ]
    assert (build.skipped, build.left) == ((), 0)
    assert build.summary() == "2 pick lists, 2 orders"
    assert qualify() == 3
    assert qualify(zone="A") == 0
    rest = build_pick_lists(db, actor, PickListRequest(priority=2))
    assert [b.orders for b in rest.lists] == [(overnight_b, express_ab)]
    assert verify(db) == []


def test_batches_take_the_most_urgent_orders_one_per_tote_up_to_the_limits(
    db: Database, actor: Actor
) -> None:
    _bins(db, actor)
    standard = [_order(db, actor, {"MUG": 1}) for _ in range(5)]
    big = _order(db, actor, {"MUG": 6, "TEA": 4})
    overnight = _order(db, actor, {"TEA": 1}, "overnight")

    preview = preview_pick_lists(db, PickListRequest(totes=3, max_orders=5))
    build = build_pick_lists(db, actor, PickListRequest(totes=3, max_orders=5))

    assert (preview.orders, preview.lists, preview.left) == (5, 2, 2)
    assert [(b.kind, b.orders) for b in build.lists] == [
        ("batch", (overnight, *standard[:2])),
        ("batch", tuple(standard[2:4])),
    ]
    first = pick_list_by_number(db, build.lists[0].number)
    value = int(first.number.removeprefix("PL-"))
    assert {(t.order_number, t.tote) for t in first.tasks} == {
        (overnight, f"T-{value}-1"),
        (standard[0], f"T-{value}-2"),
        (standard[1], f"T-{value}-3"),
    }
    assert build.left == 2
    assert build.summary() == "2 pick lists, 5 orders; 2 more orders left for the next build"
    last = build_pick_lists(db, actor, PickListRequest(totes=3))
    assert [(b.kind, b.orders, b.units) for b in last.lists] == [("batch", (standard[4], big), 11)]


def test_orders_on_a_list_or_at_a_packing_station_are_skipped_and_named(
    db: Database, actor: Actor
) -> None:
    _bins(db, actor)
    listed = _order(db, actor, {"MUG": 1})
    (first,) = build_pick_lists(db, actor, PickListRequest()).lists
    packing = _order(db, actor, {"MUG": 1})
    open_for_packing(db, Actor(username="pat", station="pack-1"), packing)
    waiting = _order(db, actor, {"TEA": 1})

    assert preview_pick_lists(db, PickListRequest()).skipped == 2
    build = build_pick_lists(db, actor, PickListRequest())

    assert [b.orders for b in build.lists] == [(waiting,)]
    assert [(s.number, s.reason) for s in build.skipped] == [
        (listed, f"already on {first.number}"),
        (packing, "being packed at pack-1"),
    ]
    assert build.summary() == (
        f"1 pick list, 1 order; 2 orders skipped: {listed} already on {first.number}, "
        f"{packing} being packed at pack-1"
    )
    again = build_pick_lists(db, actor, PickListRequest(zone="B"))
    assert again.summary() == (
        f"No pick lists built; 1 order skipped: {waiting} already on {build.lists[0].number}"
    )
    nothing = build_pick_lists(db, actor, PickListRequest(service_level="economy"))
    assert nothing.summary() == "No pick lists built: no waiting allocated order matches"
    assert verify(db) == []


def test_printing_queues_a_job_per_list_that_prints_the_list_as_a_pdf(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    _bins(db, actor)
    for _ in range(2):
        _order(db, actor, {"MUG": 1, "TEA": 1})
    folder = tmp_path / "printed"
    folder.mkdir()
    printer = f"folder:{folder}"

    build = build_pick_lists(db, actor, PickListRequest(single=True), printer=printer)

    assert len(build.print_jobs) == 2
    jobs = {job.id: job for job in list_jobs(db)}
    assert {(jobs[j].document, jobs[j].format, jobs[j].status) for j in build.print_jobs} == {
        ("pick_list", "pdf", "pending")
    }
    outcomes = [print_job(db, job) for job in build.print_jobs]
    assert [o.printed for o in outcomes] == [True, True]
    printed = sorted(folder.iterdir())
    assert len(printed) == 2
    assert all(path.read_bytes().startswith(b"%PDF") for path in printed)
    assert claim_next_pick_list(db, Actor(username="pia", station="pick-1")) is not None
    assert print_job(db, build.print_jobs[0]).printed  # a reprint draws the list again


@pytest.mark.parametrize(
    ("request_", "printer", "message"),
    [
        (PickListRequest(service_level="snail"), None, "unknown service level 'snail'"),
        (PickListRequest(priority=0), None, "priority must be at least 1"),
        (PickListRequest(max_orders=0), None, "max orders must be at least 1"),
        (PickListRequest(totes=0), None, "a batch needs at least 1 tote"),
        (PickListRequest(zone="Q"), None, "no location in zone Q"),
        (PickListRequest(), "tcp://10.0.0.9:9100", "is a raw label printer"),
    ],
)
def test_a_bad_request_is_refused_and_builds_nothing(
    db: Database, actor: Actor, request_: PickListRequest, printer: str | None, message: str
) -> None:
    _bins(db, actor)
    _order(db, actor, {"MUG": 1})

    with pytest.raises(ValidationFailed, match=message):
        build_pick_lists(db, actor, request_, printer=printer)

    assert _lists(db) == 0
    assert read(db, lambda s: s.scalar(select(func.count()).select_from(PrintJob))) == 0
