"""Picking by scan: confirm the location, then each unit; report what is not there.

One scan is one unit of work: lock the list (then its orders by id), check this
station holds the claim, judge the scan, record it. A refused scan changes nothing
but the scan log. The confirmed location is the station's last accepted location
scan since it claimed the list, read back from the scan log, so a station that
crashes resumes where it stopped. A short pick locks the list, its orders by id,
then the product's stock rows by id.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.order_workflow import OrderStatus
from app.domain.picking import PickStop, judge_location, judge_product, where_next
from app.domain.scan_reading import DocType, Reading, ScanKind, describe, read_scan
from app.errors import InvalidTransition, NotFound, ValidationFailed
from app.services.audit import record, transition
from app.services.availability import SELLABLE_KINDS
from app.services.inventory import move
from app.services.order_actions import release_allocations
from app.services.pick_lists import PickListView, load_views
from app.services.picking import db_now, held, holder_problem, lock_list, lock_orders
from db.engine import Database
from db.models import (
    Allocation,
    Channel,
    Location,
    Order,
    OrderLine,
    PickList,
    PickTask,
    Product,
    ProductBarcode,
    ScanEvent,
    StockLevel,
)
from db.uow import run_in_transaction

SHORT_PICK_REASON = "short pick: not found"


@dataclass(frozen=True)
class PickScanOutcome:
    """What a pick scan did. `sound`: ok, complete (the last unit) or error."""

    accepted: bool
    message: str
    sound: str
    reading: str
    task: PickStop | None = None
    picked: int = 0  # units picked on the list so far
    units: int = 0  # units the list asks for


@dataclass(frozen=True)
class ShortPick:
    """What a short pick did: the units not found, written off, re-reserved, backordered."""

    message: str
    missing: int
    written_off: int
    replacements: tuple[PickStop, ...]
    backordered: int
    order_status: str


def record_pick_scan(
    db: Database,
    actor: Actor,
    pick_list_id: int,
    raw: str,
    *,
    require_location: bool = True,
    manual: bool = False,
) -> PickScanOutcome:
    """Judge one scan against the list this station is picking, and record it.

    With `require_location` a product scan counts only after the location was scanned.
    """

    def work(session: Session) -> PickScanOutcome:
        scan = _Scan(session, actor, lock_list(session, pick_list_id), read_scan(raw))
        now = db_now(session)
        outcome = scan.judge(require_location)
        reading = scan.reading
        session.add(
            ScanEvent(
                occurred_at=now,
                station=actor.station,
                user_id=actor.user_id,
                raw=raw[:300],
                reading=reading.kind.value,
                value=(scan.logged or reading.gtin14 or reading.text or None),
                outcome="accepted" if outcome.accepted else "rejected",
                message=outcome.message[:300],
                manual=manual,
                order_id=scan.order_id,
            )
        )
        return outcome

    return run_in_transaction(db, work)


class _Scan:
    """One scan against one list; `order_id` and `logged` go into the scan log."""

    view: PickListView
    stops: list[PickStop]

    def __init__(
        self, session: Session, actor: Actor, pick_list: PickList, reading: Reading
    ) -> None:
        self.session, self.actor, self.pick_list, self.reading = session, actor, pick_list, reading
        self.order_id: int | None = None
        self.logged: str | None = None

    def reject(self, message: str) -> PickScanOutcome:
        return PickScanOutcome(False, message, "error", self.reading.kind.value)

    def accept(
        self, message: str, task: PickStop | None = None, sound: str = "ok"
    ) -> PickScanOutcome:
        picked = self.view.picked
        if task is not None:
            self.order_id = task.order_id
            picked += task.picked - next(t.picked for t in self.stops if t.task_id == task.task_id)
        kind = self.reading.kind.value
        return PickScanOutcome(True, message, sound, kind, task, picked, self.view.units)

    def judge(self, require_location: bool) -> PickScanOutcome:
        problem = holder_problem(self.session, self.actor, self.pick_list)
        if problem:
            return self.reject(problem)
        lock_orders(self.session, self.pick_list.id)
        self.view = load_views(self.session, [self.pick_list.id])[0]
        self.stops = [t for t in self.view.tasks if t.live]
        reading = self.reading
        if reading.error:
            return self.reject(reading.error)
        if reading.kind is ScanKind.DOCUMENT:
            return self.document(reading.doc_value or "")
        if reading.sscc and not reading.gtin14:
            return self.reject(f"This is a parcel label (SSCC {reading.sscc}), not an item")
        if reading.expired:
            return self.reject(reading.warning or "Lot expired - do not pick")
        location = self.confirmed_location() if require_location else None
        if require_location and location is None:
            return self.reject(f"Scan the location first - {where_next(self.stops)}")
        product_ids, label = self.products()
        if not product_ids:
            return self.reject(label)
        verdict = judge_product(
            self.stops,
            product_ids,
            reading.quantity,
            sku=label,
            location=location,
            list_number=self.pick_list.number,
        )
        return self.reject(verdict) if isinstance(verdict, str) else self.pick(verdict)

    def document(self, value: str) -> PickScanOutcome:
        number, doc_type = self.pick_list.number, self.reading.doc_type
        if doc_type is DocType.LOCATION:
            return self.location(value)
        if doc_type is DocType.PICK_LIST and value.upper() == number:
            return self.accept(f"Picking {number} - {where_next(self.stops)}")
        if doc_type is DocType.PICK_LIST:
            return self.reject(f"This is pick list {value}; you are picking {number}")
        if doc_type is DocType.TOTE:
            stop = next((t for t in self.stops if (t.tote or "").upper() == value.upper()), None)
            if stop is None:
                return self.reject(f"Tote {value} is not on {number}")
            return self.accept(f"Tote {stop.tote} is for {stop.order_number}", stop)
        return self.reject(f"{describe(self.reading)} is not used when picking - scan a location")

    def location(self, value: str) -> PickScanOutcome:
        code = next((t.location for t in self.stops if t.location.upper() == value.upper()), None)
        if code is None and not self.session.scalar(
            select(func.count()).select_from(Location).where(Location.code == value)
        ):
            return self.reject(f"Unknown location {value} - rescan")
        code = code or value
        verdict = judge_location(self.stops, code, self.pick_list.number)
        if isinstance(verdict, str):
            return self.reject(verdict)
        self.logged = f"L:{code}"
        into = f" into tote {verdict.tote}" if verdict.tote else ""
        return self.accept(f"{code}: pick {verdict.remaining} × {verdict.sku}{into}", verdict)

    def confirmed_location(self) -> str | None:
        """This station's last accepted location scan since it claimed the list."""
        value = self.session.scalars(
            select(ScanEvent.value)
            .where(
                ScanEvent.order_id.in_(sorted({t.order_id for t in self.view.tasks})),
                ScanEvent.station == self.actor.station,
                ScanEvent.outcome == "accepted",
                ScanEvent.reading == ScanKind.DOCUMENT.value,
                ScanEvent.value.startswith("L:"),
                ScanEvent.occurred_at >= self.pick_list.claimed_at,
            )
            .order_by(ScanEvent.id.desc())
            .limit(1)
        ).first()
        return value.removeprefix("L:") if value else None

    def products(self) -> tuple[list[int], str]:
        """Product ids the scan names and their SKU, or no ids and why."""
        gtin, code = self.reading.gtin14, self.reading.gtin14 or self.reading.text
        by_barcode = select(ProductBarcode.product_id).where(ProductBarcode.code == code)
        ids = sorted(set(self.session.scalars(by_barcode)))
        if not ids and not gtin:
            ids = list(self.session.scalars(select(Product.id).where(Product.sku == code)))
        if not ids:
            return [], f"Unknown {'GTIN' if gtin else 'barcode'} {code}"
        skus = sorted(self.session.scalars(select(Product.sku).where(Product.id.in_(ids))))
        if len(ids) > 1:
            label = f"GTIN {code}" if gtin else code
            return [], f"{label} matches {' and '.join(skus)} - supervisor must fix master data"
        return ids, skus[0]

    def pick(self, stop: PickStop) -> PickScanOutcome:
        units = self.reading.quantity
        task = self.session.get_one(PickTask, stop.task_id)
        task.qty_picked += units
        self.session.get_one(OrderLine, task.order_line_id).qty_picked += units
        if task.qty_picked == task.quantity:
            task.status = "done"
        after = replace(stop, picked=task.qty_picked, status=task.status)
        stops = [after if t.task_id == stop.task_id else t for t in self.stops]
        count = f"{after.sku} {after.picked} of {after.quantity}"
        count += f" into tote {after.tote}" if after.tote else ""
        if not any(t.remaining for t in stops):
            return self.accept(f"{count} - every item is picked: close the list", after, "complete")
        if after.remaining:
            return self.accept(count, after)
        return self.accept(f"{count} - {where_next(stops)}", after)


def report_short(db: Database, actor: Actor, task_id: int, found: int) -> ShortPick:
    """The picker found only `found` of a task's units at its location.

    The rest is given back there (and written off, as far as no other order's
    reservation needs it), then taken from other locations with free stock, each a
    new stop at the end of the list; what no location has is backordered. The order
    becomes backordered when nothing at all is left reserved for it.
    """

    def work(session: Session) -> ShortPick:
        stub = session.get(PickTask, task_id)
        if stub is None:
            raise NotFound(f"no pick task with id {task_id}")
        pick_list = held(session, actor, stub.pick_list_id)
        orders = {o.id: o for o in lock_orders(session, pick_list.id)}
        task = session.get_one(PickTask, task_id, populate_existing=True)
        line = session.get_one(OrderLine, task.order_line_id, populate_existing=True)
        order = orders[line.order_id]
        if order.status != OrderStatus.PICKING:
            raise InvalidTransition(f"{order.number} is {order.status.replace('_', ' ')}")
        allocation = session.get(Allocation, task.allocation_id) if task.allocation_id else None
        if task.status != "open" or allocation is None or allocation.status != "active":
            raise ValidationFailed(f"stop {task.sequence} of {pick_list.number} is closed")
        if not task.qty_picked <= found < task.quantity:
            raise ValidationFailed(
                f"found must be from {task.qty_picked} (already picked) to {task.quantity - 1}"
            )
        return _short(session, actor, pick_list, order, line, task, allocation, found)

    return run_in_transaction(db, work)


def _short(
    session: Session,
    actor: Actor,
    pick_list: PickList,
    order: Order,
    line: OrderLine,
    task: PickTask,
    allocation: Allocation,
    found: int,
) -> ShortPick:
    missing = task.quantity - found
    here, code, others = _lock_levels(session, task, allocation)
    if found:
        allocation.quantity = found
        session.add(
            Allocation(
                order_line_id=line.id, stock_level_id=here.id, quantity=missing, status="released"
            )
        )
    else:
        allocation.status = "released"
    here.reserved -= missing
    line.qty_allocated -= missing
    task.quantity = found
    task.status = "open" if task.qty_picked < found else "short"
    written_off = min(missing, here.on_hand - here.reserved)
    if written_off:
        move(
            session,
            actor,
            here,
            -written_off,
            "adjustment",
            reason=SHORT_PICK_REASON,
            order_id=order.id,
        )
    new_ids = _take_elsewhere(session, pick_list, line, task, others, missing)
    replacements = tuple(
        t for t in load_views(session, [pick_list.id])[0].tasks if t.task_id in new_ids
    )
    backordered = missing - sum(t.quantity for t in replacements)
    moved = "".join(f"; {t.quantity} from {t.location} (stop {t.sequence})" for t in replacements)
    message = f"{order.number}: {missing} × {line.sku} not at {code}{moved}" + (
        f"; {backordered} backordered" if backordered else ""
    )
    details = {"task": task.id, "found": found, "written_off": written_off}
    record(session, actor, "order", order.id, "short pick", reason=message, details=details)
    left = session.scalar(
        select(func.sum(OrderLine.qty_allocated)).where(OrderLine.order_id == order.id)
    )
    if left and backordered and not _ships_partial(session, order):
        released = release_allocations(session, order)
        session.execute(
            update(PickTask)
            .where(
                PickTask.order_line_id.in_(
                    select(OrderLine.id).where(OrderLine.order_id == order.id)
                ),
                PickTask.status == "open",
            )
            .values(status="cancelled")
            .execution_options(synchronize_session=False)
        )
        message += (
            f"; ship-complete order waits whole: {released} reserved units released, "
            "put its picked items back"
        )
        left = 0
    if not left:
        transition(
            session, order, OrderStatus.BACKORDERED, actor, reason=message, action="short pick"
        )
    return ShortPick(message, missing, written_off, replacements, backordered, order.status)


def _ships_partial(session: Session, order: Order) -> bool:
    if order.allow_partial is not None:
        return order.allow_partial
    return bool(session.scalar(select(Channel.allow_partial).where(Channel.id == order.channel_id)))


def _lock_levels(
    session: Session, task: PickTask, allocation: Allocation
) -> tuple[StockLevel, str, list[StockLevel]]:
    """Lock, by id, the emptied stock row and the product's other rows with free stock
    in the same warehouse; returns the emptied row, its location and the others in
    walking order."""
    warehouse = select(Location.warehouse_id).where(Location.id == task.location_id)
    rows = session.execute(
        select(StockLevel, Location.pick_sequence, Location.code)
        .join(Location, Location.id == StockLevel.location_id)
        .where(
            StockLevel.product_id == task.product_id,
            or_(
                StockLevel.id == allocation.stock_level_id,
                and_(
                    Location.warehouse_id == warehouse.scalar_subquery(),
                    Location.kind.in_(SELLABLE_KINDS),
                    Location.active.is_(True),
                    StockLevel.on_hand > StockLevel.reserved,
                ),
            ),
        )
        .order_by(StockLevel.id)
        .with_for_update(of=StockLevel)
        .execution_options(populate_existing=True)
    ).all()
    here, code = next((lv, c) for lv, _, c in rows if lv.id == allocation.stock_level_id)
    walk = sorted((seq, c, lv.id, lv) for lv, seq, c in rows if lv is not here)
    return here, code, [level for *_, level in walk]


def _take_elsewhere(
    session: Session,
    pick_list: PickList,
    line: OrderLine,
    task: PickTask,
    levels: list[StockLevel],
    missing: int,
) -> set[int]:
    """Reserve up to `missing` units from `levels` in turn, one new stop each at the
    end of the list; returns the new task ids."""
    sequence = session.scalar(
        select(func.max(PickTask.sequence)).where(PickTask.pick_list_id == pick_list.id)
    )
    added: list[PickTask] = []
    for level in levels:
        units = min(missing, level.on_hand - level.reserved)
        if units <= 0:
            continue
        allocation = Allocation(
            order_line_id=line.id, stock_level_id=level.id, quantity=units, status="active"
        )
        session.add(allocation)
        session.flush()
        level.reserved += units
        line.qty_allocated += units
        added.append(
            PickTask(
                pick_list_id=pick_list.id,
                order_line_id=line.id,
                allocation_id=allocation.id,
                location_id=level.location_id,
                product_id=task.product_id,
                sequence=(sequence or 0) + len(added) + 1,
                quantity=units,
                qty_picked=0,
                tote=task.tote,
                status="open",
            )
        )
        missing -= units
        if not missing:
            break
    session.add_all(added)
    session.flush()
    return {t.id for t in added}
