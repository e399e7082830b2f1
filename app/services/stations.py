"""Each station's devices (label printer, document printer, scale) and whether packing
there also dispatches, stored per station name in the database so the set-up survives
a reinstall and shows at the desk."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.context import Actor
from app.errors import ValidationFailed
from app.services.access import authorize
from app.services.audit import record
from app.services.printing import printer_for
from db.engine import Database
from db.models import Station
from db.uow import read, run_in_transaction

FALLBACK_PRINTER = "folder"


@dataclass(frozen=True)
class StationDevices:
    name: str
    label_printer: str  # "" = not chosen yet: documents go to the print folder
    document_printer: str
    scale: str
    dispatch_on_pack: bool = False  # the packer hands the parcel over: pack + ship at once

    @property
    def label_target(self) -> str:
        return self.label_printer or FALLBACK_PRINTER

    @property
    def document_target(self) -> str:
        return self.document_printer or self.label_printer or FALLBACK_PRINTER


def station_devices(session: Session, name: str) -> StationDevices:
    row = session.scalars(select(Station).where(Station.name == name)).first()
    if row is None:
        return StationDevices(name, "", "", "")
    return _devices(row)


def _devices(row: Station) -> StationDevices:
    return StationDevices(
        row.name, row.label_printer, row.document_printer, row.scale, row.dispatch_on_pack
    )


def load_station_devices(db: Database, name: str) -> StationDevices:
    return read(db, lambda session: station_devices(session, name))


def list_stations(db: Database) -> list[StationDevices]:
    def work(session: Session) -> list[StationDevices]:
        rows = session.scalars(select(Station).order_by(Station.name))
        return [_devices(row) for row in rows]

    return read(db, work)


def save_station_devices(db: Database, actor: Actor, devices: StationDevices) -> StationDevices:
    """Check every printer spec (the printer itself may be off: that is not an error)."""
    problems = []
    printers = (
        ("label printer", devices.label_printer),
        ("document printer", devices.document_printer),
    )
    for what, spec in printers:
        if spec:
            try:
                printer_for(spec)
            except ValidationFailed as exc:
                problems.append(f"{what}: {exc}")
    if not devices.name.strip() or len(devices.name) > 64:
        problems.append("the station needs a name of 1 to 64 characters")
    if len(devices.scale) > 200:
        problems.append("scale: at most 200 characters")
    if problems:
        raise ValidationFailed("station devices refused, nothing saved", problems)

    def work(session: Session) -> StationDevices:
        authorize(session, actor, "station.configure")
        row = session.scalars(select(Station).where(Station.name == devices.name)).first()
        if row is None:
            row = Station(name=devices.name)
            session.add(row)
        row.label_printer, row.document_printer = devices.label_printer, devices.document_printer
        row.scale, row.dispatch_on_pack = devices.scale, devices.dispatch_on_pack
        session.flush()
        record(
            session,
            actor,
            "station",
            row.id,
            "devices_changed",
            details={
                "label_printer": devices.label_printer,
                "document_printer": devices.document_printer,
                "scale": devices.scale,
                "dispatch_on_pack": devices.dispatch_on_pack,
            },
        )
        return devices

    return run_in_transaction(db, work)
