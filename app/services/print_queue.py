"""Print jobs: every document to print is a row first, so a printer that is down
loses nothing - the job waits, with its error, until a reprint succeeds."""

from __future__ import annotations

from sqlalchemy.orm import Session

from db.bulk import insert_returning_ids
from db.models import PrintJob

DEFAULT_PRINTER = "folder"


def queue_shipment_documents(
    session: Session, order_id: int, shipment_id: int, station: str, label_format: str
) -> tuple[int, ...]:
    """Queue the shipping label and the packing slip for a shipment."""
    common = {
        "order_id": order_id,
        "shipment_id": shipment_id,
        "printer": DEFAULT_PRINTER,
        "station": station,
        "status": "pending",
        "attempts": 0,
    }
    rows = [
        {**common, "document": "label", "format": label_format},
        {**common, "document": "packing_slip", "format": "pdf"},
    ]
    return tuple(insert_returning_ids(session, PrintJob, rows))
