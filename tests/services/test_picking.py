"""Pick lists, claims, pick scans and short picks on both databases."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from itertools import count
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.cli import run as cli
from app.context import Actor
from app.errors import ConcurrencyConflict, ValidationFailed
from app.services.allocation import allocate
from app.services.catalogue import ProductInput, upsert_products
from app.services.intake import create_orders
from app.services.integrity import verify
from app.services.orders import order_detail
from app.services.pack_completion import PackageSpec, complete_packing
from app.services.packing import open_for_packing, record_pack_scan
from app.services.pick_lists import (
    PickListView,
    create_pick_lists,
    pick_list_document,
    pick_list_view,
)
from app.services.pick_scans import record_pick_scan
from app.services.picking import (
    claim_next_pick_list,
    claim_pick_list,
    complete_pick_list,
    release_pick_list,
    renew_lease,
)
from app.services.short_picks import report_short
from db.engine import Database
from db.models import AuditEvent, Location, OrderLine, PickList, PickTask, ScanEvent, StockMove
from db.types import utcnow
from db.uow import read, run_in_transaction
from tests.factories import ADDRESS, channel, new_order, stock

MUG_GTIN = "4006381333931"
TEA_GTIN = "5901234123457"
PEN_GTIN = "96385074"
_customers = count(1)


@pytest.fixture
def picker() -> Actor:
    return Actor(username="pia", station="pick-1")


@pytest.fixture
def rival() -> Actor:
    return Actor(username="olaf", station="pick-2")


def _warehouse(db: Database, actor: Actor, bins: dict[str, dict[str, int]]) -> None:
    """Stock per location code; MUG, TEA and PEN get their GTINs."""
    for code, units in bins.items():
        stock(db, actor, units, location=code)
    upsert_products(
        db,
        actor,
        [
            ProductInput("MUG", "Mug", (MUG_GTIN,)),
            ProductInput("TEA", "Tea", (TEA_GTIN,)),
            ProductInput("PEN", "Pen", (PEN_GTIN,)),
        ],
    )


def place(db: Database, actor: Actor, lines: dict[str, int], channel_code: str = "web") -> str:
    """One order from a customer of its own, so no risk rule holds it."""
    n = next(_customers)
    channel(db, channel_code)
    order = replace(
        new_order(lines, channel=channel_code),
        ship_to=replace(ADDRESS, address1=f"Dock {n}"),
        email=f"customer{n}@example.de",
    )
    return create_orders(db, actor, [order]).created[0]


def _walk(db: Database, sequences: dict[str, int]) -> None:
    def work(session: Session) -> None:
        for code, seq in sequences.items():
            session.execute(update(Location).where(Location.code == code).values(pick_sequence=seq))

    run_in_transaction(db, work)


def _status(db: Database, number: str) -> str:
    return order_detail(db, number).status


def _tasks(db: Database) -> list[tuple[int, int, str]]:
    return read(
        db,
        lambda s: [
            (t.quantity, t.qty_picked, t.status)
            for t in s.scalars(select(PickTask).order_by(PickTask.id))
        ],
    )


def _picked(db: Database) -> list[int]:
    return read(db, lambda s: list(s.scalars(select(OrderLine.qty_picked).order_by(OrderLine.id))))


def _one_list(db: Database, actor: Actor, lines: dict[str, int]) -> str:
    number = place(db, actor, lines)
    allocate(db, actor)
    return number


def _pick_all(db: Database, picker: Actor, view: PickListView) -> None:
    for task in view.tasks:
        assert record_pick_scan(db, picker, view.id, f"L:{task.location}").accepted
        for _ in range(task.remaining):
            assert record_pick_scan(db, picker, view.id, task.sku).accepted


def test_a_list_follows_the_walking_order_and_its_order_stays_allocated(
    db: Database, actor: Actor
) -> None:
    _warehouse(
        db, actor, {"A-01-01-A": {"MUG": 5}, "B-01-01-A": {"TEA": 5}, "C-01-01-A": {"PEN": 5}}
    )
    _walk(db, {"A-01-01-A": 30, "B-01-01-A": 10, "C-01-01-A": 20})
    number = _one_list(db, actor, {"MUG": 2, "TEA": 1, "PEN": 1})

    (view,) = create_pick_lists(db, actor)

    assert (view.kind, view.status, view.orders, view.units) == ("single", "open", (number,), 4)
    assert [(t.sequence, t.location, t.sku, t.quantity) for t in view.tasks] == [
        (1, "B-01-01-A", "TEA", 1),
        (2, "C-01-01-A", "PEN", 1),
        (3, "A-01-01-A", "MUG", 2),
    ]
    assert view.tasks[0].gtin == "0" + TEA_GTIN
    assert _status(db, number) == "allocated"
    assert create_pick_lists(db, actor) == []
    assert verify(db) == []


def test_small_orders_are_batched_with_a_tote_each_and_big_ones_get_their_own_list(
    db: Database, actor: Actor
) -> None:
    _warehouse(db, actor, {"A-01-01-A": {"MUG": 50}, "B-01-01-A": {"TEA": 50}})
    small = [place(db, actor, {"MUG": 1, "TEA": 1}) for _ in range(5)]
    big = place(db, actor, {"MUG": 4})
    allocate(db, actor)

    views = create_pick_lists(db, actor, batch_size=3, small_order_units=3)

    assert [(v.kind, v.orders) for v in views] == [
        ("batch", tuple(small[:3])),
        ("batch", tuple(small[3:])),
        ("single", (big,)),
    ]
    first = views[0]
    value = int(first.number.removeprefix("PL-"))
    assert [(t.location, t.order_number, t.tote) for t in first.tasks] == [
        ("A-01-01-A", small[0], f"T-{value}-1"),
        ("A-01-01-A", small[1], f"T-{value}-2"),
        ("A-01-01-A", small[2], f"T-{value}-3"),
        ("B-01-01-A", small[0], f"T-{value}-1"),
        ("B-01-01-A", small[1], f"T-{value}-2"),
        ("B-01-01-A", small[2], f"T-{value}-3"),
    ]
    assert [t.sequence for t in first.tasks] == [1, 2, 3, 4, 5, 6]
    assert views[2].tasks[0].tote is None
    assert verify(db) == []


def test_two_stations_claim_different_lists_and_a_station_resumes_its_own(
    db: Database, actor: Actor, picker: Actor, rival: Actor
) -> None:
    _warehouse(db, actor, {"A-01-01-A": {"MUG": 50}})
    numbers = [_one_list(db, actor, {"MUG": 4}) for _ in range(2)]
    create_pick_lists(db, actor)

    mine = claim_next_pick_list(db, picker)
    theirs = claim_next_pick_list(db, rival)

    assert mine is not None and theirs is not None
    assert (mine.orders, theirs.orders) == ((numbers[0],), (numbers[1],))
    assert (mine.status, mine.station) == ("claimed", "pick-1")
    assert [_status(db, n) for n in numbers] == ["picking", "picking"]
    resumed = claim_next_pick_list(db, picker)
    assert resumed is not None and resumed.id == mine.id
    assert claim_next_pick_list(db, Actor(username="ann", station="pick-3")) is None
    assert verify(db) == []


def test_a_lapsed_lease_hands_the_list_to_the_next_station_and_locks_out_the_first(
    db: Database, actor: Actor, picker: Actor, rival: Actor
) -> None:
    _warehouse(db, actor, {"A-01-01-A": {"MUG": 5}})
    number = _one_list(db, actor, {"MUG": 4})
    create_pick_lists(db, actor)
    view = claim_next_pick_list(db, picker, lease_seconds=60)
    assert view is not None
    assert claim_next_pick_list(db, rival) is None
    renew_lease(db, picker, view.id, lease_seconds=60)

    run_in_transaction(
        db,
        lambda s: s.execute(
            update(PickList).values(lease_expires_at=utcnow() - timedelta(seconds=1))
        ),
    )
    taken = claim_next_pick_list(db, rival)

    assert taken is not None and taken.id == view.id and taken.station == "pick-2"
    outcome = record_pick_scan(db, picker, view.id, "L:A-01-01-A")
    assert not outcome.accepted
    assert outcome.message == f"{view.number} is being picked at station pick-2 (olaf)"
    with pytest.raises(ConcurrencyConflict, match="being picked at station pick-2"):
        complete_pick_list(db, picker, view.id)
    assert _status(db, number) == "picking"
    actions = read(
        db,
        lambda s: list(
            s.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.entity == "pick_list")
                .order_by(AuditEvent.id)
            )
        ),
    )
    assert actions == ["created", "claimed", "reclaimed"]
    assert verify(db) == []


def test_a_released_list_is_open_again_and_its_orders_allocated(
    db: Database, actor: Actor, picker: Actor, rival: Actor
) -> None:
    _warehouse(db, actor, {"A-01-01-A": {"MUG": 5}})
    number = _one_list(db, actor, {"MUG": 2})
    create_pick_lists(db, actor)
    view = claim_next_pick_list(db, picker)
    assert view is not None
    with pytest.raises(ConcurrencyConflict):
        release_pick_list(db, rival, view.id)

    released = release_pick_list(db, picker, view.id)

    assert (released.status, released.station) == ("open", None)
    assert _status(db, number) == "allocated"
    again = claim_next_pick_list(db, rival)
    assert again is not None and again.id == view.id
    assert verify(db) == []


def test_the_location_is_scanned_first_then_each_unit_until_the_list_is_complete(
    db: Database, actor: Actor, picker: Actor
) -> None:
    _warehouse(db, actor, {"A-01-01-A": {"MUG": 9}, "B-01-01-A": {"TEA": 9}})
    number = _one_list(db, actor, {"MUG": 4, "TEA": 1})
    create_pick_lists(db, actor)
    view = claim_next_pick_list(db, picker)
    assert view is not None

    scans = [
        MUG_GTIN,
        "L:A-01-01-A",
        MUG_GTIN,
        f"(01)0{MUG_GTIN}(30)2",
        "MUG",
        "l:b-01-01-a",
        TEA_GTIN,
    ]
    outcomes = [record_pick_scan(db, picker, view.id, scan) for scan in scans]

    assert [(o.accepted, o.sound) for o in outcomes] == [
        (False, "error"),
        (True, "ok"),
        (True, "ok"),
        (True, "ok"),
        (True, "ok"),
        (True, "ok"),
        (True, "complete"),
    ]
    assert outcomes[0].message == "Scan the location first - next: A-01-01-A"
    assert outcomes[1].message == "A-01-01-A: pick 4 × MUG"
    assert outcomes[2].message == "MUG 1 of 4"
    assert outcomes[4].message == "MUG 4 of 4 - next: B-01-01-A"
    assert outcomes[6].message == "TEA 1 of 1 - every item is picked: close the list"
    assert [(o.picked, o.units) for o in outcomes[2:5]] == [(1, 5), (3, 5), (4, 5)]
    assert _picked(db) == [4, 1]
    events = read(
        db,
        lambda s: s.execute(
            select(ScanEvent.station, ScanEvent.outcome, ScanEvent.value).order_by(ScanEvent.id)
        ).all(),
    )
    assert len(events) == len(scans)
    assert events[5] == ("pick-1", "accepted", "L:B-01-01-A")
    assert events[0][1] == "rejected"

    done = complete_pick_list(db, picker, view.id)

    assert done.status == "done"
    assert _status(db, number) == "picked"
    assert verify(db) == []


@pytest.mark.parametrize(
    ("scans", "message"),
    [
        (["L:C-01-01-A"], "Wrong location: PL-000001 has nothing at C-01-01-A - next: A-01-01-A"),
        (["L:Z-99"], "Unknown location Z-99 - rescan"),
        (["L:A-01-01-A", TEA_GTIN], "Wrong product: TEA is picked at B-01-01-A, not A-01-01-A"),
        (["L:A-01-01-A", PEN_GTIN], "Wrong product: PEN is not on PL-000001 - put it back"),
        (["L:A-01-01-A", "MUG", "MUG"], "Over-pick: 1 × MUG needed here, all picked"),
        (
            ["L:B-01-01-A", f"(01)0{TEA_GTIN}(37)3"],
            "Over-pick: tote T-1-1 needs 2 more × TEA, 3 scanned",
        ),
        (["L:A-01-01-A", "4006381333932"], "Check digit wrong (expected 1) - rescan"),
        (["L:A-01-01-A", "P:PL-000009"], "This is pick list PL-000009; you are picking PL-000001"),
    ],
)
def test_a_wrong_scan_is_refused_and_changes_nothing_but_the_scan_log(
    db: Database, actor: Actor, picker: Actor, scans: list[str], message: str
) -> None:
    _warehouse(
        db,
        actor,
        {"A-01-01-A": {"MUG": 9}, "B-01-01-A": {"TEA": 9}, "C-01-01-A": {"PEN": 9}},
    )
    _one_list(db, actor, {"MUG": 1, "TEA": 2})
    create_pick_lists(db, actor)
    view = claim_next_pick_list(db, picker)
    assert view is not None
    for scan in scans[:-1]:
        assert record_pick_scan(db, picker, view.id, scan).accepted
    tasks, picked = _tasks(db), _picked(db)

    outcome = record_pick_scan(db, picker, view.id, scans[-1])

    assert not outcome.accepted
    assert outcome.sound == "error"
    assert message in outcome.message
    assert (_tasks(db), _picked(db)) == (tasks, picked)
    last = read(db, lambda s: s.scalars(select(ScanEvent).order_by(ScanEvent.id.desc())).first())
    assert last is not None
    assert (last.outcome, last.message, last.raw) == ("rejected", outcome.message, scans[-1])
    assert verify(db) == []


def test_cluster_picking_drops_each_unit_into_its_orders_tote(
    db: Database, actor: Actor, picker: Actor
) -> None:
    _warehouse(db, actor, {"A-01-01-A": {"MUG": 9}, "B-01-01-A": {"TEA": 9}})
    first = _one_list(db, actor, {"MUG": 1})
    second = _one_list(db, actor, {"MUG": 2, "TEA": 1})
    create_pick_lists(db, actor)
    view = claim_next_pick_list(db, picker)
    assert view is not None and view.orders == (first, second)

    messages = [
        record_pick_scan(db, picker, view.id, scan).message
        for scan in ("L:A-01-01-A", "MUG", "MUG", "MUG", "T:T-1-2")
    ]

    assert messages == [
        "A-01-01-A: pick 1 × MUG into tote T-1-1",
        "MUG 1 of 1 into tote T-1-1 - next: MUG here at A-01-01-A",
        "MUG 1 of 2 into tote T-1-2",
        "MUG 2 of 2 into tote T-1-2 - next: B-01-01-A",
        f"Tote T-1-2 is for {second}",
    ]
    assert verify(db) == []


def test_without_required_location_a_product_scan_alone_picks(
    db: Database, actor: Actor, picker: Actor
) -> None:
    _warehouse(db, actor, {"A-01-01-A": {"MUG": 9}})
    _one_list(db, actor, {"MUG": 1})
    create_pick_lists(db, actor)
    view = claim_next_pick_list(db, picker)
    assert view is not None

    outcome = record_pick_scan(db, picker, view.id, MUG_GTIN, require_location=False)

    assert (outcome.accepted, outcome.sound) == (True, "complete")


def test_a_short_pick_takes_the_missing_units_from_another_location(
    db: Database, actor: Actor, picker: Actor
) -> None:
    _warehouse(db, actor, {"A-01-01-A": {"MUG": 3}, "B-01-01-A": {"MUG": 5}})
    number = _one_list(db, actor, {"MUG": 3})
    create_pick_lists(db, actor)
    view = claim_next_pick_list(db, picker)
    assert view is not None
    (task,) = view.tasks
    record_pick_scan(db, picker, view.id, "L:A-01-01-A")
    record_pick_scan(db, picker, view.id, MUG_GTIN)

    short = report_short(db, picker, task.task_id, 1)

    assert (short.missing, short.written_off, short.backordered) == (2, 2, 0)
    assert [(t.location, t.quantity, t.sequence) for t in short.replacements] == [
        ("B-01-01-A", 2, 2)
    ]
    assert short.message == f"{number}: 2 × MUG not at A-01-01-A; 2 from B-01-01-A (stop 2)"
    assert short.order_status == "picking"
    moves = read(
        db,
        lambda s: s.execute(
            select(StockMove.quantity, StockMove.kind, StockMove.reason).where(
                StockMove.kind == "adjustment"
            )
        ).all(),
    )
    assert moves == [(-2, "adjustment", "short pick: not found")]
    assert verify(db) == []

    record_pick_scan(db, picker, view.id, "L:B-01-01-A")
    record_pick_scan(db, picker, view.id, MUG_GTIN)
    last = record_pick_scan(db, picker, view.id, MUG_GTIN)
    assert last.sound == "complete"
    complete_pick_list(db, picker, view.id)
    assert _status(db, number) == "picked"
    assert order_detail(db, number).lines[0].qty_picked == 3
    assert verify(db) == []


def test_a_short_pick_with_no_stock_elsewhere_backorders_the_line_or_the_whole_order(
    db: Database, actor: Actor, picker: Actor, rival: Actor
) -> None:
    _warehouse(db, actor, {"A-01-01-A": {"MUG": 2, "TEA": 1, "PEN": 1}})
    channel(db, "b2b", allow_partial=True)
    partial = place(db, actor, {"MUG": 2, "TEA": 1}, channel_code="b2b")
    whole = place(db, actor, {"PEN": 1})
    allocate(db, actor)
    create_pick_lists(db, actor, small_order_units=0)
    first = claim_next_pick_list(db, picker)
    second = claim_next_pick_list(db, rival)
    assert first is not None and second is not None
    mug = next(t for t in first.tasks if t.sku == "MUG")

    short = report_short(db, picker, mug.task_id, 0)
    gone = report_short(db, rival, second.tasks[0].task_id, 0)

    assert (short.missing, short.backordered, short.replacements) == (2, 2, ())
    assert short.order_status == "picking"
    lines = order_detail(db, partial).lines
    assert [(line.sku, line.qty_allocated) for line in lines] == [("MUG", 0), ("TEA", 1)]
    assert gone.order_status == "backordered"
    assert _status(db, whole) == "backordered"
    events = order_detail(db, whole).events
    assert (events[-1].action, events[-1].reason) == (
        "short pick",
        f"{whole}: 1 × PEN not at A-01-01-A; 1 backordered",
    )
    assert verify(db) == []

    _pick_all(db, picker, pick_list_view(db, first.id))
    complete_pick_list(db, picker, first.id)
    assert _status(db, partial) == "picked"
    complete_pick_list(db, rival, second.id)
    assert verify(db) == []


def test_a_short_pick_on_a_ship_complete_order_sends_the_whole_order_back_to_wait(
    db: Database, actor: Actor, picker: Actor
) -> None:
    _warehouse(db, actor, {"A-01-01-A": {"MUG": 1, "PEN": 1}})
    number = place(db, actor, {"MUG": 1, "PEN": 1})
    allocate(db, actor)
    create_pick_lists(db, actor, small_order_units=0)
    view = claim_next_pick_list(db, picker)
    assert view is not None
    pen = next(t for t in view.tasks if t.sku == "PEN")

    short = report_short(db, picker, pen.task_id, 0)

    assert short.order_status == "backordered"
    assert "ship-complete order waits whole" in short.message
    lines = order_detail(db, number).lines
    assert [(line.sku, line.qty_allocated, line.qty_picked) for line in lines] == [
        ("MUG", 0, 0),
        ("PEN", 0, 0),
    ]
    assert not any(t.live for t in pick_list_view(db, view.id).tasks)
    assert verify(db) == []


def test_a_picked_list_packs_at_the_packing_station(
    db: Database, actor: Actor, picker: Actor
) -> None:
    _warehouse(db, actor, {"A-01-01-A": {"MUG": 9}, "B-01-01-A": {"TEA": 9}})
    numbers = [_one_list(db, actor, {"MUG": 1, "TEA": 1}) for _ in range(2)]
    create_pick_lists(db, actor)
    view = claim_next_pick_list(db, picker)
    assert view is not None
    _pick_all(db, picker, view)
    complete_pick_list(db, picker, view.id)
    assert [_status(db, n) for n in numbers] == ["picked", "picked"]
    packer = Actor(username="pat", station="pack-1")
    tote = view.tasks[1].tote

    state = open_for_packing(db, packer, f"T:{tote}")
    for code in (MUG_GTIN, TEA_GTIN):
        assert record_pack_scan(db, packer, state.order_id, code).accepted
    complete_packing(db, packer, state.order_id, [PackageSpec()])

    assert state.number == numbers[1]
    assert _status(db, numbers[1]) == "packed"
    assert [(line.qty_picked, line.qty_packed) for line in order_detail(db, numbers[1]).lines] == [
        (1, 1),
        (1, 1),
    ]
    assert verify(db) == []


def test_a_list_cannot_be_completed_before_every_unit_is_picked(
    db: Database, actor: Actor, picker: Actor
) -> None:
    _warehouse(db, actor, {"A-01-01-A": {"MUG": 9}})
    number = _one_list(db, actor, {"MUG": 2})
    create_pick_lists(db, actor)
    view = claim_next_pick_list(db, picker)
    assert view is not None
    record_pick_scan(db, picker, view.id, "L:A-01-01-A")
    record_pick_scan(db, picker, view.id, "MUG")

    with pytest.raises(ValidationFailed, match="not fully picked") as refused:
        complete_pick_list(db, picker, view.id)

    assert refused.value.problems == [f"A-01-01-A: MUG 1 of 2 for {number}"]
    assert _status(db, number) == "picking"


def test_the_pick_list_prints_and_the_command_line_builds_lists(
    db: Database, actor: Actor, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _warehouse(db, actor, {"A-01-01-A": {"MUG": 9}})
    number = _one_list(db, actor, {"MUG": 2})
    url = db.url.render_as_string(hide_password=False)

    assert cli(["--db", url, "pick-lists", "--batch-size", "4"]) == 0
    assert f"PL-000001  batch   1 stop, 2 units: {number}" in capsys.readouterr().out
    out = tmp_path / "list.pdf"
    assert cli(["--db", url, "pick-list", "pl-000001", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert pick_list_document(db, 1).startswith(b"%PDF")
    assert cli(["--db", url, "pick-list", "PL-000404", "--out", str(out)]) == 1
    assert capsys.readouterr().err.strip() == "error: no pick list PL-000404"


def test_a_scanned_pick_list_is_claimed_by_that_station_and_refused_to_another(
    db: Database, actor: Actor, picker: Actor, rival: Actor
) -> None:
    _warehouse(db, actor, {"A-01-01-A": {"MUG": 9}})
    number = _one_list(db, actor, {"MUG": 1})
    (created,) = create_pick_lists(db, actor)

    claimed = claim_pick_list(db, picker, f"P:{created.number}")

    assert (claimed.status, claimed.station) == ("claimed", picker.station)
    assert _status(db, number) == "picking"
    assert claim_pick_list(db, picker, created.number).id == created.id  # resume
    with pytest.raises(ConcurrencyConflict, match=f"{created.number} is being picked at"):
        claim_pick_list(db, rival, created.number)
