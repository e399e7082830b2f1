"""What a station still needs before it can pack: each missing piece in one sentence
that says where to set it. Nothing the station needs falls back to a made-up value."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.domain.site_settings import SPECS, missing_sender_fields
from app.errors import ValidationFailed
from app.services.settings import effective_settings
from db.engine import Database
from db.models import BoxType, Carrier, CarrierService
from db.uow import read


class SetupIncomplete(ValidationFailed):
    """The site lacks set-up a station needs; `problems` says what and where."""


def packing_problems(session: Session) -> list[str]:
    values = effective_settings(session)
    missing = missing_sender_fields(values)
    problems = []
    if missing:
        labels = ", ".join(SPECS[key].label.split(": ")[-1].lower() for key in missing)
        problems.append(
            f"The sender address lacks {labels}: Settings > Company "
            f"(or `settings set {missing[0]} VALUE`)"
        )
    if not values["gs1.company_prefix"]:
        problems.append(
            "No GS1 company prefix for the SSCC on labels: Settings > Labels and GS1 "
            "(or `settings set gs1.company_prefix 1234567`)"
        )
    if not session.scalar(select(func.count()).select_from(BoxType).where(BoxType.active)):
        problems.append("No box types: Settings > Boxes (or `import-boxes FILE`)")
    services = session.scalar(
        select(func.count())
        .select_from(CarrierService)
        .join(Carrier, Carrier.id == CarrierService.carrier_id)
        .where(Carrier.active)
    )
    if not services:
        problems.append(
            "No carrier with a service: Settings > Carriers (or `settings import FILE`)"
        )
    return problems


def require_ready_to_pack(session: Session) -> None:
    problems = packing_problems(session)
    if problems:
        raise SetupIncomplete("this site is not set up for packing yet", problems)


def station_setup_problems(db: Database) -> list[str]:
    return read(db, packing_problems)
