"""A whole site's set-up in one piece: settings, box types, carriers, channel branding.
Imported all-or-nothing in one transaction; exported from what is stored."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.context import Actor
from app.errors import ValidationFailed
from app.services.master_data import (
    MasterData,
    master_data,
    update_channels,
    upsert_boxes,
    upsert_carriers,
)
from app.services.settings import apply_settings, checked_values, shareable_settings
from db.engine import Database
from db.uow import read, run_in_transaction


@dataclass(frozen=True)
class SiteImport:
    settings_changed: int
    boxes: int
    carriers: int
    channels: int


def export_site(db: Database) -> tuple[dict[str, str], MasterData]:
    return read(db, lambda session: (shareable_settings(session), master_data(session)))


def import_site(
    db: Database, actor: Actor, settings: dict[str, str], master: MasterData, *, source: str
) -> SiteImport:
    try:
        values = checked_values(settings)
    except ValidationFailed as exc:
        raise ValidationFailed(
            f"{source}: {exc}", [f"{source}: settings.{p}" for p in exc.problems]
        ) from None

    def work(session: Session) -> SiteImport:
        changed = apply_settings(session, actor, values)
        boxes = upsert_boxes(session, actor, master.boxes) if master.boxes else 0
        carriers = upsert_carriers(session, actor, master.carriers) if master.carriers else 0
        channels = update_channels(session, actor, master.channels) if master.channels else 0
        return SiteImport(len(changed), boxes, carriers, channels)

    return run_in_transaction(db, work)
