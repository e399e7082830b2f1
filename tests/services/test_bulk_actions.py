"""Bulk actions say exactly what will happen, then do it order by order and say what was done."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.credentials import hash_secret
from app.errors import PermissionDenied, ValidationFailed
from app.services.allocation import allocate
from app.services.bulk_actions import BulkAction, plan, run
from app.services.intake import create_orders
from app.services.orders import order_detail
from app.services.pack_completion import pack_unverified
from app.services.printing import PRINT_DIR_VAR
from app.services.shipping import ship_order
from db.engine import Database
from db.models import Order, PrintJob, User
from db.uow import read, run_in_transaction
from tests.factories import ADDRESS, channel, new_order, stock

HASH = hash_secret("bulk-actions")


@pytest.fixture
def print_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(PRINT_DIR_VAR, str(tmp_path))
    return tmp_path


@pytest.fixture
def orders(db: Database, actor: Actor) -> dict[str, int]:
    """number -> id: three allocated orders and one shipped."""
    stock(db, actor, {"MUG": 20})
    channel(db)
    customers = [
        replace(
            new_order({"MUG": 1}),
            email=f"c{i}@example.com",
            ship_to=replace(ADDRESS, address1=f"{i} Torstraße"),
        )
        for i in range(4)
    ]
    numbers = create_orders(db, actor, customers).created
    allocate(db, actor)
    pack_unverified(db, actor, numbers[3])
    ship_order(db, actor, numbers[3])
    return {n: order_detail(db, n).id for n in numbers}


def test_the_confirmation_counts_what_will_be_held_and_why_not_the_rest(
    db: Database, actor: Actor, orders: dict[str, int]
) -> None:
    numbers = list(orders)
    proposal = plan(db, actor, BulkAction.HOLD, orders.values())

    assert proposal.will == tuple(numbers[:3])
    assert proposal.sentence() == "3 of 4 orders will be held; 1 has shipped."

    result = run(db, actor, BulkAction.HOLD, orders.values(), "stock count")

    assert result.done == tuple(numbers[:3])
    assert result.sentence() == "3 orders held."
    assert {order_detail(db, n).status for n in numbers[:3]} == {"on_hold"}
    assert result.changes.orders and result.changes.order_ids == frozenset(orders.values())
    again = plan(db, actor, BulkAction.HOLD, orders.values())
    assert (
        again.sentence()
        == "None of the 4 orders can be held; 3 are already on hold; 1 has shipped."
    )


def test_release_and_cancel_apply_only_where_they_can_and_need_a_reason(
    db: Database, actor: Actor, orders: dict[str, int]
) -> None:
    numbers = list(orders)
    run(db, actor, BulkAction.HOLD, [orders[numbers[0]]], "address check")
    with pytest.raises(ValidationFailed, match="a reason is needed"):
        run(db, actor, BulkAction.RELEASE, orders.values(), " ")

    released = run(db, actor, BulkAction.RELEASE, orders.values(), "address confirmed")
    assert released.done == (numbers[0],)

    cancelled = run(db, actor, BulkAction.CANCEL, orders.values(), "customer asked")
    assert cancelled.done == tuple(numbers[:3])
    assert order_detail(db, numbers[3]).status == "shipped"


def test_a_pick_list_takes_exactly_the_selected_allocated_orders(
    db: Database, actor: Actor, orders: dict[str, int]
) -> None:
    numbers = list(orders)
    chosen = [orders[numbers[0]], orders[numbers[2]], orders[numbers[3]]]

    assert plan(db, actor, BulkAction.PICK_LIST, chosen).sentence() == (
        "2 of 3 orders will go on pick lists; 1 has shipped."
    )
    result = run(db, actor, BulkAction.PICK_LIST, chosen)

    assert sorted(result.done) == [numbers[0], numbers[2]]
    assert order_detail(db, numbers[1]).status == "allocated"  # not selected: not listed


def test_a_picker_is_refused_before_anything_is_planned_or_changed(
    db: Database, actor: Actor, orders: dict[str, int]
) -> None:
    def work(session: Session) -> Actor:
        user = User(username="pia", display_name="Pia", role="picker", password_hash=HASH)
        session.add(user)
        session.flush()
        return Actor("pia", "test-station", user.id, "picker")

    picker = run_in_transaction(db, work)

    with pytest.raises(PermissionDenied, match="may not put orders on hold"):
        plan(db, picker, BulkAction.HOLD, orders.values())
    with pytest.raises(PermissionDenied):
        run(db, picker, BulkAction.CANCEL, orders.values(), "no")
    assert {order_detail(db, n).status for n in list(orders)[:3]} == {"allocated"}


def _jobs(db: Database, document: str) -> dict[str, int]:
    """order number -> how many print jobs of `document` it has."""

    def work(session: Session) -> dict[str, int]:
        rows = session.execute(
            select(Order.number, func.count(PrintJob.id))
            .join(PrintJob, PrintJob.order_id == Order.id)
            .where(PrintJob.document == document)
            .group_by(Order.number)
        )
        return {number: count for number, count in rows}

    return read(db, work)


def test_labels_print_once_for_each_packed_order_and_the_rest_are_counted_out(
    db: Database, actor: Actor, orders: dict[str, int], print_dir: Path
) -> None:
    numbers = list(orders)
    for number in numbers[:2]:
        pack_unverified(db, actor, number)
    before, files = _jobs(db, "label"), set(print_dir.iterdir())

    proposal = plan(db, actor, BulkAction.PRINT_LABELS, orders.values())
    result = run(db, actor, BulkAction.PRINT_LABELS, orders.values())

    assert proposal.sentence() == (
        "2 of 4 orders will have their label printed; 1 is not packed yet; 1 has shipped."
        " One each, on folder."
    )
    assert result.sentence() == "2 labels printed on folder."
    after = _jobs(db, "label")
    assert {n: after.get(n, 0) - before.get(n, 0) for n in numbers} == {
        numbers[0]: 1,
        numbers[1]: 1,
        numbers[2]: 0,
        numbers[3]: 0,
    }
    new_files = set(print_dir.iterdir()) - files
    assert len(new_files) == 2 and all(f.read_bytes().startswith(b"%PDF") for f in new_files)
    assert result.changes.print_jobs and result.changes.order_ids == frozenset(orders.values())


def test_slips_print_from_allocation_on_even_before_packing(
    db: Database, actor: Actor, orders: dict[str, int], print_dir: Path
) -> None:
    numbers = list(orders)
    waiting = create_orders(db, actor, [new_order({"MUG": 1})]).created[0]  # not allocated
    ids = [*orders.values(), order_detail(db, waiting).id]
    before = _jobs(db, "packing_slip")

    proposal = plan(db, actor, BulkAction.PRINT_SLIPS, ids)
    result = run(db, actor, BulkAction.PRINT_SLIPS, ids)

    assert proposal.sentence() == (
        "4 of 5 orders will have their packing slip printed; 1 is not allocated yet."
        " One each, on folder."
    )
    assert (result.done, result.sentence()) == (
        tuple(numbers),
        "4 packing slips printed on folder.",
    )
    after = _jobs(db, "packing_slip")
    assert {n: after.get(n, 0) - before.get(n, 0) for n in [*numbers, waiting]} == {
        **dict.fromkeys(numbers, 1),
        waiting: 0,
    }
    assert len([f for f in print_dir.iterdir() if f.read_bytes().startswith(b"%PDF")]) == 4


def test_nothing_to_print_says_so(db: Database, actor: Actor, orders: dict[str, int]) -> None:
    allocated = list(orders.values())[:3]
    proposal = plan(db, actor, BulkAction.PRINT_LABELS, allocated)
    assert proposal.sentence() == (
        "None of the 3 orders can be given a label; 3 are not packed yet."
    )
    assert run(db, actor, BulkAction.PRINT_LABELS, allocated).sentence() == "No label printed."
