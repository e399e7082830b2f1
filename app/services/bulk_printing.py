"""Print the shipping label or the packing slip of many orders at once, from the desk.

A label exists only once an order is packed: printing it again queues a job for its
shipment's label. A slip can be printed from allocation on: for a packed order it is
its shipment's, before packing the order's own (the units reserved for it). Jobs go to
the desk's own station printers; each is queued once, then sent like any print job, so
one that fails waits in Print jobs with its error.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.order_workflow import OrderStatus
from app.services.printing import PrintOutcome, label_format_for, print_job
from app.services.settings import setting_value
from app.services.stations import station_devices
from db.bulk import insert_returning_ids
from db.engine import Database
from db.models import Order, PrintJob, Shipment
from db.uow import run_in_transaction

S = OrderStatus
LABEL, SLIP = "label", "packing_slip"
# What a document can be printed for, by the order's status.
PRINTABLE: dict[str, frozenset[str]] = {
    LABEL: frozenset({S.PACKED}),
    SLIP: frozenset(
        {S.ALLOCATED, S.PICKING, S.PICKED, S.PACKED, S.PARTIALLY_SHIPPED, S.SHIPPED, S.DELIVERED}
    ),
}


@dataclass(frozen=True)
class Target:
    printer: str
    format: str


def target(session: Session, actor: Actor, document: str) -> Target:
    """Where and how `document` prints at the actor's station."""
    devices = station_devices(session, actor.station)
    if document == LABEL:
        printer = devices.label_target
        fmt = label_format_for(printer) or setting_value(session, "label.format") or "pdf"
        return Target(printer, fmt)
    return Target(devices.document_target, "pdf")


def latest_shipments(session: Session, order_ids: Collection[int]) -> dict[int, int]:
    """order id -> its latest shipment that was not voided (orders without one left out)."""
    rows = session.execute(
        select(Shipment.order_id, func.max(Shipment.id))
        .where(Shipment.order_id.in_(list(order_ids)), Shipment.status != "voided")
        .group_by(Shipment.order_id)
    )
    return {order_id: shipment_id for order_id, shipment_id in rows}


def queue_documents(
    db: Database, actor: Actor, document: str, order_ids: Collection[int]
) -> dict[str, int]:
    """One print job of `document` per order that can have one now: number -> job id."""

    def work(session: Session) -> dict[str, int]:
        where = target(session, actor, document)
        rows: list[tuple[int, str]] = [
            (order_id, number)
            for order_id, number in session.execute(
                select(Order.id, Order.number)
                .where(Order.id.in_(list(order_ids)), Order.status.in_(PRINTABLE[document]))
                .order_by(Order.id)
            )
        ]
        shipments = latest_shipments(session, [order_id for order_id, _ in rows])
        if document == LABEL:  # a label is its shipment's: no shipment, nothing to print
            rows = [(order_id, number) for order_id, number in rows if order_id in shipments]
        jobs = [
            {
                "order_id": order_id,
                "shipment_id": shipments.get(order_id),
                "document": document,
                "format": where.format,
                "printer": where.printer,
                "station": actor.station,
                "status": "pending",
                "attempts": 0,
            }
            for order_id, _ in rows
        ]
        ids = insert_returning_ids(session, PrintJob, jobs) if jobs else []
        return {number: job_id for (_, number), job_id in zip(rows, ids, strict=True)}

    return run_in_transaction(db, work)


def print_documents(
    db: Database, actor: Actor, document: str, order_ids: Collection[int]
) -> Mapping[str, PrintOutcome]:
    """Queue, then send, one `document` per order: number -> how its print went."""
    queued = queue_documents(db, actor, document, order_ids)
    return {number: print_job(db, job_id) for number, job_id in queued.items()}
