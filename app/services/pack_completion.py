"""Finishing a pack: shipment, packages with SSCCs, a tracking number, label and slip
queued for printing, and the order moved to packed - all in one transaction.

Core statements on purpose, like dispatch: this runs for every parcel.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.carriers import CARRIERS, BookingRequest
from app.domain.gtin import make_sscc
from app.domain.order_workflow import OrderStatus
from app.dto import PackageView, PackResult
from app.errors import ConcurrencyConflict, InvalidTransition, ValidationFailed
from app.services.audit import OrderRef, lock_order, lock_order_by_reference, set_status
from app.services.numbering import take_numbers
from app.services.packing import PACKABLE
from app.services.print_queue import queue_shipment_documents
from db.base import table_of
from db.bulk import insert_returning_ids, insert_rows
from db.engine import Database
from db.models import (
    BoxType,
    OrderLine,
    Package,
    PackageItem,
    PackingProgress,
    PickTask,
    Product,
    Shipment,
    Warehouse,
)
from db.types import utcnow
from db.uow import run_in_transaction

LINES = table_of(OrderLine)
_PRODUCTS = table_of(Product)
_TASKS = table_of(PickTask)
_PROGRESS = table_of(PackingProgress)
_WAREHOUSES = table_of(Warehouse)
# Built once: these run for every parcel packed.
_GS1_PREFIX = select(_WAREHOUSES.c.gs1_company_prefix).order_by(_WAREHOUSES.c.id).limit(1)
_OPEN_LINES = (
    select(
        LINES.c.id,
        LINES.c.sku,
        LINES.c.product_id,
        (LINES.c.qty_allocated - LINES.c.qty_packed).label("open_units"),
        _PRODUCTS.c.weight_g,
        _GS1_PREFIX.scalar_subquery().label("gs1_prefix"),  # one round trip, not two
    )
    .outerjoin(_PRODUCTS, _PRODUCTS.c.id == LINES.c.product_id)
    .where(LINES.c.order_id == bindparam("order_id"))
)
_PACK_LINE = (
    update(LINES)
    .where(LINES.c.id == bindparam("b_id"))
    .values(
        qty_packed=LINES.c.qty_packed + bindparam("b_qty"),
        qty_picked=LINES.c.qty_packed + bindparam("b_qty"),  # picked at pack time if not yet
    )
)
_CLOSE_PICK_TASKS = (
    update(_TASKS)
    .where(
        _TASKS.c.order_line_id.in_(bindparam("line_ids", expanding=True)), _TASKS.c.status == "open"
    )
    .values(status="done", qty_picked=_TASKS.c.quantity)
)
_FORGET_PROGRESS = delete(_PROGRESS).where(_PROGRESS.c.order_id == bindparam("order_id"))
DEFAULT_GS1_PREFIX = "0614141"


@dataclass(frozen=True)
class PackageSpec:
    box_code: str | None = None
    weight_g: int | None = None
    items: dict[int, int] | None = None  # order line id -> units; None = everything


@dataclass(frozen=True)
class _Line:
    id: int
    sku: str
    product_id: int | None
    open_units: int  # allocated, not yet packed
    weight_g: int  # of one unit, 0 when unknown


def complete_packing(
    db: Database,
    actor: Actor,
    order_id: int,
    packages: Sequence[PackageSpec],
    *,
    label_format: str = "pdf",
) -> PackResult:
    """Close a scan-verified pack: every expected unit must have been scanned."""

    def work(session: Session) -> PackResult:
        order = lock_order(session, order_id)
        if order.packing_station != actor.station:
            raise ConcurrencyConflict(
                order.busy_message
                if order.packing_station
                else f"{order.number} is no longer open at this station"
            )
        progress = session.execute(
            select(
                PackingProgress.order_line_id,
                PackingProgress.qty_scanned,
                PackingProgress.serials,
            ).where(PackingProgress.order_id == order.id)
        ).all()
        scanned = {line_id: qty for line_id, qty, _ in progress}
        serials = {line_id: list(found or []) for line_id, _, found in progress}
        return _finish(
            session,
            actor,
            order,
            scanned,
            packages,
            label_format,
            verified=True,
            serials=serials,
        )

    return run_in_transaction(db, work)


def pack_unverified(
    db: Database,
    actor: Actor,
    reference: str,
    *,
    box_code: str | None = None,
    weight_g: int | None = None,
    label_format: str = "pdf",
) -> PackResult:
    """Pack everything allocated without scanning (supervisor: B2B pallets, automation)."""

    def work(session: Session) -> PackResult:
        order = lock_order_by_reference(session, reference)
        if order.packing_station not in (None, actor.station):
            raise ConcurrencyConflict(order.busy_message)
        spec = PackageSpec(box_code=box_code, weight_g=weight_g)
        return _finish(session, actor, order, None, [spec], label_format, verified=False)

    return run_in_transaction(db, work)


def _finish(
    session: Session,
    actor: Actor,
    order: OrderRef,
    scanned: dict[int, int] | None,
    packages: Sequence[PackageSpec],
    label_format: str,
    *,
    verified: bool,
    serials: dict[int, list[str]] | None = None,
) -> PackResult:
    """Pack `scanned` units per line (None: every open unit, unverified); scanned serial
    numbers go into the packages one unit each, so a serial can never ship twice."""
    if order.status not in PACKABLE:
        raise InvalidTransition(
            f"{order.number} is {order.status.replace('_', ' ')}; "
            "only allocated orders can be packed"
        )
    conn = session.connection()
    rows = conn.execute(_OPEN_LINES, {"order_id": order.id}).all()
    lines = {
        row.id: _Line(row.id, row.sku, row.product_id, row.open_units, row.weight_g or 0)
        for row in rows
    }
    prefix = str(rows[0].gs1_prefix or DEFAULT_GS1_PREFIX) if rows else DEFAULT_GS1_PREFIX
    units = {i: line.open_units for i, line in lines.items()} if scanned is None else scanned
    _check_all_scanned(order, lines, units)
    contents = _split(packages, {k: v for k, v in units.items() if v > 0})
    boxes = _boxes(session, packages)
    weights = tuple(
        spec.weight_g or _estimate_weight(lines, items, boxes.get(spec.box_code or ""))
        for spec, items in zip(packages, contents, strict=True)
    )
    carrier = CARRIERS["own"]
    sscc_serials = take_numbers(session, "sscc", len(packages))
    booking = carrier.book(
        BookingRequest(order.number, order.service_level, order.ship_country, weights), sscc_serials
    )
    now = utcnow()
    shipment_id = insert_returning_ids(
        session,
        Shipment,
        [
            {
                "order_id": order.id,
                "carrier": carrier.code,
                "service_level": order.service_level,
                "tracking_number": booking.tracking_number,
                "status": "packed",
                "verified": verified,
                "packed_by": actor.username,
                "packed_station": actor.station,
                "packed_at": now,
            }
        ],
    )[0]
    package_rows = [
        {
            "shipment_id": shipment_id,
            "seq": seq,
            "sscc": make_sscc(0, prefix, serial),
            "box_code": spec.box_code,
            "weight_g": weight,
            "tracking_number": tracking,
        }
        for seq, (spec, weight, serial, tracking) in enumerate(
            zip(packages, weights, sscc_serials, booking.package_tracking, strict=True), 1
        )
    ]
    package_ids = insert_returning_ids(session, Package, package_rows)
    insert_rows(session, PackageItem, _package_items(package_ids, contents, serials or {}))
    # Picking is recorded at pack time when the packer picked the order himself.
    conn.execute(_PACK_LINE, [{"b_id": k, "b_qty": v} for k, v in sorted(units.items()) if v])
    conn.execute(_CLOSE_PICK_TASKS, {"line_ids": list(lines)})
    if scanned is not None:
        conn.execute(_FORGET_PROGRESS, {"order_id": order.id})
    set_status(
        session,
        order,
        OrderStatus.PACKED,
        actor,
        action="packed",
        details={
            "verified": verified,
            "packages": len(packages),
            "tracking": booking.tracking_number,
        },
        release_packing=True,
    )
    jobs = queue_shipment_documents(session, order.id, shipment_id, actor.station, label_format)
    views = tuple(
        PackageView(seq, str(row["sscc"]), spec.box_code, weight)
        for seq, (row, spec, weight) in enumerate(
            zip(package_rows, packages, weights, strict=True), 1
        )
    )
    return PackResult(order.number, shipment_id, booking.tracking_number, views, jobs)


def _package_items(
    package_ids: Sequence[int],
    contents: Sequence[dict[int, int]],
    serials: dict[int, list[str]],
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for package_id, items in zip(package_ids, contents, strict=True):
        for line_id, qty in items.items():
            queue = serials.get(line_id, [])
            numbered, serials[line_id] = queue[:qty], queue[qty:]
            rows += [
                {
                    "package_id": package_id,
                    "order_line_id": line_id,
                    "quantity": 1,
                    "serial": serial,
                }
                for serial in numbered
            ]
            if qty > len(numbered):
                rows.append(
                    {
                        "package_id": package_id,
                        "order_line_id": line_id,
                        "quantity": qty - len(numbered),
                        "serial": None,
                    }
                )
    return rows


def _check_all_scanned(order: OrderRef, lines: dict[int, _Line], units: dict[int, int]) -> None:
    missing = [
        f"{line.sku}: {units.get(line.id, 0)} of {line.open_units}"
        for line in lines.values()
        if units.get(line.id, 0) != line.open_units
    ]
    if missing:
        raise ValidationFailed(f"{order.number} is not fully scanned", missing)
    if not any(units.values()):
        raise ValidationFailed(f"{order.number} has nothing allocated to pack")


def _split(packages: Sequence[PackageSpec], units: dict[int, int]) -> list[dict[int, int]]:
    if not packages:
        raise ValidationFailed("at least one package is needed")
    if len(packages) == 1 and packages[0].items is None:
        return [dict(units)]
    if any(spec.items is None for spec in packages):
        raise ValidationFailed("with several packages, say what goes in each")
    placed: dict[int, int] = {}
    for spec in packages:
        for line_id, qty in (spec.items or {}).items():
            placed[line_id] = placed.get(line_id, 0) + qty
    if placed != units:
        raise ValidationFailed("the packages do not hold exactly the scanned items")
    return [dict(spec.items or {}) for spec in packages]


def _boxes(session: Session, packages: Sequence[PackageSpec]) -> dict[str, Any]:
    for spec in packages:
        if spec.weight_g is not None and spec.weight_g <= 0:
            raise ValidationFailed(f"weight must be above 0 g (got {spec.weight_g})")
    codes = {spec.box_code for spec in packages if spec.box_code}
    if not codes:
        return {}
    boxes = dict(
        session.execute(select(BoxType.code, BoxType.tare_g).where(BoxType.code.in_(codes))).all()
    )
    unknown = sorted(codes - boxes.keys())
    if unknown:
        raise ValidationFailed(f"unknown box type {', '.join(unknown)}")
    return boxes


def _estimate_weight(lines: dict[int, _Line], items: dict[int, int], tare_g: int | None) -> int:
    total = (tare_g or 0) + sum(lines[line_id].weight_g * qty for line_id, qty in items.items())
    return max(total, 1)
