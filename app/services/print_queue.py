"""Print jobs: every document to print is a row first, so a printer that is down loses
nothing - the job waits, with its error, until a reprint succeeds.

A shipment's label goes to the packing station's label printer, its packing slip (when
the channel wants one) to the station's document printer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row, Select, bindparam, insert
from sqlalchemy.orm import Session

from app.services.stations import StationDevices
from db.base import table_of
from db.models import Channel, Order, PrintJob, Station

_ORDERS, _CHANNELS, _STATIONS = table_of(Order), table_of(Channel), table_of(Station)
_JOBS = table_of(PrintJob)
# Built once: these run for every parcel.
_DESTINATION_COLUMNS = (
    _CHANNELS.c.packing_slip,
    _STATIONS.c.label_printer,
    _STATIONS.c.document_printer,
    _STATIONS.c.scale,
)
_QUEUE = insert(_JOBS).returning(_JOBS.c.id, _JOBS.c.document)


def with_destinations(query: Select[Any]) -> Select[Any]:
    """`query` over orders, also reading where its shipment documents print at the station
    the `station` parameter names: the last columns, for `Destinations.of`."""
    return (
        query.add_columns(*_DESTINATION_COLUMNS)
        .join(_CHANNELS, _CHANNELS.c.id == _ORDERS.c.channel_id)
        .outerjoin(_STATIONS, _STATIONS.c.name == bindparam("station"))
    )


@dataclass(frozen=True)
class Destinations:
    """Whether the order's channel wants a packing slip, and the station's printers."""

    wants_slip: bool
    devices: StationDevices

    @classmethod
    def of(cls, row: Row[Any], station: str) -> Destinations:
        """From a row read through `with_destinations`."""
        wants_slip, label, document, scale = row[-len(_DESTINATION_COLUMNS) :]
        return cls(
            bool(wants_slip), StationDevices(station, label or "", document or "", scale or "")
        )


def queue_shipment_documents(
    session: Session, order_id: int, shipment_id: int, where: Destinations, label_format: str
) -> tuple[int, ...]:
    """Queue the shipping label and, where the channel wants one, the packing slip, in one
    INSERT; their job ids, the label's first."""
    devices = where.devices
    common = {
        "order_id": order_id,
        "shipment_id": shipment_id,
        "station": devices.name,
        "status": "pending",
        "attempts": 0,
    }
    rows = [
        {**common, "document": "label", "format": label_format, "printer": devices.label_target}
    ]
    if where.wants_slip:
        rows.append(
            {
                **common,
                "document": "packing_slip",
                "format": "pdf",
                "printer": devices.document_target,
            }
        )
    ids = dict(
        (document, job_id) for job_id, document in session.connection().execute(_QUEUE, rows)
    )
    return tuple(ids[row["document"]] for row in rows)
