"""Picking by scan: confirm the location, then each unit; report what is not there.

One scan is one unit of work: lock the list (then its orders by id), check this
station holds the claim, judge the scan, record it. A refused scan changes nothing
but the scan log. The confirmed location is the station's last accepted location
scan since it claimed the list, read back from the scan log, so a station that
crashes resumes where it stopped. Short picks are in short_picks.py.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.picking import PickStop, judge_location, judge_product, where_next
from app.domain.scan_reading import DocType, Reading, ScanKind, describe, read_scan
from app.services.access import authorize
from app.services.pick_lists import PickListView, load_views
from app.services.picking import db_now, holder_problem, lock_list, lock_orders
from app.services.scan_log import scan_event
from db.engine import Database
from db.models import (
    Location,
    OrderLine,
    PickList,
    PickTask,
    Product,
    ProductBarcode,
    ScanEvent,
)
from db.uow import run_in_transaction


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
        authorize(session, actor, "pick")
        scan = _Scan(session, actor, lock_list(session, pick_list_id), read_scan(raw))
        now = db_now(session)
        outcome = scan.judge(require_location)
        reading = scan.reading
        session.add(
            scan_event(
                actor,
                raw,
                reading,
                accepted=outcome.accepted,
                message=outcome.message,
                manual=manual,
                order_id=scan.order_id,
                value=scan.logged,
                occurred_at=now,
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
        return self.accept(f"{count} - {where_next(stops, at=after.location)}", after)
