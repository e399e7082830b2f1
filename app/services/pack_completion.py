"""Finishing a pack: shipment, packages with SSCCs, a tracking number, label and slip
queued for printing, and the order moved to packed - all in one transaction. A station
that packs and dispatches at once (`dispatch=True`) ships the parcel in that same
transaction: its stock leaves, and the "shipped" e-mail is queued.

Core statements on purpose, like dispatch: this runs for every parcel, and each
statement is a round trip on PostgreSQL, so what the unit of work knows is not read
again (tests/services/test_fulfil_statements.py pins the count).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, bindparam, delete, exists, select, update
from sqlalchemy.exc import NoResultFound
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.gtin import make_sscc
from app.domain.order_workflow import OrderStatus
from app.domain.site_settings import sscc_serial_digits
from app.domain.weight_check import WeightTolerance, check_weight
from app.dto import PackageView, PackResult
from app.errors import ConcurrencyConflict, InvalidTransition, NotFound, ValidationFailed
from app.services import search_index
from app.services.access import AUTHORITY, authorize, authorize_read
from app.services.audit import (
    Move,
    OrderRef,
    audit_row,
    lock_row_by_reference,
    lock_statements,
    move_order,
)
from app.services.carrier_booking import Booking, book_tracking_numbers
from app.services.customer_updates import shipped_context, shipped_line
from app.services.notifications import RECIPIENT, MessageRequest, queue_messages
from app.services.numbering import take_numbers
from app.services.packing import PACKABLE
from app.services.print_queue import Destinations, queue_shipment_documents, with_destinations
from app.services.shipping import (
    ShipLine,
    lock_allocated_stock,
    shipped_moves,
    take_stock_out,
)
from app.services.site_readiness import SetupIncomplete, require_ready_to_pack
from app.services.supervisors import supervisor_by_badge
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
    Setting,
    Shipment,
)
from db.pipeline import pipelined
from db.types import utcnow
from db.uow import run_in_transaction

LINES = table_of(OrderLine)
_PRODUCTS = table_of(Product)
_TASKS = table_of(PickTask)
_PROGRESS = table_of(PackingProgress)
_SETTINGS = table_of(Setting)
SITE_KEYS = (
    "gs1.company_prefix",
    "sscc.extension_digit",
    "sscc.serial_end",
    "pack.weight_tolerance_percent",
    "pack.weight_tolerance_g",
    "label.format",
)
# Built once: these run for every parcel packed. The order is locked with the site's
# packing settings, the station's printers, the e-mail's recipient and the actor's
# authority read in the same statement.
_SITE_VALUES = tuple(
    select(_SETTINGS.c.value).where(_SETTINGS.c.key == key).scalar_subquery().label(key)
    for key in SITE_KEYS
)
_LOCKS = lock_statements(
    lambda query: with_destinations(query.add_columns(*_SITE_VALUES, *RECIPIENT, *AUTHORITY))
)
_LOCK_BY_ID = _LOCKS[0]
_OPEN_LINES = (
    select(
        LINES.c.id,
        LINES.c.sku,
        LINES.c.name,
        LINES.c.product_id,
        (LINES.c.qty_allocated - LINES.c.qty_packed).label("open_units"),
        _PRODUCTS.c.weight_g,
        LINES.c.qty_ordered - LINES.c.qty_handled_elsewhere,  # the units to ship from here
        LINES.c.qty_allocated,
        LINES.c.qty_shipped,
        exists().where(_TASKS.c.order_line_id == LINES.c.id, _TASKS.c.status == "open"),
    )
    .outerjoin(_PRODUCTS, _PRODUCTS.c.id == LINES.c.product_id)
    .where(LINES.c.order_id == bindparam("order_id"))
    .order_by(LINES.c.line_no)
)
_PACK_LINE = (
    update(LINES)
    .where(LINES.c.id == bindparam("b_id"))
    .values(
        qty_packed=LINES.c.qty_packed + bindparam("b_qty"),
        qty_picked=LINES.c.qty_packed + bindparam("b_qty"),  # picked at pack time if not yet
    )
)
_PACK_AND_SHIP_LINE = _PACK_LINE.values(qty_shipped=LINES.c.qty_shipped + bindparam("b_qty"))
_CLOSE_PICK_TASKS = (
    update(_TASKS)
    .where(
        _TASKS.c.order_line_id.in_(bindparam("line_ids", expanding=True)), _TASKS.c.status == "open"
    )
    .values(status="done", qty_picked=_TASKS.c.quantity)
)
_SCANNED = select(_PROGRESS.c.order_line_id, _PROGRESS.c.qty_scanned, _PROGRESS.c.serials).where(
    _PROGRESS.c.order_id == bindparam("order_id")
)
_FORGET_PROGRESS = delete(_PROGRESS).where(_PROGRESS.c.order_id == bindparam("order_id"))
NO_GS1_PREFIX = (
    "no GS1 company prefix is set for the SSCC - Settings > Labels and GS1 "
    "(or `settings set gs1.company_prefix 1234567`); nothing was packed"
)


@dataclass(frozen=True)
class PackageSpec:
    box_code: str | None = None
    weight_g: int | None = None  # measured; None = the expected weight is printed
    items: dict[int, int] | None = None  # order line id -> units; None = everything


class WeightRefused(ValidationFailed):
    """A measured weight outside the tolerance; a supervisor's badge may override it."""


@dataclass(frozen=True)
class _Site:
    gs1_prefix: str
    extension_digit: int
    last_serial: int
    tolerance: WeightTolerance
    label_format: str

    @classmethod
    def load(cls, session: Session, locked: Row[Any]) -> _Site:
        """The settings packing needs, as read with the order's lock; a site not set up
        hears everything it lacks."""
        values = {key: locked._mapping[key] for key in SITE_KEYS}
        prefix = values["gs1.company_prefix"] or ""
        if not prefix:
            require_ready_to_pack(session)
            raise SetupIncomplete(NO_GS1_PREFIX)
        room = 10 ** sscc_serial_digits(prefix) - 1
        return cls(
            prefix,
            int(values["sscc.extension_digit"] or 0),
            int(values["sscc.serial_end"] or room),
            WeightTolerance(
                Decimal(values["pack.weight_tolerance_percent"] or "10"),
                int(values["pack.weight_tolerance_g"] or 50),
            ),
            values["label.format"] or "pdf",
        )


@dataclass(frozen=True)
class _Line:
    id: int
    sku: str
    name: str
    product_id: int | None
    open_units: int  # allocated, not yet packed
    weight_g: int | None  # of one unit, None when the catalogue has no weight
    here: int  # the units to ship from here
    allocated: int
    shipped: int
    open_tasks: bool  # a pick list still holds an open task for it


def complete_packing(
    db: Database,
    actor: Actor,
    order_id: int,
    packages: Sequence[PackageSpec],
    *,
    label_format: str | None = None,
    weight_override_badge: str | None = None,
    dispatch: bool = False,
) -> PackResult:
    """Close a scan-verified pack: every expected unit must have been scanned.

    A measured weight outside the site's tolerance is refused (WeightRefused) unless
    `weight_override_badge` is an active supervisor's badge; the override is audited.
    `dispatch` ships the parcels in the same transaction (pack and dispatch at once).
    """

    def work(session: Session) -> PackResult:
        params = {"order_id": order_id, **_lock_params(actor)}
        locked = _lock_authorized(
            session,
            actor,
            ("pack", *(("ship",) if dispatch else ())),
            lambda: session.connection().execute(_LOCK_BY_ID, params).one(),
        )
        order = OrderRef.of(locked)
        if order.packing_station != actor.station:
            raise ConcurrencyConflict(
                order.busy_message
                if order.packing_station
                else f"{order.number} is no longer open at this station"
            )
        progress = session.connection().execute(_SCANNED, {"order_id": order.id}).all()
        scanned = {line_id: qty for line_id, qty, _ in progress}
        serials = {line_id: list(found or []) for line_id, _, found in progress}
        return _finish(
            session,
            actor,
            locked,
            scanned,
            packages,
            label_format,
            verified=True,
            dispatch=dispatch,
            serials=serials,
            override_badge=weight_override_badge,
        )

    return run_in_transaction(db, work)


def pack_unverified(
    db: Database,
    actor: Actor,
    reference: str,
    *,
    box_code: str | None = None,
    weight_g: int | None = None,
    label_format: str | None = None,
    accept_weight: bool = False,
    dispatch: bool = False,
) -> PackResult:
    """Pack everything allocated without scanning (supervisor: B2B pallets, automation).

    `accept_weight` takes a weight outside the tolerance on the supervisor's word (audited).
    `dispatch` ships the parcel in the same transaction (pack and dispatch at once).
    """

    def work(session: Session) -> PackResult:
        locked = _lock_authorized(
            session,
            actor,
            ("pack.unverified", *(("ship",) if dispatch else ())),
            lambda: lock_row_by_reference(session, reference, _LOCKS, _lock_params(actor)),
        )
        order = OrderRef.of(locked)
        if order.packing_station not in (None, actor.station):
            raise ConcurrencyConflict(order.busy_message)
        spec = PackageSpec(box_code=box_code, weight_g=weight_g)
        return _finish(
            session,
            actor,
            locked,
            None,
            [spec],
            label_format,
            verified=False,
            dispatch=dispatch,
            override_badge=None,
            accept_weight=accept_weight,
        )

    return run_in_transaction(db, work)


def _lock_params(actor: Actor) -> dict[str, Any]:
    return {"station": actor.station, "user_id": actor.user_id}


def _lock_authorized(
    session: Session, actor: Actor, actions: tuple[str, ...], lock: Callable[[], Row[Any]]
) -> Row[Any]:
    """The order's row from `lock()` (a statement of `_LOCKS`), once `actor` may do
    `actions`, decided from the authority read with it. Who may not hears that before
    hearing the order is not there, as when the check was a statement of its own."""
    try:
        locked = lock()
    except (NotFound, NoResultFound):
        authorize(session, actor, *actions)
        raise
    authorize_read(locked, actor, *actions)
    return locked


def _finish(
    session: Session,
    actor: Actor,
    locked: Row[Any],
    scanned: dict[int, int] | None,
    packages: Sequence[PackageSpec],
    label_format: str | None,
    *,
    verified: bool,
    dispatch: bool,
    serials: dict[int, list[str]] | None = None,
    override_badge: str | None,
    accept_weight: bool = False,
) -> PackResult:
    """Pack `scanned` units per line (None: every open unit, unverified); scanned serial
    numbers go into the packages one unit each, so a serial can never ship twice.
    `locked` is the order's row as read by a statement of `_LOCKS`."""
    order = OrderRef.of(locked)
    if order.status not in PACKABLE:
        raise InvalidTransition(
            f"{order.number} is {order.status.replace('_', ' ')}; "
            "only allocated orders can be packed"
        )
    conn = session.connection()
    site = _Site.load(session, locked)
    lines = {row.id: _Line(*row) for row in conn.execute(_OPEN_LINES, {"order_id": order.id})}
    units = {i: line.open_units for i, line in lines.items()} if scanned is None else scanned
    _check_all_scanned(order, lines, units)
    contents = _split(packages, {k: v for k, v in units.items() if v > 0})
    boxes = _boxes(session, packages)
    expected = [
        _expected_weight(lines, items, boxes.get(spec.box_code or ""))
        for spec, items in zip(packages, contents, strict=True)
    ]
    overrides, override_audit = _weigh(
        session, actor, order, packages, expected, site, override_badge, accept_weight
    )
    weights = tuple(
        spec.weight_g or _estimate_weight(lines, items, boxes.get(spec.box_code or ""))
        for spec, items in zip(packages, contents, strict=True)
    )
    sscc_serials = take_numbers(session, "sscc", len(packages))
    if sscc_serials[-1] > site.last_serial:
        raise SetupIncomplete(
            f"the SSCC serial range is exhausted (last serial {site.last_serial}) - widen "
            "sscc.serial_end or get a new GS1 prefix in Settings > Labels and GS1; "
            "nothing was packed"
        )
    booking = book_tracking_numbers(session, order.service_level, len(packages))
    now = utcnow()
    shipment_id = insert_returning_ids(
        session,
        Shipment,
        [
            {
                "order_id": order.id,
                "carrier": booking.carrier,
                "service_level": order.service_level,
                "tracking_number": booking.numbers[0],
                "status": "shipped" if dispatch else "packed",
                "verified": verified,
                "packed_by": actor.username,
                "packed_station": actor.station,
                "packed_at": now,
                "shipped_at": now if dispatch else None,
            }
        ],
    )[0]
    package_rows = [
        {
            "shipment_id": shipment_id,
            "seq": seq,
            "sscc": make_sscc(site.extension_digit, site.gs1_prefix, serial),
            "box_code": spec.box_code,
            "weight_g": weight,
            "tracking_number": tracking,
        }
        for seq, (spec, weight, serial, tracking) in enumerate(
            zip(packages, weights, sscc_serials, booking.numbers, strict=True), 1
        )
    ]
    package_ids = insert_returning_ids(session, Package, package_rows)
    stock = lock_allocated_stock(session, order.id) if dispatch else ()
    with pipelined(session):  # nothing below is read back: one round trip on PostgreSQL
        search_index.add_tracking_numbers(session, order.id, booking.numbers)  # found by them
        insert_rows(session, PackageItem, _package_items(package_ids, contents, serials or {}))
        # Picking is recorded at pack time when the packer picked the order himself.
        conn.execute(
            _PACK_AND_SHIP_LINE if dispatch else _PACK_LINE,
            [{"b_id": k, "b_qty": v} for k, v in sorted(units.items()) if v],
        )
        if any(line.open_tasks for line in lines.values()):
            conn.execute(_CLOSE_PICK_TASKS, {"line_ids": list(lines)})
        if scanned is not None:
            conn.execute(_FORGET_PROGRESS, {"order_id": order.id})
        if dispatch:
            take_stock_out(session, actor, order.id, units, stock)
            _queue_shipped_message(session, actor, locked, booking, lines.values(), units)
    moves = [
        Move(
            OrderStatus.PACKED,
            "packed",
            details={
                "verified": verified,
                "packages": len(packages),
                "tracking": booking.numbers[0],
                "carrier": booking.carrier,
                "service": booking.service,
                **({"weight_override": overrides} if overrides else {}),
            },
        )
    ]
    if dispatch:
        moves += shipped_moves(
            ShipLine(line.id, line.here, line.allocated, line.shipped + units.get(line.id, 0))
            for line in lines.values()
        )
    move_order(session, order, moves, actor, release_packing=True, also_audit=override_audit)
    jobs = queue_shipment_documents(
        session,
        order.id,
        shipment_id,
        Destinations.of(locked, actor.station),
        label_format or site.label_format,
    )
    views = tuple(
        PackageView(seq, str(row["sscc"]), spec.box_code, weight)
        for seq, (row, spec, weight) in enumerate(
            zip(package_rows, packages, weights, strict=True), 1
        )
    )
    return PackResult(order.number, shipment_id, booking.numbers[0], views, jobs)


def _queue_shipped_message(
    session: Session,
    actor: Actor,
    locked: Row[Any],
    booking: Booking,
    lines: Iterable[_Line],
    units: dict[int, int],
) -> None:
    """The "shipped" e-mail of the one shipment packed, from what packing has read: the
    recipient with the order's lock, the carrier with its numbers (what
    `queue_shipped_messages` reads back for a dispatch of its own)."""
    context = shipped_context(booking.carrier_name, booking.tracking_url, booking.numbers[0])
    context["shipped_lines"] = [
        shipped_line(line.sku, line.name, units[line.id]) for line in lines if units.get(line.id)
    ]
    message = MessageRequest(locked.id, "shipped", context)
    queue_messages(
        session, [message], actor=actor, recipients={locked.id: locked}, returning_ids=False
    )


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


def _weigh(
    session: Session,
    actor: Actor,
    order: OrderRef,
    packages: Sequence[PackageSpec],
    expected: Sequence[int | None],
    site: _Site,
    override_badge: str | None,
    accept_weight: bool,
) -> tuple[list[str], list[dict[str, Any]]]:
    """Refuse a measured weight outside the tolerance, unless a supervisor overrides it;
    the overridden verdicts (for the "packed" audit row) and the override's audit row."""
    refused = [
        verdict.message
        for spec, weight in zip(packages, expected, strict=True)
        if spec.weight_g is not None
        and not (verdict := check_weight(weight, spec.weight_g, site.tolerance)).accepted
    ]
    if not refused:
        return [], []
    if accept_weight:
        return refused, []
    if override_badge is None:
        raise WeightRefused(refused[0], refused[1:])
    supervisor = supervisor_by_badge(session, override_badge)
    override = audit_row(
        actor,
        "order",
        order.id,
        "weight_override",
        reason="; ".join(refused),
        details={"supervisor": supervisor, "badge": override_badge},
    )
    return refused, [override]


def _expected_weight(
    lines: dict[int, _Line], items: dict[int, int], tare_g: int | None
) -> int | None:
    """What the parcel should weigh; None when a product has no weight in the catalogue,
    so a correct parcel is never refused for a weight nobody knows."""
    if any(lines[line_id].weight_g is None for line_id in items):
        return None
    return _estimate_weight(lines, items, tare_g)


def _estimate_weight(lines: dict[int, _Line], items: dict[int, int], tare_g: int | None) -> int:
    """The weight to print when nothing was weighed: unknown products count 0 g."""
    total = (tare_g or 0) + sum(
        (lines[line_id].weight_g or 0) * qty for line_id, qty in items.items()
    )
    return max(total, 1)
