"""Stock in and out: every change is a ledger move and a balance update together."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.allocation import RESERVABLE_KINDS
from app.errors import StockShortage, ValidationFailed
from app.services.access import authorize
from app.services.audit import record
from app.services.receipt_allocation import Arrival, reach, serve
from app.services.receipts import SeenReceipt, claim
from db.engine import Database
from db.models import Location, Product, StockLevel, StockMove, Warehouse
from db.uow import run_in_transaction


@dataclass(frozen=True)
class StockCount:
    sku: str
    location: str
    quantity: int
    source: str = ""  # "file:line" for messages
    receipt: str = ""  # the delivery it belongs to: received once (`app.services.receipts`)


@dataclass
class StockChange:
    moves: int = 0
    units_in: int = 0
    units_out: int = 0
    products: set[int] = field(default_factory=set)
    locations_created: list[str] = field(default_factory=list)
    allocated: list[str] = field(default_factory=list)  # backorders served by a receipt
    receipts: list[str] = field(default_factory=list)  # receipt references taken in now
    already_received: list[SeenReceipt] = field(default_factory=list)  # left unchanged


def default_warehouse(session: Session) -> Warehouse:
    warehouse = session.scalars(select(Warehouse).order_by(Warehouse.id).limit(1)).first()
    if warehouse is None:
        warehouse = Warehouse(code="MAIN", name="Main warehouse")
        session.add(warehouse)
        session.flush()
    return warehouse


def ensure_location(session: Session, code: str, change: StockChange) -> Location:
    location = session.scalars(select(Location).where(Location.code == code)).first()
    if location is None:
        warehouse = default_warehouse(session)
        location = Location(
            warehouse_id=warehouse.id, code=code, kind="pick", pick_sequence=_sequence_for(code)
        )
        session.add(location)
        session.flush()
        change.locations_created.append(code)
    return location


def _sequence_for(code: str) -> int:
    """A walking order from a code such as A-01-02-B: aisle, rack, shelf, bin (the first
    four parts, so that it fits the column whatever the code)."""
    value = 0
    for part in code.upper().split("-")[:4]:
        number = part.isascii() and part.isdigit()
        digit = int(part) if number else sum(ord(c) - 64 for c in part if c.isalpha())
        value = value * 100 + min(digit, 99)
    return value


def lock_levels(
    session: Session, pairs: set[tuple[int, int]], *, reservable_of: Iterable[int] = ()
) -> dict[tuple[int, int], StockLevel]:
    """Lock the stock rows for (product, location) pairs, in id order, at once, creating
    the missing ones. Taking them one by one in input order could deadlock against
    allocation. The rows orders may reserve of the products in `reservable_of` (a
    receipt about to allocate) are locked in the same pass."""
    product_ids = sorted({p for p, _ in pairs})
    rows = session.execute(
        select(StockLevel.id, StockLevel.product_id, StockLevel.location_id)
        .where(StockLevel.product_id.in_(product_ids))
        .order_by(StockLevel.id)
    ).all()
    wanted = {level_id for level_id, p, loc in rows if (p, loc) in pairs}
    if reservable_of:
        wanted.update(
            session.scalars(
                select(StockLevel.id)
                .join(Location, Location.id == StockLevel.location_id)
                .where(
                    StockLevel.product_id.in_(sorted(set(reservable_of))),
                    Location.kind.in_(RESERVABLE_KINDS),
                    Location.active.is_(True),
                )
            )
        )
    locked = {
        (level.product_id, level.location_id): level
        for level in session.scalars(
            select(StockLevel)
            .where(StockLevel.id.in_(sorted(wanted)))
            .order_by(StockLevel.id)
            .with_for_update()
        )
        if (level.product_id, level.location_id) in pairs
    }
    for product_id, location_id in sorted(pairs - locked.keys()):
        level = StockLevel(product_id=product_id, location_id=location_id, on_hand=0, reserved=0)
        session.add(level)
        locked[product_id, location_id] = level
    session.flush()
    return locked


def move(
    session: Session,
    actor: Actor,
    level: StockLevel,
    quantity: int,
    kind: str,
    *,
    reason: str | None = None,
    order_id: int | None = None,
) -> StockMove:
    """Change on hand by `quantity` and write the ledger row that explains it."""
    if level.on_hand + quantity < level.reserved:
        raise StockShortage(
            f"cannot take {-quantity} from location stock {level.id}: "
            f"{level.reserved} of {level.on_hand} are reserved for orders"
        )
    level.on_hand += quantity
    ledger = StockMove(
        product_id=level.product_id,
        location_id=level.location_id,
        quantity=quantity,
        kind=kind,
        reason=reason,
        order_id=order_id,
        user_id=actor.user_id,
        station=actor.station,
    )
    session.add(ledger)
    return ledger


def _resolve(session: Session, counts: Sequence[StockCount]) -> dict[str, int]:
    skus = {c.sku for c in counts}
    products = dict(
        session.execute(select(Product.sku, Product.id).where(Product.sku.in_(skus))).all()
    )
    problems = [
        f"{c.source or c.sku}: sku: unknown SKU {c.sku}" for c in counts if c.sku not in products
    ]
    problems += [
        f"{c.source or c.sku}: quantity: must not be negative ({c.quantity})"
        for c in counts
        if c.quantity < 0
    ]
    if problems:
        raise ValidationFailed(f"{len(problems)} problem(s); nothing changed", problems)
    return products


def apply_counts(
    db: Database,
    actor: Actor,
    counts: Sequence[StockCount],
    *,
    receive: bool = False,
    reason: str = "stock take",
) -> StockChange:
    """Set counted quantities (a stock take), or add them as receipts when `receive`:
    counts of a receipt already received are left out and named in the change."""
    return run_in_transaction(
        db, lambda session: _apply(session, actor, counts, receive=receive, reason=reason)
    )


def receive_and_allocate(db: Database, actor: Actor, counts: Sequence[StockCount]) -> StockChange:
    """Receive stock and, in the same transaction, allocate the waiting orders it can
    serve (`receipt_allocation`): both happen, or neither."""
    return run_in_transaction(
        db, lambda session: _apply(session, actor, counts, receive=True, allocate=True)
    )


def _apply(
    session: Session,
    actor: Actor,
    counts: Sequence[StockCount],
    *,
    receive: bool,
    reason: str = "stock take",
    allocate: bool = False,
) -> StockChange:
    authorize(session, actor, "stock.receive" if receive else "stock.adjust")
    products = _resolve(session, counts)
    change = StockChange()
    todo = _new_receipts(session, actor, counts, change) if receive else counts
    locations = {c.location: ensure_location(session, c.location, change) for c in todo}
    reached = (
        reach(
            session, [Arrival(products[c.sku], locations[c.location].id, c.quantity) for c in todo]
        )
        if allocate
        else None
    )
    levels = lock_levels(
        session,
        {(products[c.sku], locations[c.location].id) for c in todo},
        reservable_of=reached.products if reached else (),
    )
    for count in todo:
        level = levels[products[count.sku], locations[count.location].id]
        delta = count.quantity if receive else count.quantity - level.on_hand
        if delta == 0:
            continue
        if level.on_hand + delta < level.reserved:
            raise StockShortage(
                f"{count.source or count.sku}: {count.sku} at {count.location} counted "
                f"{count.quantity} but {level.reserved} are reserved for orders; "
                "release or re-allocate them first"
            )
        move(
            session,
            actor,
            level,
            delta,
            "receipt" if receive else "adjustment",
            reason=(f"receipt {count.receipt}" if count.receipt else None) if receive else reason,
        )
        change.moves += 1
        change.products.add(level.product_id)
        if delta > 0:
            change.units_in += delta
        else:
            change.units_out -= delta
    record(
        session,
        actor,
        "stock",
        0,
        "received" if receive else "counted",
        details={
            "moves": change.moves,
            "in": change.units_in,
            "out": change.units_out,
            "receipts": change.receipts,
            "already_received": [seen.reference for seen in change.already_received],
        },
    )
    if reached is not None:
        session.flush()
        result = serve(session, actor, reached)
        change.allocated = result.allocated + result.partially_allocated
    return change


def _new_receipts(
    session: Session, actor: Actor, counts: Sequence[StockCount], change: StockChange
) -> list[StockCount]:
    """The counts of receipts not received before (and those without a reference)."""
    by_receipt: dict[str, list[StockCount]] = {}
    for count in counts:
        by_receipt.setdefault(count.receipt, []).append(count)
    fresh = list(by_receipt.pop("", []))
    for reference, group in by_receipt.items():
        seen = claim(session, actor, reference, group)
        if seen is None:
            fresh += group
            change.receipts.append(reference)
        else:
            change.already_received.append(seen)
    return fresh
