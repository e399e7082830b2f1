"""Scan-verified packing and dispatch on both databases."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.gtin import is_valid_sscc
from app.domain.order_query import OrderQuery
from app.domain.tracking_numbers import TrackingScheme, is_valid_tracking_number
from app.errors import ConcurrencyConflict, NotFound, ValidationFailed
from app.services import order_queue
from app.services.allocation import allocate
from app.services.catalogue import ProductInput, upsert_products
from app.services.integrity import verify
from app.services.orders import find_order, order_detail
from app.services.pack_claims import claim_next_order, free_from_station
from app.services.pack_completion import PackageSpec, complete_packing, pack_unverified
from app.services.packing import open_for_packing, record_pack_scan
from app.services.pick_lists import create_pick_lists
from app.services.picking import claim_next_pick_list
from app.services.shipping import ship_order
from app.services.stats import stats
from db.engine import Database
from db.models import (
    Allocation,
    AuditEvent,
    EmailOutbox,
    OrderLine,
    PackingProgress,
    PickTask,
    PrintJob,
    ScanEvent,
    Shipment,
    StockLevel,
    StockMove,
)
from db.uow import read
from tests.factories import place, stock

MUG_GTIN = "4006381333931"
TEA_GTIN = "5901234123457"


@pytest.fixture
def packer() -> Actor:
    return Actor(username="pat", station="pack-1")


def _order(db: Database, actor: Actor, lines: dict[str, int]) -> str:
    stock(db, actor, {"MUG": 10, "TEA": 10, "PEN": 10})
    upsert_products(
        db,
        actor,
        [
            ProductInput("MUG", "Mug", (MUG_GTIN,), weight_g=350),
            ProductInput("TEA", "Tea", (TEA_GTIN,), weight_g=120),
            ProductInput("PEN", "Pen", ("PEN-BC",)),
        ],
    )
    number = place(db, actor, lines)
    allocate(db, actor)
    return number


def test_a_fully_scanned_order_packs_into_a_shipment_with_valid_numbers(
    db: Database, actor: Actor, packer: Actor
) -> None:
    number = _order(db, actor, {"MUG": 2, "TEA": 1})
    state = open_for_packing(db, packer, f"O:{number}")
    assert [(line.sku, line.expected, line.scanned) for line in state.lines] == [
        ("MUG", 2, 0),
        ("TEA", 1, 0),
    ]

    outcomes = [
        record_pack_scan(db, packer, state.order_id, code)
        for code in (MUG_GTIN, TEA_GTIN, MUG_GTIN)
    ]
    assert [o.accepted for o in outcomes] == [True, True, True]
    assert outcomes[-1].sound == "complete"

    result = complete_packing(db, packer, state.order_id, [PackageSpec()])
    assert is_valid_tracking_number(
        TrackingScheme.S10, result.tracking_number, prefix="SS", suffix="GB", width=8
    )
    assert all(is_valid_sscc(p.sscc) for p in result.packages)
    assert result.packages[0].weight_g == 2 * 350 + 120
    detail = order_detail(db, number)
    assert detail.status == "packed"
    assert [(line.qty_picked, line.qty_packed) for line in detail.lines] == [(2, 2), (1, 1)]
    assert detail.packing is None
    assert verify(db) == []


def test_shipping_takes_the_stock_out_of_the_ledger(
    db: Database, actor: Actor, packer: Actor
) -> None:
    number = _order(db, actor, {"MUG": 2})
    before = stats(db).stock
    pack_unverified(db, actor, number)

    assert ship_order(db, actor, number) == "shipped"

    after = stats(db).stock
    assert (after.on_hand, after.reserved) == (before.on_hand - 2, before.reserved - 2)
    assert order_detail(db, number).lines[0].qty_shipped == 2
    assert verify(db) == []


@pytest.mark.parametrize(
    ("scan", "message"),
    [
        ("", "Nothing scanned - scan the item barcode"),
        ("4006381333932", "Check digit wrong (expected 1) - rescan"),
        ("PEN-BC", "PEN Pen is not on"),
        ("00000000000000000", "Incomplete barcode"),
        ("]X9ABC", "Unsupported barcode type ]X9"),
        ("036000291452", "Unknown GTIN 00036000291452"),
    ],
)
def test_a_wrong_scan_is_refused_and_changes_nothing_but_the_scan_log(
    db: Database, actor: Actor, packer: Actor, scan: str, message: str
) -> None:
    number = _order(db, actor, {"MUG": 1})
    state = open_for_packing(db, packer, number)

    outcome = record_pack_scan(db, packer, state.order_id, scan)

    assert not outcome.accepted
    assert message in outcome.message
    assert outcome.sound == "error"
    assert read(db, lambda s: s.scalar(select(func.count()).select_from(PackingProgress))) == 0
    events = read(db, lambda s: s.scalars(select(ScanEvent.outcome).order_by(ScanEvent.id)).all())
    assert events == ["accepted", "rejected"]  # the order slip that opened it, then this scan


def test_one_more_than_ordered_is_refused_with_the_counts(
    db: Database, actor: Actor, packer: Actor
) -> None:
    number = _order(db, actor, {"MUG": 2, "TEA": 1})
    state = open_for_packing(db, packer, number)
    record_pack_scan(db, packer, state.order_id, MUG_GTIN)
    record_pack_scan(db, packer, state.order_id, MUG_GTIN)

    outcome = record_pack_scan(db, packer, state.order_id, MUG_GTIN)

    assert outcome.message == f"{number} needs 2 × MUG Mug; 2 already scanned"
    assert order_detail(db, number).packing.scanned == {"MUG": 2}  # type: ignore[union-attr]


def test_another_orders_slip_is_named_not_packed(db: Database, actor: Actor, packer: Actor) -> None:
    first = _order(db, actor, {"MUG": 1})
    second = place(db, actor, {"TEA": 1})
    allocate(db, actor)
    state = open_for_packing(db, packer, first)

    outcome = record_pack_scan(db, packer, state.order_id, f"O:{second}")

    assert outcome.message == f"This is {second}; you are packing {first}"


def test_a_refused_order_scan_is_logged_though_nothing_else_changes(
    db: Database, actor: Actor, packer: Actor
) -> None:
    with pytest.raises(NotFound):
        open_for_packing(db, packer, "O:SO-999999")

    events = read(
        db,
        lambda s: s.execute(
            select(ScanEvent.raw, ScanEvent.outcome, ScanEvent.station, ScanEvent.message)
        ).all(),
    )
    assert [tuple(e) for e in events] == [
        ("O:SO-999999", "rejected", "pack-1", "no order SO-999999")
    ]


def test_a_second_station_cannot_open_an_order_being_packed(
    db: Database, actor: Actor, packer: Actor
) -> None:
    number = _order(db, actor, {"MUG": 1})
    open_for_packing(db, packer, number)

    with pytest.raises(ConcurrencyConflict, match="being packed at station pack-1 \\(pat\\)"):
        open_for_packing(db, Actor(username="jo", station="pack-2"), number)


def test_a_station_that_restarts_resumes_with_its_scans(
    db: Database, actor: Actor, packer: Actor
) -> None:
    number = _order(db, actor, {"MUG": 2})
    state = open_for_packing(db, packer, number)
    record_pack_scan(db, packer, state.order_id, MUG_GTIN)

    resumed = open_for_packing(db, packer, number)

    assert [(line.sku, line.scanned) for line in resumed.lines] == [("MUG", 1)]


def test_completing_before_every_unit_is_scanned_is_refused(
    db: Database, actor: Actor, packer: Actor
) -> None:
    number = _order(db, actor, {"MUG": 2})
    state = open_for_packing(db, packer, number)
    record_pack_scan(db, packer, state.order_id, MUG_GTIN)

    with pytest.raises(ValidationFailed, match="not fully scanned"):
        complete_packing(db, packer, state.order_id, [PackageSpec()])
    assert order_detail(db, number).status == "allocated"


def test_one_gtin_on_two_products_is_never_guessed(
    db: Database, actor: Actor, packer: Actor
) -> None:
    number = _order(db, actor, {"MUG": 1})
    upsert_products(db, actor, [ProductInput("MUG-RED", "Red mug", (MUG_GTIN,))])
    state = open_for_packing(db, packer, number)

    outcome = record_pack_scan(db, packer, state.order_id, MUG_GTIN)

    assert outcome.message == (
        f"GTIN 0{MUG_GTIN} matches MUG and MUG-RED - supervisor must fix master data"
    )


def test_claiming_the_next_order_takes_the_most_urgent_and_resumes_after_a_crash(
    db: Database, actor: Actor, packer: Actor
) -> None:
    stock(db, actor, {"MUG": 10})
    standard = place(db, actor, {"MUG": 1}, placed_minutes_ago=300)
    express = place(db, actor, {"MUG": 1}, service_level="express")
    allocate(db, actor)
    other = Actor(username="jo", station="pack-2")

    first = claim_next_order(db, packer)
    second = claim_next_order(db, other)
    again = claim_next_order(db, packer)

    assert (first and first.number, second and second.number) == (express, standard)
    assert again is not None and again.number == express
    assert claim_next_order(db, Actor(username="al", station="pack-3")) is None


def test_the_pack_queue_skips_an_order_a_picker_is_working_on(
    db: Database, actor: Actor, packer: Actor
) -> None:
    stock(db, actor, {"MUG": 10})
    number = place(db, actor, {"MUG": 1})
    allocate(db, actor)
    create_pick_lists(db, actor)
    assert claim_next_pick_list(db, Actor(username="pia", station="pick-1")) is not None

    assert claim_next_order(db, packer) is None
    assert open_for_packing(db, packer, number).number == number  # the slip in hand opens it


def test_the_desk_frees_an_order_from_a_station_that_is_gone_and_its_scans_stay(
    db: Database, actor: Actor, packer: Actor
) -> None:
    number = _order(db, actor, {"MUG": 2})
    state = open_for_packing(db, packer, number)
    record_pack_scan(db, packer, state.order_id, MUG_GTIN)
    with pytest.raises(ValidationFailed, match="a reason is needed"):
        free_from_station(db, actor, number, " ")

    assert free_from_station(db, actor, number, "station 1 crashed") == "pack-1"

    other = Actor(username="jo", station="pack-2")
    resumed = open_for_packing(db, other, number)
    assert [(line.sku, line.scanned) for line in resumed.lines] == [("MUG", 1)]
    event = order_detail(db, number).events[-2]
    assert (event.action, event.reason, event.username) == (
        "packing released",
        "station 1 crashed",
        actor.username,
    )


def test_the_quantity_key_counts_several_units_but_never_for_a_serial(
    db: Database, actor: Actor, packer: Actor
) -> None:
    number = _order(db, actor, {"MUG": 6})
    state = open_for_packing(db, packer, number)

    assert record_pack_scan(db, packer, state.order_id, MUG_GTIN, units=4).message == "MUG 4 of 6"
    serial = record_pack_scan(db, packer, state.order_id, f"(01)0{MUG_GTIN}(21)SN1", units=2)

    assert serial.message == "A serial number is one unit - scan each one"
    assert order_detail(db, number).packing.scanned == {"MUG": 4}  # type: ignore[union-attr]


def test_a_pick_list_or_tote_barcode_opens_its_order_for_packing(
    db: Database, actor: Actor, packer: Actor
) -> None:
    stock(db, actor, {"MUG": 10, "TEA": 10})
    place(db, actor, {"MUG": 1})
    second = place(db, actor, {"TEA": 1})
    allocate(db, actor)
    (batch,) = create_pick_lists(db, actor)  # small orders: one batch list, a tote each
    totes = {task.order_number: task.tote for task in batch.tasks}

    assert open_for_packing(db, packer, f"T:{totes[second]}").number == second
    with pytest.raises(NotFound, match="holds 2 orders: scan the order's slip"):
        open_for_packing(db, Actor(username="jo", station="pack-2"), f"P:{batch.number}")


def _fulfilment(db: Database, number: str) -> dict[str, Any]:
    """Everything packing and dispatch leave behind for one order, without its ids,
    numbers and times."""

    def work(s: Session) -> dict[str, Any]:
        order = find_order(s, number)
        line_ids = select(OrderLine.id).where(OrderLine.order_id == order.id)

        def rows(*columns: Any, where: Any, order_by: Any) -> list[tuple[Any, ...]]:
            return [tuple(r) for r in s.execute(select(*columns).where(where).order_by(order_by))]

        return {
            "status": order.status,
            "packing_station": order.packing_station,
            "lines": rows(
                OrderLine.qty_allocated,
                OrderLine.qty_picked,
                OrderLine.qty_packed,
                OrderLine.qty_shipped,
                where=OrderLine.order_id == order.id,
                order_by=OrderLine.line_no,
            ),
            "shipments": rows(
                Shipment.status,
                Shipment.verified,
                Shipment.shipped_at.is_not(None),
                where=Shipment.order_id == order.id,
                order_by=Shipment.id,
            ),
            "allocations": rows(
                Allocation.status,
                Allocation.quantity,
                where=Allocation.order_line_id.in_(line_ids),
                order_by=Allocation.id,
            ),
            "moves": rows(
                StockMove.kind,
                StockMove.quantity,
                where=StockMove.order_id == order.id,
                order_by=StockMove.id,
            ),
            "print_jobs": rows(
                PrintJob.document,
                PrintJob.printer,
                PrintJob.status,
                where=PrintJob.order_id == order.id,
                order_by=PrintJob.id,
            ),
            "e-mails": rows(
                EmailOutbox.template,
                where=EmailOutbox.order_id == order.id,
                order_by=EmailOutbox.id,
            ),
            "audit": rows(
                AuditEvent.action,
                AuditEvent.from_status,
                AuditEvent.to_status,
                AuditEvent.reason,
                where=(AuditEvent.entity == "order") & (AuditEvent.entity_id == order.id),
                order_by=AuditEvent.id,
            ),
            "pick_tasks": rows(
                PickTask.status,
                PickTask.qty_picked,
                where=PickTask.order_line_id.in_(line_ids),
                order_by=PickTask.id,
            ),
        }

    return read(db, work)


def _stock(db: Database) -> list[tuple[int, int]]:
    return read(
        db,
        lambda s: [
            (level.on_hand, level.reserved)
            for level in s.scalars(select(StockLevel).order_by(StockLevel.id))
        ],
    )


def _scan_all(db: Database, packer: Actor, number: str) -> int:
    state = open_for_packing(db, packer, number)
    for line in state.lines:
        for _ in range(line.expected):
            assert record_pack_scan(db, packer, state.order_id, line.sku).accepted
    return state.order_id


@pytest.mark.parametrize("verified", [True, False], ids=["scanned", "unverified"])
def test_packing_and_dispatching_at_once_leaves_what_packing_then_shipping_leaves(
    db: Database, actor: Actor, packer: Actor, verified: bool
) -> None:
    at_once, in_two = (_order(db, actor, {"MUG": 2, "TEA": 1}) for _ in range(2))
    stock_before = _stock(db)

    def fulfil(number: str, dispatch: bool) -> None:
        if verified:
            order_id = _scan_all(db, packer, number)
            complete_packing(db, packer, order_id, [PackageSpec("M")], dispatch=dispatch)
        else:
            pack_unverified(db, actor, number, box_code="M", dispatch=dispatch)
        if not dispatch:
            assert ship_order(db, actor, number) == "shipped"

    fulfil(at_once, dispatch=True)
    one_transaction = _fulfilment(db, at_once)
    fulfil(in_two, dispatch=False)

    assert one_transaction == _fulfilment(db, in_two)
    assert one_transaction["status"] == "shipped"
    assert one_transaction["shipments"] == [("shipped", verified, True)]
    assert one_transaction["e-mails"][-1] == ("shipped",)
    assert [action for action, *_ in one_transaction["audit"]][-2:] == ["packed", "shipped"]
    taken = [(2 * 2, 2 * 2), (2 * 1, 2 * 1), (0, 0)]  # MUG, TEA, PEN: both orders' units
    after = _stock(db)
    assert [(b[0] - a[0], b[1] - a[1]) for a, b in zip(after, stock_before, strict=True)] == taken
    tracking = order_detail(db, at_once).shipments[0].tracking_number
    assert tracking
    assert [r.number for r in order_queue.page(db, OrderQuery(text=tracking))] == [at_once]
    assert verify(db) == []


def test_a_part_order_packed_and_dispatched_at_once_waits_for_the_rest_as_when_shipped_apart(
    db: Database, actor: Actor
) -> None:
    stock(db, actor, {"MUG": 1, "PEN": 1, "TEA": 10})
    at_once = place(db, actor, {"MUG": 2, "TEA": 1}, allow_partial=True)
    in_two = place(db, actor, {"PEN": 2, "TEA": 1}, allow_partial=True)
    allocate(db, actor)

    pack_unverified(db, actor, at_once, dispatch=True)
    pack_unverified(db, actor, in_two)
    assert ship_order(db, actor, in_two) == "backordered"

    outcome = _fulfilment(db, at_once)
    assert outcome == _fulfilment(db, in_two)
    assert outcome["lines"] == [(1, 1, 1, 1), (1, 1, 1, 1)]
    assert [(a, f, t) for a, f, t, _ in outcome["audit"]][-3:] == [
        ("packed", "allocated", "packed"),
        ("shipped part", "packed", "partially_shipped"),
        ("backordered", "partially_shipped", "backordered"),
    ]
    assert verify(db) == []


def test_dispatching_at_once_closes_the_pick_tasks_a_picker_left_open(
    db: Database, actor: Actor
) -> None:
    stock(db, actor, {"MUG": 10})
    number = place(db, actor, {"MUG": 2})
    allocate(db, actor)
    create_pick_lists(db, actor)

    pack_unverified(db, actor, number, dispatch=True)

    outcome = _fulfilment(db, number)
    assert (outcome["status"], outcome["pick_tasks"]) == ("shipped", [("done", 2)])
    assert verify(db) == []


def test_a_refused_dispatch_packs_nothing(db: Database, actor: Actor, packer: Actor) -> None:
    number = _order(db, actor, {"MUG": 1})
    state = open_for_packing(db, packer, number)

    with pytest.raises(ValidationFailed, match="not fully scanned"):
        complete_packing(db, packer, state.order_id, [PackageSpec()], dispatch=True)

    outcome = _fulfilment(db, number)
    assert (outcome["status"], outcome["shipments"], outcome["moves"]) == ("allocated", [], [])
    assert outcome["packing_station"] == "pack-1"
