"""Print jobs: every document to print is a row first, so a printer that is down loses
nothing - the job waits, with its error, until a reprint succeeds.

A shipment's label goes to the packing station's label printer, its packing slip (when
the channel wants one) to the station's document printer.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services.stations import station_devices
from db.bulk import insert_returning_ids
from db.models import Channel, Order, PrintJob


def queue_shipment_documents(
    session: Session, order_id: int, shipment_id: int, station: str, label_format: str
) -> tuple[int, ...]:
    """Queue the shipping label and, where the channel wants one, the packing slip."""
    devices = station_devices(session, station)
    wants_slip = session.scalar(
        select(Channel.packing_slip)
        .join(Order, Order.channel_id == Channel.id)
        .where(Order.id == order_id)
    )
    common = {
        "order_id": order_id,
        "shipment_id": shipment_id,
        "station": station,
        "status": "pending",
        "attempts": 0,
    }
    rows = [
        {**common, "document": "label", "format": label_format, "printer": devices.label_target}
    ]
    if wants_slip is not False:
        rows.append(
            {
                **common,
                "document": "packing_slip",
                "format": "pdf",
                "printer": devices.document_target,
            }
        )
    return tuple(insert_returning_ids(session, PrintJob, rows))
