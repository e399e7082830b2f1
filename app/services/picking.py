"""Claiming pick lists: a station takes the next list under a lease, then gives it
back or finishes it.

Claims take the list row with FOR UPDATE SKIP LOCKED on PostgreSQL, so stations
never queue behind each other and never get the same list; on SQLite, BEGIN
IMMEDIATE serialises them. Locks are taken in one order: the pick list, then its
orders by id (then stock levels by id, in a short pick). A lease is judged by the
database server's clock. Until another station takes an expired claim, its holder
may carry on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.order_workflow import OrderStatus
from app.errors import ConcurrencyConflict, InvalidTransition, NotFound, ValidationFailed
from app.services.access import authorize
from app.services.audit import record, transition
from app.services.pick_lists import (
    LIVE_ORDER_STATUSES,
    PickListView,
    find_pick_list,
    load_views,
)
from db.engine import Database
from db.models import AuditEvent, Order, OrderLine, PickList, PickTask, User
from db.types import utcnow
from db.uow import run_in_transaction

DEFAULT_LEASE_SECONDS = 600
CLAIM_ACTIONS = ("claimed", "reclaimed", "resumed")


def db_now(session: Session) -> datetime:
    """The server's clock on PostgreSQL (stations' clocks drift); on SQLite, this host's."""
    if session.get_bind().dialect.name != "postgresql":
        return utcnow()
    now = session.execute(select(func.now())).scalar_one()
    assert isinstance(now, datetime)
    return now


def lock_list(session: Session, pick_list_id: int) -> PickList:
    pick_list = session.get(PickList, pick_list_id, with_for_update=True, populate_existing=True)
    if pick_list is None:
        raise NotFound(f"no pick list with id {pick_list_id}")
    return pick_list


def lock_orders(session: Session, pick_list_id: int) -> list[Order]:
    """The list's orders, locked in id order."""
    on_list = (
        select(OrderLine.order_id)
        .join(PickTask, PickTask.order_line_id == OrderLine.id)
        .where(PickTask.pick_list_id == pick_list_id)
    )
    return list(
        session.scalars(
            select(Order)
            .where(Order.id.in_(on_list))
            .order_by(Order.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )


def holder_problem(session: Session, actor: Actor, pick_list: PickList) -> str | None:
    """Why this station may not work on `pick_list`, or None if it holds the claim."""
    if pick_list.status == "claimed" and pick_list.claimed_by_station == actor.station:
        return None
    if pick_list.status == "claimed":
        return f"{pick_list.number} is being picked at station {_holder(session, pick_list)}"
    if pick_list.status == "open":
        return f"{pick_list.number} is not claimed by this station - claim it first"
    return f"{pick_list.number} is {pick_list.status}"


def held(session: Session, actor: Actor, pick_list_id: int) -> PickList:
    """Lock the list; raise unless this station holds its claim."""
    pick_list = lock_list(session, pick_list_id)
    problem = holder_problem(session, actor, pick_list)
    if problem:
        raise ConcurrencyConflict(problem)
    return pick_list


def _holder(session: Session, pick_list: PickList) -> str:
    name = None
    if pick_list.claimed_by_user_id is not None:
        name = session.scalar(
            select(User.display_name).where(User.id == pick_list.claimed_by_user_id)
        )
    if name is None:
        name = session.scalar(
            select(AuditEvent.username)
            .where(
                AuditEvent.entity == "pick_list",
                AuditEvent.entity_id == pick_list.id,
                AuditEvent.action.in_(CLAIM_ACTIONS),
            )
            .order_by(AuditEvent.id.desc())
            .limit(1)
        )
    return f"{pick_list.claimed_by_station} ({name or 'unknown user'})"


def _lease(seconds: int) -> timedelta:
    if seconds <= 0:
        raise ValidationFailed(f"a lease must be at least 1 second (got {seconds})")
    return timedelta(seconds=seconds)


def claim_next_pick_list(
    db: Database, actor: Actor, *, lease_seconds: int = DEFAULT_LEASE_SECONDS
) -> PickListView | None:
    """This station's own claim if it has one, else the oldest open (or lapsed) list."""
    lease = _lease(lease_seconds)

    def work(session: Session) -> PickListView | None:
        authorize(session, actor, "pick")
        now = db_now(session)
        own = session.scalars(
            select(PickList)
            .where(PickList.status == "claimed", PickList.claimed_by_station == actor.station)
            .order_by(PickList.id)
            .limit(1)
            .with_for_update()
        ).first()
        if own is not None:
            own.lease_expires_at = now + lease
            record(session, actor, "pick_list", own.id, "resumed", details=_lease_details(own))
            return load_views(session, [own.id])[0]
        passed: list[int] = []
        while (candidate := _next_claimable(session, now, passed)) is not None:
            if _claim(session, actor, candidate, now, lease):
                return load_views(session, [candidate.id])[0]
            passed.append(candidate.id)
        return None

    return run_in_transaction(db, work)


def claim_pick_list(
    db: Database, actor: Actor, reference: str, *, lease_seconds: int = DEFAULT_LEASE_SECONDS
) -> PickListView:
    """Claim the list a picker scanned (P:PL-000001): open, lapsed, or already this
    station's. A list another station holds is refused with who holds it."""
    lease = _lease(lease_seconds)

    def work(session: Session) -> PickListView:
        authorize(session, actor, "pick")
        found = find_pick_list(session, reference)
        pick_list = session.get_one(
            PickList, found.id, with_for_update=True, populate_existing=True
        )
        now = db_now(session)
        if pick_list.status == "claimed" and pick_list.claimed_by_station == actor.station:
            pick_list.lease_expires_at = now + lease
            return load_views(session, [pick_list.id])[0]
        held = pick_list.status == "claimed" and (
            pick_list.lease_expires_at is None or pick_list.lease_expires_at >= now
        )
        if held:
            raise ConcurrencyConflict(
                f"{pick_list.number} is being picked at station {pick_list.claimed_by_station}"
            )
        if pick_list.status not in ("open", "claimed"):
            raise InvalidTransition(f"{pick_list.number} is {pick_list.status}")
        if not _claim(session, actor, pick_list, now, lease):
            raise InvalidTransition(f"{pick_list.number} has no order left to pick")
        return load_views(session, [pick_list.id])[0]

    return run_in_transaction(db, work)


def _next_claimable(session: Session, now: datetime, passed: Sequence[int]) -> PickList | None:
    stmt = select(PickList).where(
        or_(
            PickList.status == "open",
            and_(PickList.status == "claimed", PickList.lease_expires_at < now),
        )
    )
    if passed:
        stmt = stmt.where(PickList.id.not_in(passed))
    return session.scalars(
        stmt.order_by(PickList.id)
        .limit(1)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    ).first()


def _claim(
    session: Session, actor: Actor, pick_list: PickList, now: datetime, lease: timedelta
) -> bool:
    """Claim `pick_list` unless none of its orders waits to be picked (then close it)."""
    orders = lock_orders(session, pick_list.id)
    if not any(o.status in LIVE_ORDER_STATUSES for o in orders):
        if any(o.status == OrderStatus.ON_HOLD for o in orders):
            return False
        record(
            session,
            actor,
            "pick_list",
            pick_list.id,
            "cancelled",
            from_status=pick_list.status,
            to_status="cancelled",
            reason="none of its orders is waiting to be picked any more",
        )
        pick_list.status = "cancelled"
        pick_list.lease_expires_at = None
        return False
    lapsed = pick_list.status == "claimed"
    details = {"previous": _lease_details(pick_list)} if lapsed else {}
    pick_list.status = "claimed"
    pick_list.claimed_by_station = actor.station
    pick_list.claimed_by_user_id = actor.user_id
    pick_list.claimed_at = now
    pick_list.lease_expires_at = now + lease
    for order in orders:
        if order.status == OrderStatus.ALLOCATED:
            transition(
                session,
                order,
                OrderStatus.PICKING,
                actor,
                action="picking",
                details={"pick_list": pick_list.number},
            )
    record(
        session,
        actor,
        "pick_list",
        pick_list.id,
        "reclaimed" if lapsed else "claimed",
        to_status="claimed",
        details={**_lease_details(pick_list), **details},
    )
    return True


def _lease_details(pick_list: PickList) -> dict[str, object]:
    return {
        "station": pick_list.claimed_by_station,
        "claimed_at": pick_list.claimed_at.isoformat() if pick_list.claimed_at else None,
        "lease_expires_at": (
            pick_list.lease_expires_at.isoformat() if pick_list.lease_expires_at else None
        ),
    }


def renew_lease(
    db: Database, actor: Actor, pick_list_id: int, *, lease_seconds: int = DEFAULT_LEASE_SECONDS
) -> datetime:
    """Extend this station's claim; returns the new expiry."""
    lease = _lease(lease_seconds)

    def work(session: Session) -> datetime:
        pick_list = held(session, actor, pick_list_id)
        expires = db_now(session) + lease
        pick_list.lease_expires_at = expires
        return expires

    return run_in_transaction(db, work)


def release_pick_list(
    db: Database,
    actor: Actor,
    pick_list_id: int,
    *,
    reason: str = "given back by the picker",
    force: bool = False,
) -> PickListView:
    """Give a claimed list back (a supervisor may `force` another station's claim free).

    Its orders go back to allocated; units already picked stay recorded.
    """

    def work(session: Session) -> PickListView:
        authorize(session, actor, "pick")
        pick_list = lock_list(session, pick_list_id)
        if pick_list.status != "claimed":
            raise InvalidTransition(f"{pick_list.number} is {pick_list.status}, not claimed")
        problem = holder_problem(session, actor, pick_list)
        if problem and not force:
            raise ConcurrencyConflict(problem)
        for order in lock_orders(session, pick_list.id):
            if order.status == OrderStatus.PICKING:
                transition(
                    session,
                    order,
                    OrderStatus.ALLOCATED,
                    actor,
                    reason=reason,
                    action="pick list released",
                    details={"pick_list": pick_list.number},
                )
        record(
            session,
            actor,
            "pick_list",
            pick_list.id,
            "released",
            from_status="claimed",
            to_status="open",
            reason=reason,
            details=_lease_details(pick_list),
        )
        pick_list.status = "open"
        pick_list.claimed_by_station = pick_list.claimed_by_user_id = None
        pick_list.claimed_at = pick_list.lease_expires_at = None
        return load_views(session, [pick_list.id])[0]

    return run_in_transaction(db, work)


def complete_pick_list(db: Database, actor: Actor, pick_list_id: int) -> PickListView:
    """Close a fully picked list: its orders become picked.

    An order still being picked whose units are not all picked, and which has
    nothing left on this list (its stock was re-reserved elsewhere), goes back to
    allocated so that a new list picks the rest.
    """

    def work(session: Session) -> PickListView:
        authorize(session, actor, "pick")
        now = db_now(session)
        pick_list = held(session, actor, pick_list_id)
        orders = lock_orders(session, pick_list.id)
        view = load_views(session, [pick_list.id])[0]
        if not view.complete:
            raise ValidationFailed(
                f"{pick_list.number} is not fully picked",
                [
                    f"{t.location}: {t.sku} {t.picked} of {t.quantity} for {t.order_number}"
                    for t in view.tasks
                    if t.remaining
                ],
            )
        unpicked = dict(
            session.execute(
                select(OrderLine.order_id, func.sum(OrderLine.qty_allocated - OrderLine.qty_picked))
                .where(OrderLine.order_id.in_([o.id for o in orders]))
                .group_by(OrderLine.order_id)
            ).all()
        )
        for order in orders:
            if order.status != OrderStatus.PICKING:
                continue
            if unpicked.get(order.id, 0):
                transition(
                    session,
                    order,
                    OrderStatus.ALLOCATED,
                    actor,
                    reason="units reserved outside this pick list still need picking",
                    action="pick list released",
                    details={"pick_list": pick_list.number},
                )
            else:
                transition(
                    session,
                    order,
                    OrderStatus.PICKED,
                    actor,
                    action="picked",
                    details={"pick_list": pick_list.number},
                )
        record(
            session,
            actor,
            "pick_list",
            pick_list.id,
            "completed",
            from_status="claimed",
            to_status="done",
            details={"units": view.picked},
        )
        pick_list.status = "done"
        pick_list.done_at = now
        pick_list.lease_expires_at = None
        return replace(view, status="done", station=None, lease_expires_at=None)

    return run_in_transaction(db, work)
