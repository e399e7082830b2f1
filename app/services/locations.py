"""Warehouses and their locations, imported or generated; re-importing updates kind and
pick sequence in place, so a file can be corrected and loaded again."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.context import Actor
from app.errors import ValidationFailed
from app.services.access import authorize
from app.services.audit import record
from app.services.inventory import default_warehouse
from app.services.orders import like_pattern
from db.engine import Database
from db.models import LOCATION_KINDS, Location, Warehouse
from db.uow import read, run_in_transaction

WAREHOUSE_CODE = re.compile(r"[A-Z0-9_-]{1,16}")
KINDS: tuple[str, ...] = LOCATION_KINDS  # pick, bulk, receiving, ... for the screens


@dataclass(frozen=True)
class LocationInput:
    code: str
    kind: str
    pick_sequence: int
    warehouse: str | None  # warehouse code; None = the first warehouse
    where: str = ""


@dataclass(frozen=True)
class LocationImport:
    created: int
    updated: int
    warehouses_created: tuple[str, ...]


def location_problems(locations: Sequence[LocationInput]) -> list[str]:
    problems = []
    seen: dict[tuple[str | None, str], str] = {}
    for loc in locations:
        at = f"{loc.where}: {loc.code}" if loc.where else loc.code
        if not loc.code or len(loc.code) > 32 or not loc.code.isprintable():
            problems.append(f"{at}: code must be 1 to 32 printable characters")
        if loc.kind not in LOCATION_KINDS:
            problems.append(f"{at}: kind {loc.kind!r} unknown (use {', '.join(LOCATION_KINDS)})")
        key = (loc.warehouse, loc.code)
        if key in seen:
            problems.append(f"{at}: location code used twice (also at {seen[key]})")
        seen.setdefault(key, loc.where or "above")
        if not 0 <= loc.pick_sequence <= 10**9:
            problems.append(f"{at}: pick sequence must be from 0 to 1000000000")
    return problems


def import_locations(
    db: Database, actor: Actor, locations: Sequence[LocationInput]
) -> LocationImport:
    problems = location_problems(locations)
    if problems:
        raise ValidationFailed(f"{len(problems)} problem(s); nothing imported", problems)

    def work(session: Session) -> LocationImport:
        authorize(session, actor, "catalogue.edit")
        houses = {w.code: w for w in session.scalars(select(Warehouse))}
        created_houses = []
        for code in sorted({loc.warehouse for loc in locations if loc.warehouse} - houses.keys()):
            houses[code] = Warehouse(code=code, name=code)
            session.add(houses[code])
            created_houses.append(code)
        fallback = (
            default_warehouse(session) if any(not loc.warehouse for loc in locations) else None
        )
        session.flush()
        existing = {(row.warehouse_id, row.code): row for row in session.scalars(select(Location))}
        created = updated = 0
        for loc in locations:
            house = houses[loc.warehouse] if loc.warehouse else fallback
            assert house is not None
            row = existing.get((house.id, loc.code))
            if row is None:
                session.add(
                    Location(
                        warehouse_id=house.id,
                        code=loc.code,
                        kind=loc.kind,
                        pick_sequence=loc.pick_sequence,
                    )
                )
                created += 1
            else:
                row.kind, row.pick_sequence, row.active = loc.kind, loc.pick_sequence, True
                updated += 1
        record(
            session,
            actor,
            "locations",
            0,
            "locations_imported",
            details={"created": created, "updated": updated},
        )
        return LocationImport(created, updated, tuple(created_houses))

    return run_in_transaction(db, work)


@dataclass(frozen=True)
class WarehouseView:
    code: str
    name: str
    locations: int  # active locations


def list_warehouses(db: Database) -> list[WarehouseView]:
    def work(session: Session) -> list[WarehouseView]:
        counts = (
            select(Location.warehouse_id, func.count().label("n"))
            .where(Location.active)
            .group_by(Location.warehouse_id)
            .subquery()
        )
        rows = session.execute(
            select(Warehouse.code, Warehouse.name, func.coalesce(counts.c.n, 0))
            .outerjoin(counts, counts.c.warehouse_id == Warehouse.id)
            .order_by(Warehouse.id)
        )
        return [WarehouseView(code, name, n) for code, name, n in rows]

    return read(db, work)


def save_warehouse(db: Database, actor: Actor, code: str, name: str) -> WarehouseView:
    """Create warehouse `code`, or rename it."""
    code, name = code.strip().upper(), name.strip()
    problems = []
    if not WAREHOUSE_CODE.fullmatch(code):
        problems.append(f"code: 1 to 16 letters, digits, '-' or '_' (got {code!r})")
    if not name or len(name) > 100 or not name.isprintable():
        problems.append("name: 1 to 100 printable characters")
    if problems:
        raise ValidationFailed("warehouse refused, nothing saved", problems)

    def work(session: Session) -> WarehouseView:
        authorize(session, actor, "catalogue.edit")
        row = session.scalars(select(Warehouse).where(Warehouse.code == code)).first()
        if row is None:
            row = Warehouse(code=code, name=name)
            session.add(row)
        row.name = name
        session.flush()
        record(session, actor, "warehouse", row.id, "warehouse_saved", details={"name": name})
        count = session.scalar(
            select(func.count()).where(Location.warehouse_id == row.id, Location.active)
        )
        return WarehouseView(code, name, count or 0)

    return run_in_transaction(db, work)


@dataclass(frozen=True)
class LocationView:
    warehouse: str
    code: str
    kind: str
    pick_sequence: int
    active: bool


@dataclass(frozen=True)
class LocationPage:
    rows: list[LocationView]
    total: int  # all matches, of which `rows` holds the first `limit`


def list_locations(
    db: Database, *, warehouse: str | None = None, search: str = "", limit: int = 1000
) -> LocationPage:
    """Locations in walking order (pick sequence), optionally of one warehouse and whose
    code contains `search`."""

    def work(session: Session) -> LocationPage:
        where = []
        if warehouse:
            where.append(Warehouse.code == warehouse)
        if search.strip():
            where.append(Location.code.ilike(like_pattern(search.strip()), escape="\\"))
        total = session.scalar(
            select(func.count()).select_from(Location).join(Warehouse).where(*where)
        )
        rows = session.scalars(
            select(Location)
            .join(Warehouse)
            .where(*where)
            .order_by(Location.pick_sequence, Location.code)
            .limit(limit)
        )
        views = [
            LocationView(r.warehouse.code, r.code, r.kind, r.pick_sequence, r.active) for r in rows
        ]
        return LocationPage(views, total or 0)

    return read(db, work)
