"""Print jobs: every document to print is a row first, so a printer that is down
loses nothing - the job waits, with its error, until a reprint succeeds."""

from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.orm import Session

from db.base import table_of
from db.models import Order, PrintJob, Shipment

DEFAULT_PRINTER = "folder"


def queue_shipment_documents(
    session: Session, order: Order, shipment: Shipment, station: str, label_format: str
) -> tuple[int, ...]:
    """Queue the shipping label and the packing slip for `shipment`."""
    table = table_of(PrintJob)
    rows = [
        {
            "order_id": order.id,
            "document": "label",
            "format": label_format,
            "printer": DEFAULT_PRINTER,
            "station": station,
            "status": "pending",
            "attempts": 0,
        },
        {
            "order_id": order.id,
            "document": "packing_slip",
            "format": "pdf",
            "printer": DEFAULT_PRINTER,
            "station": station,
            "status": "pending",
            "attempts": 0,
        },
    ]
    ids = session.execute(
        insert(table).returning(table.c.id, sort_by_parameter_order=True), rows
    ).scalars()
    return tuple(ids)
