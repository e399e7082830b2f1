"""Box types, carriers with their services, and channels' branding: checked rows, upserted
by code, all-or-nothing. Each row names where it came from (file:line) in its errors."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.site_settings import check_setting
from app.domain.tracking_numbers import TrackingScheme, validate_scheme_fields
from app.errors import NotFound, ValidationFailed
from app.services.access import authorize
from app.services.audit import record
from app.services.settings import RISK_PREFIX
from db.engine import Database
from db.models import BoxType, Carrier, CarrierService, Channel
from db.uow import read, run_in_transaction

CODE_LIMIT = 32
MAX_MM = 10_000
MAX_G = 10_000_000
MAX_SERIAL = 10**18  # the range columns are 64-bit
# The layouts app/documents can draw; a carrier with its own label spec adds one here.
LABEL_LAYOUTS = ("standard",)


@dataclass(frozen=True)
class BoxInput:
    code: str
    name: str
    length_mm: int
    width_mm: int
    height_mm: int
    tare_g: int = 0
    max_weight_g: int | None = None
    where: str = ""  # file:line, for messages


@dataclass(frozen=True)
class ServiceInput:
    code: str
    name: str
    service_level: str = "standard"
    is_default: bool = False


@dataclass(frozen=True)
class CarrierInput:
    code: str
    name: str
    tracking_scheme: str
    range_start: int
    range_end: int
    tracking_prefix: str = ""
    tracking_suffix: str = ""
    tracking_width: int = 8
    tracking_url: str = ""
    label_layout: str = "standard"
    services: tuple[ServiceInput, ...] = field(default_factory=tuple)
    where: str = ""


@dataclass(frozen=True)
class ChannelBranding:
    code: str
    name: str | None = None
    sender_name: str | None = None
    sender_email: str | None = None
    packing_slip: bool | None = None
    safety_buffer: int | None = None
    risk_overrides: Mapping[str, str] | None = None
    where: str = ""


def _at(where: str, code: str) -> str:
    return f"{where}: {code}" if where else code


def box_problems(boxes: Sequence[BoxInput]) -> list[str]:
    problems: list[str] = []
    seen: dict[str, str] = {}
    for box in boxes:
        at = _at(box.where, box.code or "(no code)")
        if not box.code or len(box.code) > CODE_LIMIT or not box.code.isprintable():
            problems.append(f"{at}: code must be 1 to {CODE_LIMIT} printable characters")
        if box.code.upper() in seen:
            problems.append(f"{at}: box code used twice (first at {seen[box.code.upper()]})")
        seen.setdefault(box.code.upper(), box.where or "above")
        if not box.name.strip():
            problems.append(f"{at}: name is empty")
        for name in ("length_mm", "width_mm", "height_mm"):
            size = getattr(box, name)
            if not 0 < size <= MAX_MM:
                problems.append(f"{at}: {name} must be from 1 to {MAX_MM} mm (got {size})")
        if not 0 <= box.tare_g <= MAX_G:
            problems.append(f"{at}: tare_g must be from 0 to {MAX_G} g (got {box.tare_g})")
        if box.max_weight_g is not None and not box.tare_g < box.max_weight_g <= MAX_G:
            problems.append(
                f"{at}: max_weight_g must be above the tare and at most {MAX_G} g "
                f"(got {box.max_weight_g})"
            )
    return problems


def upsert_boxes(session: Session, actor: Actor, boxes: Sequence[BoxInput]) -> int:
    authorize(session, actor, "catalogue.edit")
    problems = box_problems(boxes)
    if problems:
        raise ValidationFailed(
            f"{len(problems)} problem(s) in the box types, nothing saved", problems
        )
    existing = {b.code: b for b in session.scalars(select(BoxType))}
    for box in boxes:
        row = existing.get(box.code.upper()) or BoxType(code=box.code.upper())
        row.name, row.length_mm, row.width_mm = box.name.strip(), box.length_mm, box.width_mm
        row.height_mm, row.tare_g, row.max_weight_g = box.height_mm, box.tare_g, box.max_weight_g
        row.active = True
        session.add(row)
    record(session, actor, "box_types", 0, "boxes_imported", details={"count": len(boxes)})
    return len(boxes)


def import_boxes(db: Database, actor: Actor, boxes: Sequence[BoxInput]) -> int:
    return run_in_transaction(db, lambda session: upsert_boxes(session, actor, boxes))


@dataclass(frozen=True)
class BoxRecord:
    """A stored box type; an inactive one is no longer offered to packers."""

    box: BoxInput
    active: bool


def list_boxes(db: Database) -> list[BoxRecord]:
    """Every box type, active ones first, each group by code."""

    def work(session: Session) -> list[BoxRecord]:
        rows = session.scalars(select(BoxType).order_by(BoxType.active.desc(), BoxType.code))
        return [
            BoxRecord(
                BoxInput(
                    b.code, b.name, b.length_mm, b.width_mm, b.height_mm, b.tare_g, b.max_weight_g
                ),
                b.active,
            )
            for b in rows
        ]

    return read(db, work)


def deactivate_box(db: Database, actor: Actor, code: str) -> str:
    """Stop offering box type `code` to packers (saving it again brings it back)."""

    def work(session: Session) -> str:
        authorize(session, actor, "catalogue.edit")
        box = session.scalars(select(BoxType).where(BoxType.code == code.upper())).first()
        if box is None:
            raise NotFound(f"no box type {code!r}")
        box.active = False
        record(session, actor, "box_types", box.id, "box_deactivated", details={"code": box.code})
        return box.code

    return run_in_transaction(db, work)


def carrier_problems(carriers: Sequence[CarrierInput]) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for carrier in carriers:
        at = _at(carrier.where, carrier.code or "(no code)")
        if not carrier.code or len(carrier.code) > CODE_LIMIT or not carrier.code.isprintable():
            problems.append(f"{at}: code must be 1 to {CODE_LIMIT} printable characters")
        if carrier.code in seen:
            problems.append(f"{at}: carrier code used twice")
        seen.add(carrier.code)
        if not carrier.name.strip():
            problems.append(f"{at}: name is empty")
        if carrier.tracking_scheme not in {s.value for s in TrackingScheme}:
            schemes = ", ".join(s.value for s in TrackingScheme)
            problems.append(
                f"{at}: tracking scheme {carrier.tracking_scheme!r} unknown (use {schemes})"
            )
        else:
            problems += [
                f"{at}: {p}"
                for p in validate_scheme_fields(
                    TrackingScheme(carrier.tracking_scheme),
                    carrier.tracking_prefix,
                    carrier.tracking_suffix,
                    carrier.tracking_width,
                    carrier.range_start,
                    carrier.range_end,
                )
            ]
        if carrier.range_end >= MAX_SERIAL:
            problems.append(f"{at}: the range end must be below {MAX_SERIAL}")
        if carrier.tracking_url and "{tracking}" not in carrier.tracking_url:
            problems.append(f"{at}: tracking URL must contain {{tracking}}")
        if carrier.label_layout not in LABEL_LAYOUTS:
            known = ", ".join(LABEL_LAYOUTS)
            problems.append(f"{at}: label layout {carrier.label_layout!r} unknown (use {known})")
        if not carrier.services:
            problems.append(f"{at}: needs at least one service")
        codes = [s.code for s in carrier.services]
        if len(set(codes)) != len(codes):
            problems.append(f"{at}: a service code is used twice")
        if any(not s.code or not s.name.strip() for s in carrier.services):
            problems.append(f"{at}: every service needs a code and a name")
    if carriers and sum(s.is_default for c in carriers for s in c.services) > 1:
        problems.append("only one service may be the default")
    return problems


def upsert_carriers(session: Session, actor: Actor, carriers: Sequence[CarrierInput]) -> int:
    """Create or update carriers by code. A range already partly used keeps its place:
    next_value never moves back, so no tracking number is handed out twice."""
    authorize(session, actor, "catalogue.edit")
    existing = {c.code: c for c in session.scalars(select(Carrier))}
    problems = carrier_problems(carriers) + _used_range_problems(existing, carriers)
    if problems:
        raise ValidationFailed(
            f"{len(problems)} problem(s) in the carriers, nothing saved", problems
        )
    if any(s.is_default for c in carriers for s in c.services):
        for service in session.scalars(select(CarrierService).where(CarrierService.is_default)):
            service.is_default = False
    for given in carriers:
        row = existing.get(given.code)
        if row is None:
            row = Carrier(code=given.code, next_value=given.range_start)
            session.add(row)
        row.name, row.tracking_scheme = given.name.strip(), given.tracking_scheme
        row.tracking_prefix, row.tracking_suffix = given.tracking_prefix, given.tracking_suffix
        row.tracking_width, row.tracking_url = given.tracking_width, given.tracking_url
        row.label_layout, row.active = given.label_layout, True
        row.range_start, row.range_end = given.range_start, given.range_end
        row.next_value = max(row.next_value, given.range_start)
        services = {s.code: s for s in row.services}
        for wanted in given.services:
            target = services.get(wanted.code) or CarrierService(code=wanted.code)
            target.name, target.service_level = wanted.name.strip(), wanted.service_level
            target.is_default = wanted.is_default
            if target not in row.services:
                row.services.append(target)
    session.flush()
    record(session, actor, "carriers", 0, "carriers_saved", details={"count": len(carriers)})
    return len(carriers)


def _used_range_problems(
    existing: Mapping[str, Carrier], carriers: Sequence[CarrierInput]
) -> list[str]:
    """A new or changed range must leave numbers after those already handed out."""
    problems = []
    for given in carriers:
        row = existing.get(given.code)
        if row is None or (row.range_start, row.range_end) == (given.range_start, given.range_end):
            continue
        if given.range_end < row.next_value:
            problems.append(
                f"{_at(given.where, given.code)}: the range {given.range_start}-{given.range_end}"
                f" has no numbers left, {row.next_value - 1} is already used"
                " - ask the carrier for a new range"
            )
    return problems


def save_carriers(db: Database, actor: Actor, carriers: Sequence[CarrierInput]) -> int:
    return run_in_transaction(db, lambda session: upsert_carriers(session, actor, carriers))


@dataclass(frozen=True)
class CarrierRecord:
    """A stored carrier and where its tracking range stands."""

    carrier: CarrierInput
    next_value: int

    @property
    def numbers_left(self) -> int:
        return max(self.carrier.range_end - self.next_value + 1, 0)


def list_carriers(db: Database) -> list[CarrierRecord]:
    """The active carriers with their services, in the order they were set up."""

    def work(session: Session) -> list[CarrierRecord]:
        rows = session.scalars(select(Carrier).where(Carrier.active).order_by(Carrier.id))
        return [CarrierRecord(_carrier_input(c), c.next_value) for c in rows]

    return read(db, work)


def update_channels(session: Session, actor: Actor, brandings: Sequence[ChannelBranding]) -> int:
    authorize(session, actor, "catalogue.edit")
    problems = []
    channels = {c.code: c for c in session.scalars(select(Channel))}
    overrides: dict[str, dict[str, str]] = {}
    for given in brandings:
        if given.safety_buffer is not None and not 0 <= given.safety_buffer <= 1_000_000:
            problems.append(f"{_at(given.where, given.code)}: safety buffer must be 0 or more")
        if given.sender_email and "@" not in given.sender_email:
            problems.append(f"{_at(given.where, given.code)}: sender e-mail has no @")
        overrides[given.code] = {}
        for name, value in (given.risk_overrides or {}).items():
            try:
                overrides[given.code][name] = check_setting(RISK_PREFIX + name, value)
            except ValueError as exc:
                problems.append(f"{_at(given.where, given.code)}: risk override {exc}")
    if problems:
        raise ValidationFailed("channels refused, nothing saved", problems)
    for given in brandings:
        row = channels.get(given.code) or Channel(code=given.code, name=given.code, kind="manual")
        session.add(row)
        updates: dict[str, Any] = {
            "name": given.name,
            "sender_name": given.sender_name,
            "sender_email": given.sender_email,
            "packing_slip": given.packing_slip,
            "safety_buffer": given.safety_buffer,
            # None leaves the overrides as they are; an empty mapping clears them.
            "risk_overrides": overrides[given.code] if given.risk_overrides is not None else None,
        }
        for name, value in updates.items():
            if value is not None:
                setattr(row, name, value)
    record(session, actor, "channels", 0, "channels_saved", details={"count": len(brandings)})
    return len(brandings)


def save_channels(db: Database, actor: Actor, brandings: Sequence[ChannelBranding]) -> int:
    return run_in_transaction(db, lambda session: update_channels(session, actor, brandings))


@dataclass(frozen=True)
class MasterData:
    boxes: list[BoxInput]
    carriers: list[CarrierInput]
    channels: list[ChannelBranding]


def master_data(session: Session) -> MasterData:
    boxes = [
        BoxInput(b.code, b.name, b.length_mm, b.width_mm, b.height_mm, b.tare_g, b.max_weight_g)
        for b in session.scalars(select(BoxType).where(BoxType.active).order_by(BoxType.id))
    ]
    carriers = [
        _carrier_input(c)
        for c in session.scalars(select(Carrier).where(Carrier.active).order_by(Carrier.id))
    ]
    channels = [
        ChannelBranding(
            c.code,
            c.name,
            c.sender_name,
            c.sender_email,
            c.packing_slip,
            c.safety_buffer,
            c.risk_overrides,
        )
        for c in session.scalars(select(Channel).order_by(Channel.id))
    ]
    return MasterData(boxes, carriers, channels)


def _carrier_input(c: Carrier) -> CarrierInput:
    return CarrierInput(
        c.code,
        c.name,
        c.tracking_scheme,
        c.range_start,
        c.range_end,
        c.tracking_prefix,
        c.tracking_suffix,
        c.tracking_width,
        c.tracking_url,
        c.label_layout,
        tuple(ServiceInput(s.code, s.name, s.service_level, s.is_default) for s in c.services),
    )


def load_master_data(db: Database) -> MasterData:
    return read(db, master_data)
