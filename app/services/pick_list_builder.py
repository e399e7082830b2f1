"""Building pick lists from the allocated orders waiting, filtered the way the desk
asks: service level (the carrier service follows it), priority, zone and how many
orders; one list per order, or batches with a tote per order; optionally queued for
printing.

Two desks building at once never list an order twice: the matching orders are locked
by id (FOR UPDATE; on SQLite BEGIN IMMEDIATE serialises the desks), and only then do
fresh statements read which of them are already on a list or at a packing station and
what is left to pick, so the lists another desk committed meanwhile are seen.
Order statuses stay `allocated` until a picker claims a list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from sqlalchemy import ColumnElement, Exists, exists, func, or_, select
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.new_order import SERVICE_PRIORITY
from app.domain.order_workflow import OrderStatus
from app.domain.picking import OrderWork, PlannedList, Stop, plan_pick_lists, tote_code
from app.errors import ValidationFailed
from app.services.access import authorize
from app.services.audit import audit_row
from app.services.numbering import pick_list_number, take_numbers
from app.wording import counted
from db.bulk import insert_returning_ids, insert_rows
from db.engine import Database
from db.models import (
    Allocation,
    AuditEvent,
    Location,
    Order,
    OrderLine,
    PickList,
    PickTask,
    PrintJob,
    StockLevel,
)
from db.types import utcnow
from db.uow import read, run_in_transaction

CHUNK = 2000
PRINT_DOCUMENT = "pick_list"  # a print job's document; its payload is the list's number
DEFAULT_TOTES = 8
SKIPPED_NAMED = 3  # skipped orders named in a summary; the rest are counted


@dataclass(frozen=True)
class PickListRequest:
    """Which waiting orders to list, and how.

    `priority` keeps orders at least that urgent (1 is the most urgent), or exactly
    that one with `exact_priority`. `zone` is a location code prefix ending at a dash:
    "A" is aisle A (A-01-02-B, not AB-01-01-A), "A-01" one rack of it; an order
    qualifies when all its reserved units sit there. Batches (`single` False) take up
    to `totes` orders, one tote each; an order of more than `small_order_units`
    units gets a list of its own (None: every order goes into a batch).
    """

    service_level: str | None = None
    priority: int | None = None
    exact_priority: bool = False
    zone: str | None = None
    max_orders: int | None = None
    single: bool = False
    totes: int = DEFAULT_TOTES
    small_order_units: int | None = None
    order_ids: tuple[int, ...] | None = None  # only these (a queue's selection)

    def checked(self) -> PickListRequest:
        """This request tidied (zone upper case, blank filters dropped), or
        ValidationFailed saying what is wrong."""
        level = (self.service_level or "").strip().lower() or None
        zone = (self.zone or "").strip().upper().rstrip("-") or None
        problem = next(_problems(replace(self, service_level=level)), None)
        if problem is not None:
            raise ValidationFailed(problem)
        return replace(self, service_level=level, zone=zone)

    def plan(self, orders: Sequence[OrderWork]) -> list[PlannedList]:
        units = 0 if self.single else self.small_order_units
        return plan_pick_lists(orders, batch_size=self.totes, small_order_units=units)


def _problems(request: PickListRequest) -> Iterator[str]:
    level = request.service_level
    if level is not None and level not in SERVICE_PRIORITY:
        yield f"unknown service level {level!r} (use {', '.join(SERVICE_PRIORITY)})"
    if request.priority is not None and request.priority < 1:
        yield f"priority must be at least 1, the most urgent (got {request.priority})"
    if request.max_orders is not None and request.max_orders < 1:
        yield f"max orders must be at least 1 (got {request.max_orders})"
    if request.totes < 1:
        yield f"a batch needs at least 1 tote (got {request.totes})"
    if request.small_order_units is not None and request.small_order_units < 0:
        yield f"small order units must not be negative (got {request.small_order_units})"


@dataclass(frozen=True)
class BuiltList:
    id: int
    number: str
    kind: str  # single | batch
    orders: tuple[str, ...]
    stops: int
    units: int


@dataclass(frozen=True)
class SkippedOrder:
    number: str
    reason: str  # "already on PL-000003", "being packed at pack-1"


@dataclass(frozen=True)
class PickListBuild:
    """What one build made, what it passed over and why, and its print jobs."""

    lists: tuple[BuiltList, ...]
    skipped: tuple[SkippedOrder, ...]
    left: int  # qualifying orders beyond `max_orders`, left for the next build
    print_jobs: tuple[int, ...] = ()

    @property
    def orders(self) -> int:
        return sum(len(built.orders) for built in self.lists)

    def summary(self) -> str:
        """ "3 pick lists, 17 orders; 2 orders skipped: SO-100004 already on PL-000002, ..." """
        if not self.lists and not self.skipped and not self.left:
            return "No pick lists built: no waiting allocated order matches"
        parts = [
            f"{counted(len(self.lists), 'pick list')}, {counted(self.orders, 'order')}"
            if self.lists
            else "No pick lists built"
        ]
        if self.skipped:
            named = ", ".join(f"{s.number} {s.reason}" for s in self.skipped[:SKIPPED_NAMED])
            more = len(self.skipped) - SKIPPED_NAMED
            tail = f" and {more} more" if more > 0 else ""
            parts.append(f"{counted(len(self.skipped), 'order')} skipped: {named}{tail}")
        if self.left:
            parts.append(f"{counted(self.left, 'more order')} left for the next build")
        return "; ".join(parts)


@dataclass(frozen=True)
class PickListPreview:
    """What a build would make now: orders and lists, orders passed over, orders left."""

    orders: int
    lists: int
    skipped: int
    left: int


def build_pick_lists(
    db: Database, actor: Actor, request: PickListRequest, *, printer: str | None = None
) -> PickListBuild:
    """Lists for the waiting orders `request` picks; with `printer`, a print job each
    for that printer spec (send them with `printing.print_job`)."""
    checked = request.checked()
    if printer is not None and printer.startswith("tcp://"):
        raise ValidationFailed(
            f"pick lists are PDF and {printer} is a raw label printer (ZPL only): "
            "use folder[:PATH] or cups:QUEUE"
        )
    return run_in_transaction(db, lambda s: build_in(s, actor, checked, printer=printer))


def preview_pick_lists(db: Database, request: PickListRequest) -> PickListPreview:
    """How many orders and lists `build_pick_lists` would make now; nothing is locked."""
    checked = request.checked()

    def work(session: Session) -> PickListPreview:
        chosen = _choose(session, checked, lock=False)
        lists = len(checked.plan([w for w, _ in chosen.taken]))
        return PickListPreview(len(chosen.taken), lists, len(chosen.skipped), chosen.left)

    return read(db, work)


def build_in(
    session: Session, actor: Actor, request: PickListRequest, *, printer: str | None = None
) -> PickListBuild:
    """`build_pick_lists` inside the caller's transaction, for a request already checked."""
    authorize(session, actor, "pick_list.build")
    chosen = _choose(session, request, lock=True)
    plans = request.plan([w for w, _ in chosen.taken])
    numbers = {work.order_id: number for work, number in chosen.taken}
    lists = _insert(session, actor, plans, numbers) if plans else []
    jobs: tuple[int, ...] = ()
    if printer is not None and lists:
        jobs = _queue_printing(session, lists, printer, actor.station)
    return PickListBuild(tuple(lists), chosen.skipped, chosen.left, jobs)


@dataclass(frozen=True)
class _Chosen:
    taken: list[tuple[OrderWork, str]]  # most urgent first, with the order's number
    skipped: tuple[SkippedOrder, ...]
    left: int


def _choose(session: Session, request: PickListRequest, *, lock: bool) -> _Chosen:
    """The orders to list, the matching ones passed over, and how many wait beyond."""
    if request.zone is not None:
        _require_zone(session, request.zone)
    matching = _matching(request)
    candidates = (
        select(Order.id, Order.number, Order.priority, Order.ship_by, Order.placed_at)
        .where(*matching, Order.packing_station.is_(None), ~_has_open_task())
        .order_by(Order.id)
    )
    rows = session.execute(candidates.with_for_update(of=Order) if lock else candidates).all()
    busy = _busy(session, matching)  # after the locks: sees lists committed meanwhile
    passed = {order_id for order_id, _ in busy}
    # The pick queue's order: priority, then ship-by (none last), placed, id.
    ranked = sorted(
        (r for r in rows if r.id not in passed),
        key=lambda r: (r.priority, r.ship_by is None, r.ship_by, r.placed_at, r.id),
    )
    limit = request.max_orders or len(ranked)
    taken: list[tuple[OrderWork, str]] = []
    examined = 0
    while examined < len(ranked) and len(taken) < limit:
        chunk = ranked[examined : examined + CHUNK]
        examined += len(chunk)
        stops = _untasked_stops(session, [r.id for r in chunk])
        taken += [(OrderWork(r.id, tuple(stops[r.id])), r.number) for r in chunk if r.id in stops]
    left = max(len(taken) - limit, 0) + len(ranked) - examined
    return _Chosen(taken[:limit], tuple(s for _, s in busy), left)


def _require_zone(session: Session, zone: str) -> None:
    if session.scalar(select(Location.id).where(_in_zone(zone)).limit(1)) is None:
        raise ValidationFailed(f"no location in zone {zone} (a location code prefix, e.g. A)")


def _in_zone(zone: str) -> ColumnElement[bool]:
    return or_(Location.code == zone, Location.code.startswith(f"{zone}-", autoescape=True))


def _matching(request: PickListRequest) -> list[ColumnElement[bool]]:
    """What an order must be to match `request`, busy or not."""
    clauses: list[ColumnElement[bool]] = [Order.status == OrderStatus.ALLOCATED]
    if request.order_ids is not None:
        clauses.append(Order.id.in_(request.order_ids))
    if request.service_level is not None:
        clauses.append(Order.service_level == request.service_level)
    if request.priority is not None:
        exact = request.exact_priority
        clauses.append(
            Order.priority == request.priority if exact else Order.priority <= request.priority
        )
    if request.zone is not None:
        outside = exists().where(
            OrderLine.order_id == Order.id,
            Allocation.order_line_id == OrderLine.id,
            Allocation.status == "active",
            StockLevel.id == Allocation.stock_level_id,
            Location.id == StockLevel.location_id,
            ~_in_zone(request.zone),
        )
        clauses.append(~outside.correlate(Order))
    return clauses


def _has_open_task() -> Exists:
    """Order-level EXISTS: a task still to pick whose reservation still stands."""
    return (
        exists()
        .where(
            OrderLine.order_id == Order.id,
            PickTask.order_line_id == OrderLine.id,
            PickTask.status == "open",
            Allocation.id == PickTask.allocation_id,
            Allocation.status == "active",
        )
        .correlate(Order)
    )


def _busy(session: Session, matching: list[ColumnElement[bool]]) -> list[tuple[int, SkippedOrder]]:
    """Matching orders at a packing station or still on an open or claimed list."""
    on_list = (
        select(func.min(PickList.number))
        .join(PickTask, PickTask.pick_list_id == PickList.id)
        .join(OrderLine, OrderLine.id == PickTask.order_line_id)
        .join(Allocation, Allocation.id == PickTask.allocation_id)
        .where(
            OrderLine.order_id == Order.id,
            PickTask.status == "open",
            Allocation.status == "active",
        )
        .correlate(Order)
        .scalar_subquery()
    )
    rows = session.execute(
        select(Order.id, Order.number, Order.packing_station, on_list)
        .where(*matching, or_(Order.packing_station.is_not(None), _has_open_task()))
        .order_by(Order.id)
    )
    return [
        (order_id, SkippedOrder(number, f"being packed at {station}"))
        if station is not None
        else (order_id, SkippedOrder(number, f"already on {list_number}"))
        for order_id, number, station, list_number in rows
    ]


def _untasked_stops(session: Session, order_ids: list[int]) -> dict[int, list[Stop]]:
    """The active reservations of `order_ids` no task covers yet, per order."""
    stops: dict[int, list[Stop]] = defaultdict(list)
    rows = session.execute(
        select(
            OrderLine.order_id,
            Allocation.id,
            OrderLine.id,
            StockLevel.product_id,
            Location.id,
            Location.code,
            Location.pick_sequence,
            Allocation.quantity,
        )
        .join(OrderLine, OrderLine.id == Allocation.order_line_id)
        .join(StockLevel, StockLevel.id == Allocation.stock_level_id)
        .join(Location, Location.id == StockLevel.location_id)
        .where(
            OrderLine.order_id.in_(order_ids),
            Allocation.status == "active",
            ~exists().where(PickTask.allocation_id == Allocation.id),
        )
        .order_by(Allocation.id)
    )
    for order_id, allocation_id, line_id, product_id, location_id, code, seq, qty in rows:
        stops[order_id].append(
            Stop(allocation_id, line_id, product_id, location_id, code, seq, qty)
        )
    return stops


def _insert(
    session: Session, actor: Actor, plans: list[PlannedList], numbers: dict[int, str]
) -> list[BuiltList]:
    """The lists and their tasks, numbered, audited; what was made, in plan order."""
    values = take_numbers(session, "pick_list", len(plans))
    now = utcnow()
    list_ids = insert_returning_ids(
        session,
        PickList,
        [
            {"number": pick_list_number(v), "status": "open", "kind": p.kind, "created_at": now}
            for v, p in zip(values, plans, strict=True)
        ],
    )
    tasks = [
        {
            "pick_list_id": list_id,
            "order_line_id": t.stop.line_id,
            "allocation_id": t.stop.allocation_id,
            "location_id": t.stop.location_id,
            "product_id": t.stop.product_id,
            "sequence": seq,
            "quantity": t.stop.units,
            "qty_picked": 0,
            "tote": tote_code(value, t.tote_no) if t.tote_no else None,
            "status": "open",
        }
        for list_id, value, plan in zip(list_ids, values, plans, strict=True)
        for seq, t in enumerate(plan.tasks, 1)
    ]
    insert_rows(session, PickTask, tasks)
    audit = [
        audit_row(
            actor,
            "pick_list",
            list_id,
            "created",
            to_status="open",
            details={"kind": plan.kind, "orders": len(plan.order_ids)},
        )
        for list_id, plan in zip(list_ids, plans, strict=True)
    ]
    insert_rows(session, AuditEvent, audit)
    return [
        BuiltList(
            list_id,
            pick_list_number(value),
            plan.kind,
            tuple(numbers[order_id] for order_id in plan.order_ids),
            len(plan.tasks),
            sum(t.stop.units for t in plan.tasks),
        )
        for list_id, value, plan in zip(list_ids, values, plans, strict=True)
    ]


def _queue_printing(
    session: Session, lists: Sequence[BuiltList], printer: str, station: str
) -> tuple[int, ...]:
    """A PDF print job per list; the job keeps the list's number, so it prints the list
    as it stands then."""
    rows = [
        {
            "document": PRINT_DOCUMENT,
            "format": "pdf",
            "payload": built.number.encode(),
            "printer": printer,
            "station": station,
            "status": "pending",
            "attempts": 0,
        }
        for built in lists
    ]
    return tuple(insert_returning_ids(session, PrintJob, rows))


def printed_list_number(job: PrintJob) -> str:
    """The number of the list a `PRINT_DOCUMENT` job prints."""
    if job.payload is None:
        raise ValidationFailed(f"print job {job.id} names no pick list")
    return job.payload.decode()
