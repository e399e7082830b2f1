"""Carrier tracking events: recorded on the shipment, shown on the order's timeline;
"delivered" marks the shipment delivered, the order too once all its shipments are,
and queues the customer's "delivered" e-mail in the same transaction.

Idempotent: an event already recorded (same shipment, event, time and location) is
skipped, so importing the same file twice changes nothing. All or nothing: a file
naming an unknown tracking number, or delivering a parcel that never left, is
refused whole.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.order_workflow import OrderStatus
from app.errors import ValidationFailed
from app.imports.tracking import CarrierEvent
from app.services.access import authorize
from app.services.audit import record, transition
from app.services.customer_updates import queue_delivered_messages
from app.services.settings import site_zone
from db.engine import Database
from db.models import Order, Shipment, TrackingEvent
from db.uow import run_in_transaction

CARRIER_EVENT = "carrier event"


@dataclass
class TrackingImport:
    recorded: int = 0
    already_known: int = 0
    delivered_shipments: list[str] = field(default_factory=list)  # tracking numbers
    delivered_orders: list[str] = field(default_factory=list)  # order numbers


def import_tracking(
    db: Database, actor: Actor, events: Sequence[CarrierEvent], *, source: str
) -> TrackingImport:
    return run_in_transaction(db, lambda s: record_events(s, actor, events, source=source))


def _shipments(session: Session, events: Sequence[CarrierEvent]) -> dict[str, Shipment]:
    """The shipments named, locked in id order; ValidationFailed names unknown numbers."""
    numbers = sorted({e.tracking_number for e in events})
    found: dict[str, Shipment] = {}
    for start in range(0, len(numbers), 1000):
        chunk = numbers[start : start + 1000]
        for shipment in session.scalars(
            select(Shipment)
            .where(func.upper(Shipment.tracking_number).in_(chunk))
            .order_by(Shipment.id)
            .with_for_update()
        ):
            found[(shipment.tracking_number or "").upper()] = shipment
    problems = [
        f"{e.where}: tracking_number: no shipment has tracking number {e.tracking_number}"
        for e in events
        if e.tracking_number not in found
    ]
    problems += [
        f"{e.where}: event: {e.tracking_number} cannot be delivered: it has not been shipped"
        for e in events
        if e.tracking_number in found
        and e.is_delivery
        and found[e.tracking_number].status == "packed"
    ]
    if problems:
        raise ValidationFailed(f"{len(problems)} problem(s); nothing imported", problems)
    return found


def record_events(
    session: Session, actor: Actor, events: Sequence[CarrierEvent], *, source: str
) -> TrackingImport:
    authorize(session, actor, "tracking.import")
    shipments = _shipments(session, events)
    zone = site_zone(session)
    known = {
        (row.shipment_id, row.event, row.occurred_at, row.location)
        for row in session.scalars(
            select(TrackingEvent).where(
                TrackingEvent.shipment_id.in_([s.id for s in shipments.values()])
            )
        )
    }
    result = TrackingImport()
    delivered: dict[int, list[Shipment]] = defaultdict(list)
    deliveries: list[tuple[Shipment, datetime, str]] = []
    for event in sorted(events, key=lambda e: e.occurred_at):
        shipment = shipments[event.tracking_number]
        key = (shipment.id, event.event, event.occurred_at, event.location)
        if key in known:
            result.already_known += 1
            continue
        known.add(key)
        session.add(
            TrackingEvent(
                shipment_id=shipment.id,
                event=event.event,
                occurred_at=event.occurred_at,
                location=event.location,
            )
        )
        when = event.occurred_at.astimezone(zone).strftime("%d %b %Y %H:%M")
        record(
            session,
            actor,
            "order",
            shipment.order_id,
            CARRIER_EVENT,
            reason=f"{shipment.tracking_number}: {event.event}"
            + (f" at {event.location}" if event.location else "")
            + f", {when}",
            details={"source": source, "tracking_number": shipment.tracking_number},
        )
        result.recorded += 1
        if event.is_delivery and shipment.status != "delivered":
            shipment.status = "delivered"
            shipment.delivered_at = event.occurred_at
            deliveries.append((shipment, event.occurred_at, event.location))
            delivered[shipment.order_id].append(shipment)
            result.delivered_shipments.append(shipment.tracking_number or "")
    queue_delivered_messages(session, deliveries, actor)
    session.flush()
    for order_id in sorted(delivered):
        number = _deliver_order_if_complete(session, order_id, actor)
        if number:
            result.delivered_orders.append(number)
    return result


def _deliver_order_if_complete(session: Session, order_id: int, actor: Actor) -> str | None:
    order = session.get(Order, order_id, with_for_update=True)
    assert order is not None
    if order.status != OrderStatus.SHIPPED:
        return None
    waiting = session.scalar(
        select(func.count())
        .select_from(Shipment)
        .where(Shipment.order_id == order_id, Shipment.status != "delivered")
    )
    if waiting:
        return None
    transition(session, order, OrderStatus.DELIVERED, actor, reason="carrier reports delivery")
    return order.number
