"""The milestone columns of `orders` (allocated_at ... cancelled_at) that the reports
read: kept by the database trigger on audit_events whichever service moves the order,
the earliest time winning, and filled from the audit trail by migration 0015."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.order_workflow import OrderStatus as S
from app.services.audit import lock_order, record, set_status, transition
from db.engine import Database
from db.models import AuditEvent, Channel, Order
from db.schema import upgrade
from db.types import utcnow
from db.uow import run_in_transaction
from tests.services.reports.history import at

ACTOR = Actor(username="tester", station="test")
MILESTONES = ("allocated", "picked", "packed", "shipped", "cancelled")


def _new_order(db: Database, number: str = "SO-1") -> int:
    def work(session: Session) -> int:
        web = session.scalars(select(Channel).where(Channel.code == "web")).first()
        order = Order(
            number=number,
            channel=web or Channel(code="web", name="Web", kind="csv"),
            external_ref=number,
            placed_at=at(24, 10),
        )
        session.add(order)
        session.flush()
        return order.id

    return run_in_transaction(db, work)


def _move(db: Database, order_id: int, *targets: S) -> None:
    """Each target in its own transaction through set_status, the scanners' path."""
    for target in targets:

        def work(session: Session, target: S = target) -> None:
            set_status(session, lock_order(session, order_id), target, ACTOR)

        run_in_transaction(db, work)


def _milestones(db: Database, order_id: int) -> dict[str, datetime | None]:
    def work(session: Session) -> dict[str, datetime | None]:
        columns = [getattr(Order, f"{m}_at") for m in MILESTONES]
        row = session.execute(select(*columns).where(Order.id == order_id)).one()
        return dict(zip(MILESTONES, row, strict=True))

    return run_in_transaction(db, work)


def _reached(db: Database, order_id: int, status: str) -> list[datetime]:
    """When the audit trail says the order reached `status`, in order."""

    def work(session: Session) -> list[datetime]:
        return list(
            session.scalars(
                select(AuditEvent.occurred_at)
                .where(
                    AuditEvent.entity == "order",
                    AuditEvent.entity_id == order_id,
                    AuditEvent.to_status == status,
                )
                .order_by(AuditEvent.occurred_at)
            )
        )

    return run_in_transaction(db, work)


def test_each_milestone_is_the_first_time_even_after_a_hold_a_repack_and_a_late_audit_row(
    db: Database,
) -> None:
    order_id = _new_order(db)
    _move(db, order_id, S.ALLOCATED, S.ON_HOLD, S.ALLOCATED, S.PICKING, S.PICKED, S.PACKED)
    # A partial dispatch sends it round again: allocated, packed a second time, shipped.
    _move(db, order_id, S.PARTIALLY_SHIPPED, S.ALLOCATED, S.PACKED, S.SHIPPED)
    allocated, packed = _reached(db, order_id, "allocated"), _reached(db, order_id, "packed")
    assert len(allocated) == 3 and len(packed) == 2
    found = _milestones(db, order_id)
    assert found == {
        "allocated": allocated[0],
        "picked": _reached(db, order_id, "picked")[0],
        "packed": packed[0],
        "shipped": _reached(db, order_id, "shipped")[0],
        "cancelled": None,
    }
    assert allocated[0] < allocated[1] < allocated[2] and packed[0] < packed[1]

    # An audit row written late with an earlier time (an import catching up) moves the
    # milestone back; one with a later time leaves it.
    earlier = allocated[0] - timedelta(hours=2)
    for when in (earlier, utcnow()):

        def late_row(session: Session, when: datetime = when) -> None:
            session.add(
                AuditEvent(
                    occurred_at=when,
                    username="import",
                    station="import",
                    entity="order",
                    entity_id=order_id,
                    action="allocated",
                    to_status="allocated",
                )
            )

        run_in_transaction(db, late_row)
    assert _milestones(db, order_id) | {"allocated": None} == found | {"allocated": None}
    assert _milestones(db, order_id)["allocated"] == earlier


def test_a_cancelled_order_has_its_cancelled_time_through_the_orm_path_too(db: Database) -> None:
    order_id = _new_order(db)
    _move(db, order_id, S.ALLOCATED)

    def cancel(session: Session) -> None:
        order = session.get(Order, order_id)
        assert order is not None
        transition(session, order, S.CANCELLED, ACTOR, reason="customer asked")

    run_in_transaction(db, cancel)
    found = _milestones(db, order_id)
    assert found["cancelled"] == _reached(db, order_id, "cancelled")[0]
    assert found["allocated"] == _reached(db, order_id, "allocated")[0]
    assert found["shipped"] is None and found["picked"] is None


def test_audit_rows_of_other_things_or_without_a_milestone_leave_the_order_alone(
    db: Database,
) -> None:
    order_id = _new_order(db)
    _move(db, order_id, S.BACKORDERED, S.ON_HOLD)

    def other_rows(session: Session) -> None:
        # A pick list with the same id reaching "picked" is not the order.
        record(session, ACTOR, "pick_list", order_id, "picked", to_status="picked")
        record(session, ACTOR, "order", order_id, "note", reason="rang the customer")

    run_in_transaction(db, other_rows)
    assert set(_milestones(db, order_id).values()) == {None}


# --- migration 0015 fills the columns from the audit trail ------------------------


# (order, entity, to_status, when): several visits, out of order, other entities.
TRAIL = [
    (1, "order", "allocated", at(24, 11)),
    (1, "order", "picked", at(24, 13)),
    (1, "order", "allocated", at(24, 9)),  # written later, happened earlier
    (1, "order", "packed", at(24, 15)),
    (1, "order", "packed", at(25, 8)),  # packed again
    (1, "order", "shipped", at(25, 9)),
    (1, "order", "delivered", at(27, 9)),
    (2, "order", "on_hold", at(25, 1)),
    (2, "order", "cancelled", at(25, 2)),
    (2, "pick_list", "shipped", at(25, 3)),  # pick list 2, not order 2
    (3, "order", "backordered", at(26, 1)),
]


def test_the_migration_fills_each_milestone_with_the_earliest_audit_row(
    empty_db: Database,
) -> None:
    upgrade(empty_db, "0014")
    with empty_db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO channels (id, code, name, kind, allow_partial, safety_buffer, "
                "active) VALUES (1, 'web', 'Web', 'csv', :no, 0, :yes)"
            ),
            {"no": False, "yes": True},
        )
        for order_id in (1, 2, 3):
            conn.execute(
                text(
                    "INSERT INTO orders (id, number, channel_id, external_ref, status, priority, "
                    "service_level, placed_at, currency, payment_status, subtotal, "
                    "shipping_total, tax_total, grand_total, ship_name, ship_address1, "
                    "ship_city, ship_postcode, ship_country, created_at, updated_at, version) "
                    "VALUES (:id, :n, 1, :n, 'new', 5, 'standard', :t, 'EUR', 'paid', 0, 0, 0, "
                    "0, '', '', '', '', '', :t, :t, 1)"
                ),
                {"id": order_id, "n": f"SO-{order_id}", "t": _bound(empty_db, at(24, 8))},
            )
        for order_id, entity, status, when in TRAIL:
            conn.execute(
                text(
                    "INSERT INTO audit_events (occurred_at, username, station, entity, "
                    "entity_id, action, to_status) VALUES (:t, 'u', 's', :e, :id, :s, :s)"
                ),
                {"t": _bound(empty_db, when), "e": entity, "id": order_id, "s": status},
            )
    upgrade(empty_db)
    assert _milestones(empty_db, 1) == {
        "allocated": at(24, 9),
        "picked": at(24, 13),
        "packed": at(24, 15),
        "shipped": at(25, 9),
        "cancelled": None,
    }
    assert _milestones(empty_db, 2) == dict.fromkeys(MILESTONES) | {"cancelled": at(25, 2)}
    assert set(_milestones(empty_db, 3).values()) == {None}


def _bound(db: Database, moment: datetime) -> Any:
    """A time as the column stores it (SQLite: naive UTC text, as UTCDateTime writes it)."""
    if db.engine.dialect.name == "sqlite":
        return moment.replace(tzinfo=None).isoformat(" ", "microseconds")
    return moment
