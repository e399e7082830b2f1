"""Print jobs: every document to print is a row first, so a printer that is down loses
nothing - the job waits, with its error, until a reprint succeeds.

A shipment's label goes to the packing station's label printer, its packing slip (when
the channel wants one) to the station's document printer.
"""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from app.services.stations import StationDevices
from db.base import table_of
from db.bulk import insert_returning_ids
from db.models import Channel, Order, PrintJob, Station

_ORDERS, _CHANNELS, _STATIONS = table_of(Order), table_of(Channel), table_of(Station)
# Built once: this runs for every parcel.
_WHERE_TO = (
    select(
        _CHANNELS.c.packing_slip,
        _STATIONS.c.label_printer,
        _STATIONS.c.document_printer,
        _STATIONS.c.scale,
    )
    .select_from(_ORDERS)
    .join(_CHANNELS, _CHANNELS.c.id == _ORDERS.c.channel_id)
    .outerjoin(_STATIONS, _STATIONS.c.name == bindparam("station"))
    .where(_ORDERS.c.id == bindparam("order_id"))
)


def queue_shipment_documents(
    session: Session, order_id: int, shipment_id: int, station: str, label_format: str
) -> tuple[int, ...]:
    """Queue the shipping label and, where the channel wants one, the packing slip."""
    wants_slip, label, document, scale = (
        session.connection().execute(_WHERE_TO, {"station": station, "order_id": order_id}).one()
    )
    devices = StationDevices(station, label or "", document or "", scale or "")
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
    if wants_slip:
        rows.append(
            {
                **common,
                "document": "packing_slip",
                "format": "pdf",
                "printer": devices.document_target,
            }
        )
    return tuple(insert_returning_ids(session, PrintJob, rows))
