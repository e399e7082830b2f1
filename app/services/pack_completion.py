"""Finishing a pack: shipment, packages with SSCCs, a tracking number, label and slip
queued for printing, and the order moved to packed - all in one transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.carriers import CARRIERS, BookingRequest
from app.domain.gtin import make_sscc
from app.domain.order_workflow import OrderStatus
from app.dto import PackageView, PackResult
from app.errors import ConcurrencyConflict, InvalidTransition, ValidationFailed
from app.services.audit import transition
from app.services.numbering import take_numbers
from app.services.orders import find_order
from app.services.packing import PACKABLE, busy_message
from app.services.print_queue import queue_shipment_documents
from db.engine import Database
from db.models import (
    BoxType,
    Order,
    OrderLine,
    Package,
    PackageItem,
    PackingProgress,
    PickTask,
    Product,
    Shipment,
    Warehouse,
)
from db.uow import run_in_transaction


@dataclass(frozen=True)
class PackageSpec:
    box_code: str | None = None
    weight_g: int | None = None
    items: dict[int, int] | None = None  # order line id -> units; None = everything


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
        order = session.get_one(Order, order_id, with_for_update=True)
        if order.packing_station != actor.station:
            raise ConcurrencyConflict(
                busy_message(order)
                if order.packing_station
                else f"{order.number} is no longer open at this station"
            )
        scanned = dict(
            session.execute(
                select(PackingProgress.order_line_id, PackingProgress.qty_scanned).where(
                    PackingProgress.order_id == order.id
                )
            ).all()
        )
        return _finish(session, actor, order, scanned, packages, label_format, verified=True)

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
        order = find_order(session, reference, for_update=True)
        if order.packing_station not in (None, actor.station):
            raise ConcurrencyConflict(busy_message(order))
        units = dict(
            session.execute(
                select(OrderLine.id, OrderLine.qty_allocated - OrderLine.qty_packed).where(
                    OrderLine.order_id == order.id
                )
            ).all()
        )
        spec = PackageSpec(box_code=box_code, weight_g=weight_g)
        return _finish(session, actor, order, units, [spec], label_format, verified=False)

    return run_in_transaction(db, work)


def _finish(
    session: Session,
    actor: Actor,
    order: Order,
    units: dict[int, int],
    packages: Sequence[PackageSpec],
    label_format: str,
    *,
    verified: bool,
) -> PackResult:
    if order.status not in PACKABLE:
        raise InvalidTransition(
            f"{order.number} is {order.status.replace('_', ' ')}; "
            "only allocated orders can be packed"
        )
    lines = {
        line.id: line
        for line in session.scalars(
            select(OrderLine).where(OrderLine.order_id == order.id).order_by(OrderLine.line_no)
        )
    }
    _check_all_scanned(order, lines, units)
    contents = _split(packages, {k: v for k, v in units.items() if v > 0})
    boxes = _boxes(session, packages)
    warehouse = session.scalars(select(Warehouse).order_by(Warehouse.id)).first()
    prefix = warehouse.gs1_company_prefix if warehouse else "0614141"
    weights = tuple(
        spec.weight_g or _estimate_weight(session, lines, items, boxes.get(spec.box_code or ""))
        for spec, items in zip(packages, contents, strict=True)
    )
    carrier = CARRIERS["own"]
    booking = carrier.book(
        BookingRequest(order.number, order.service_level, order.ship_country, weights),
        take_numbers(session, "tracking", len(packages)),
    )
    shipment = Shipment(
        order_id=order.id,
        carrier=carrier.code,
        service_level=order.service_level,
        tracking_number=booking.tracking_number,
        verified=verified,
        packed_by=actor.username,
        packed_station=actor.station,
    )
    session.add(shipment)
    serials = take_numbers(session, "sscc", len(packages))
    views = []
    for seq, (spec, items, weight, serial, tracking) in enumerate(
        zip(packages, contents, weights, serials, booking.package_tracking, strict=True), 1
    ):
        package = Package(
            shipment=shipment,
            seq=seq,
            sscc=make_sscc(0, prefix, serial),
            box_code=spec.box_code,
            weight_g=weight,
            tracking_number=tracking,
        )
        session.add(package)
        for line_id, qty in items.items():
            package.items.append(PackageItem(order_line_id=line_id, quantity=qty))
        views.append(PackageView(seq, package.sscc, spec.box_code, weight))
    for line_id, qty in units.items():
        line = lines[line_id]
        line.qty_packed += qty
        line.qty_picked = max(line.qty_picked, line.qty_packed)  # picked at pack time
    session.execute(
        update(PickTask)
        .where(PickTask.order_line_id.in_(list(lines)), PickTask.status == "open")
        .values(status="done", qty_picked=PickTask.quantity)
    )
    session.execute(delete(PackingProgress).where(PackingProgress.order_id == order.id))
    order.packing_station = order.packing_user = order.packing_started_at = None
    session.flush()
    transition(
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
    )
    jobs = queue_shipment_documents(session, order, shipment, actor.station, label_format)
    return PackResult(order.number, shipment.id, booking.tracking_number, tuple(views), jobs)


def _check_all_scanned(order: Order, lines: dict[int, OrderLine], units: dict[int, int]) -> None:
    missing = [
        f"{line.sku}: {units.get(line.id, 0)} of {line.qty_allocated - line.qty_packed}"
        for line in lines.values()
        if units.get(line.id, 0) != line.qty_allocated - line.qty_packed
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


def _boxes(session: Session, packages: Sequence[PackageSpec]) -> dict[str, BoxType]:
    codes = {spec.box_code for spec in packages if spec.box_code}
    boxes = {b.code: b for b in session.scalars(select(BoxType).where(BoxType.code.in_(codes)))}
    unknown = sorted(codes - boxes.keys())
    if unknown:
        raise ValidationFailed(f"unknown box type {', '.join(unknown)}")
    for spec in packages:
        if spec.weight_g is not None and spec.weight_g <= 0:
            raise ValidationFailed(f"weight must be above 0 g (got {spec.weight_g})")
    return boxes


def _estimate_weight(
    session: Session, lines: dict[int, OrderLine], items: dict[int, int], box: BoxType | None
) -> int:
    product_ids = [lines[i].product_id for i in items if lines[i].product_id is not None]
    weights = dict(
        session.execute(
            select(Product.id, Product.weight_g).where(Product.id.in_(product_ids))
        ).all()
    )
    total = 0
    for line_id, qty in items.items():
        product_id = lines[line_id].product_id
        total += (weights.get(product_id) or 0) * qty if product_id is not None else 0
    return max(total + (box.tare_g if box else 0), 1)
