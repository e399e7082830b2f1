"""The packing station: open an order, verify every unit by scan, keep progress safe.

One scan is one unit of work: lock the order row, check the station still holds it,
judge the scan, record it. A rejected scan changes nothing but the scan log. Progress
lives in the database, so a station that crashes resumes with its scans intact.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.order_workflow import OrderStatus
from app.domain.scan_reading import DocType, Reading, ScanKind, describe, read_scan
from app.dto import PackLine, PackState, ScanOutcome
from app.errors import (
    ConcurrencyConflict,
    InvalidTransition,
    NotFound,
    OmsError,
)
from app.services.access import authorize
from app.services.audit import record
from app.services.orders import find_order
from app.services.scan_log import record_scan, scan_event
from db.engine import Database
from db.models import (
    Order,
    OrderLine,
    Package,
    PackageItem,
    PackingProgress,
    PickList,
    PickTask,
    Product,
    ProductBarcode,
    Shipment,
)
from db.types import utcnow
from db.uow import run_in_transaction

PACKABLE = frozenset({OrderStatus.ALLOCATED, OrderStatus.PICKING, OrderStatus.PICKED})


def order_for_document(session: Session, reading: Reading) -> Order:
    """The order an order, pick list or tote barcode stands for."""
    value = reading.doc_value or ""
    if reading.doc_type is DocType.ORDER:
        return find_order(session, value)
    if reading.doc_type is DocType.PICK_LIST:
        task_orders = (
            select(OrderLine.order_id)
            .join(PickTask)
            .join(PickList)
            .where(PickList.number == value.upper())
        )
    elif reading.doc_type is DocType.TOTE:
        task_orders = (
            select(OrderLine.order_id)
            .join(PickTask)
            .join(PickList)
            .where(PickTask.tote == value, PickList.status.in_(("open", "claimed", "done")))
        )
    else:
        raise NotFound(f"{describe(reading)} is not an order, pick list or tote")
    ids = sorted(set(session.scalars(task_orders)))
    if not ids:
        raise NotFound(f"no open order for {describe(reading)}")
    if len(ids) > 1:
        raise NotFound(f"{describe(reading)} holds {len(ids)} orders: scan the order's slip")
    return session.get_one(Order, ids[0])


def busy_message(order: Order) -> str:
    return (
        f"{order.number} is being packed at station {order.packing_station} ({order.packing_user})"
    )


def open_for_packing(db: Database, actor: Actor, code: str, *, manual: bool = False) -> PackState:
    """Claim the order behind `code` for this station (or resume this station's claim).

    The scan is logged either way: with the claim, or on its own when refused.
    """

    def work(session: Session) -> PackState:
        authorize(session, actor, "pack")
        reading = read_scan(code)
        if reading.kind is ScanKind.DOCUMENT:
            order = order_for_document(session, reading)
        else:
            order = find_order(session, code)
        order = session.get_one(Order, order.id, with_for_update=True)
        if order.packing_station not in (None, actor.station):
            raise ConcurrencyConflict(busy_message(order))
        if order.status not in PACKABLE:
            if order.status == OrderStatus.ON_HOLD:
                raise InvalidTransition(f"{order.number} is on hold: {order.hold_reason}")
            raise InvalidTransition(
                f"{order.number} is {order.status.replace('_', ' ')}; nothing to pack"
            )
        if order.packing_station is None:
            order.packing_station = actor.station
            order.packing_user = actor.username
            order.packing_started_at = utcnow()
            record(session, actor, "order", order.id, "packing started")
        session.add(
            scan_event(
                actor,
                code,
                reading,
                accepted=True,
                manual=manual,
                message=f"Opened {order.number}",
                order_id=order.id,
            )
        )
        return pack_state(session, order)

    try:
        return run_in_transaction(db, work)
    except OmsError as exc:
        record_scan(db, actor, code, message=str(exc), manual=manual)
        raise


def pack_state(session: Session, order: Order) -> PackState:
    progress = dict(
        session.execute(
            select(PackingProgress.order_line_id, PackingProgress.qty_scanned).where(
                PackingProgress.order_id == order.id
            )
        ).all()
    )
    rows = session.execute(
        select(OrderLine, Product.image_path, func.min(ProductBarcode.code))
        .outerjoin(Product, Product.id == OrderLine.product_id)
        .outerjoin(
            ProductBarcode,
            (ProductBarcode.product_id == Product.id) & (ProductBarcode.kind == "gtin"),
        )
        .where(OrderLine.order_id == order.id, OrderLine.qty_allocated > OrderLine.qty_packed)
        .group_by(OrderLine.id, Product.image_path)
        .order_by(OrderLine.line_no)
    ).all()
    lines = tuple(
        PackLine(
            line.id,
            line.sku,
            line.name,
            gtin,
            line.qty_allocated - line.qty_packed,
            progress.get(line.id, 0),
            image,
        )
        for line, image, gtin in rows
    )
    return PackState(
        order_id=order.id,
        number=order.number,
        external_ref=order.external_ref,
        status=order.status,
        service_level=order.service_level,
        ship_to_name=order.ship_name,
        ship_to_country=order.ship_country,
        station=order.packing_station or "",
        user=order.packing_user or "",
        lines=lines,
    )


def record_pack_scan(
    db: Database,
    actor: Actor,
    order_id: int,
    raw: str,
    *,
    manual: bool = False,
    units: int = 1,
) -> ScanOutcome:
    """Judge one scan against the order this station is packing, and record it.

    `units` is the packer's quantity key for bulk items: the scan counts that many
    (times a GS1 count it may carry).
    """

    def work(session: Session) -> ScanOutcome:
        authorize(session, actor, "pack")
        reading = read_scan(raw)
        order = session.get_one(Order, order_id, with_for_update=True)
        if units > 1 and reading.serial:
            outcome = _reject(reading, "A serial number is one unit - scan each one")
        else:
            counted = replace(reading, quantity=reading.quantity * units) if units > 1 else reading
            outcome = _judge(session, actor, order, counted)
        session.add(
            scan_event(
                actor,
                raw,
                reading,
                accepted=outcome.accepted,
                message=outcome.message,
                manual=manual,
                order_id=order.id,
            )
        )
        return outcome

    return run_in_transaction(db, work)


def _reject(reading: Reading, message: str) -> ScanOutcome:
    return ScanOutcome(False, message, "error", reading.kind.value)


def _judge(session: Session, actor: Actor, order: Order, reading: Reading) -> ScanOutcome:
    if order.packing_station != actor.station:
        if order.packing_station is None:
            return _reject(reading, f"{order.number} is no longer open here - scan it again")
        return _reject(reading, busy_message(order))
    if reading.error:
        return _reject(reading, reading.error)
    if reading.kind is ScanKind.DOCUMENT:
        return _judge_document(session, order, reading)
    if reading.sscc and not reading.gtin14:
        return _reject(reading, f"This is a parcel label (SSCC {reading.sscc}), not an item")
    if reading.expired:
        return _reject(reading, reading.warning or "Lot expired - do not ship")
    products, problem = _products_for(session, reading)
    if problem:
        return _reject(reading, problem)
    line = session.scalars(
        select(OrderLine)
        .where(OrderLine.order_id == order.id, OrderLine.product_id.in_(products))
        .order_by((OrderLine.qty_allocated - OrderLine.qty_packed).desc(), OrderLine.line_no)
    ).first()
    if line is None:
        sku, name = session.execute(
            select(Product.sku, Product.name).where(Product.id.in_(products))
        ).one()
        return _reject(reading, f"{sku} {name} is not on {order.number} - set aside")
    return _count_unit(session, order, line, reading)


def _judge_document(session: Session, order: Order, reading: Reading) -> ScanOutcome:
    if reading.doc_type is DocType.BOX:
        return ScanOutcome(True, f"Box {reading.doc_value}", "ok", reading.kind.value)
    if reading.doc_type in (DocType.ORDER, DocType.PICK_LIST, DocType.TOTE):
        try:
            other = order_for_document(session, reading)
        except NotFound as exc:
            return _reject(reading, str(exc))
        if other.id == order.id:
            return ScanOutcome(True, f"Already packing {order.number}", "ok", reading.kind.value)
        return _reject(reading, f"This is {other.number}; you are packing {order.number}")
    return _reject(reading, f"{describe(reading)} is not used when packing - scan an item")


def _products_for(session: Session, reading: Reading) -> tuple[list[int], str | None]:
    """Product ids the scan names, or a message when it names none or several."""
    code = reading.gtin14 or reading.text
    label = f"GTIN {code}" if reading.gtin14 else code
    ids = sorted(
        set(session.scalars(select(ProductBarcode.product_id).where(ProductBarcode.code == code)))
    )
    if not ids and not reading.gtin14:
        ids = list(session.scalars(select(Product.id).where(Product.sku == code)))
    if not ids:
        return [], f"Unknown {'GTIN' if reading.gtin14 else 'barcode'} {code}"
    if len(ids) > 1:
        skus = sorted(session.scalars(select(Product.sku).where(Product.id.in_(ids))))
        return [], f"{label} matches {' and '.join(skus)} - supervisor must fix master data"
    return ids, None


def _count_unit(session: Session, order: Order, line: OrderLine, reading: Reading) -> ScanOutcome:
    expected = line.qty_allocated - line.qty_packed
    progress = session.scalars(
        select(PackingProgress).where(PackingProgress.order_line_id == line.id)
    ).first()
    scanned = progress.qty_scanned if progress else 0
    if scanned + reading.quantity > expected:
        return _reject(
            reading,
            f"{order.number} needs {expected} × {line.sku} {line.name}; {scanned} already scanned",
        )
    if reading.serial:
        problem = _serial_problem(session, line, reading.serial, progress)
        if problem:
            return _reject(reading, problem)
    if progress is None:
        progress = PackingProgress(order_id=order.id, order_line_id=line.id, qty_scanned=0)
        session.add(progress)
    progress.qty_scanned = scanned + reading.quantity
    if reading.serial:
        progress.serials = [*(progress.serials or []), reading.serial]
    pack_line = PackLine(
        line.id, line.sku, line.name, reading.gtin14, expected, progress.qty_scanned
    )
    session.flush()
    remaining = (
        session.scalar(
            select(func.sum(OrderLine.qty_allocated - OrderLine.qty_packed)).where(
                OrderLine.order_id == order.id
            )
        )
        or 0
    )
    done = (
        session.scalar(
            select(func.sum(PackingProgress.qty_scanned)).where(
                PackingProgress.order_id == order.id
            )
        )
        or 0
    )
    if done >= remaining:
        return ScanOutcome(
            True,
            f"All {done} items scanned - choose the box",
            "complete",
            reading.kind.value,
            pack_line,
        )
    count = f"{progress.qty_scanned} of {expected}"
    return ScanOutcome(True, f"{line.sku} {count}", "ok", reading.kind.value, pack_line)


def _serial_problem(
    session: Session, line: OrderLine, serial: str, progress: PackingProgress | None
) -> str | None:
    if progress and serial in (progress.serials or []):
        return f"{serial} already scanned for this order"
    packed = session.execute(
        select(Order.number, Shipment.packed_station, Shipment.packed_at)
        .join(Shipment, Shipment.order_id == Order.id)
        .join(Package, Package.shipment_id == Shipment.id)
        .join(PackageItem, PackageItem.package_id == Package.id)
        .join(OrderLine, OrderLine.id == PackageItem.order_line_id)
        .where(
            PackageItem.serial == serial,
            OrderLine.product_id == line.product_id,
            Shipment.status != "voided",
        )
    ).first()
    if packed:
        number, station, at = packed
        return f"{serial} already packed in {number} at station {station}, {at:%H:%M}"
    return None
