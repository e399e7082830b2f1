"""`verify` on both databases: silent after real work, and for every rule it claims, a
tampered copy of a real warehouse in which `verify` names the order (or stock row) and
the rule.

The warehouse is built once per database through the services - demo orders allocated,
packed, shipped whole and in part, packed again, cancelled before and after packing,
held - and every test tampers with its own copy. The corruptions are plain SQL, the way a
bad script, a manual fix in a database console or a bug that bypasses the services
would write them; each breaks one fact, and the test lists every rule that fact is
part of (mostly one).
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.returns import Condition, Disposition, ReceiptItem
from app.services.demo_data import load_demo
from app.services.integrity import RULES, verify
from app.services.inventory import StockCount, receive_and_allocate
from app.services.order_actions import cancel_order, hold_order
from app.services.orders import list_orders, order_detail
from app.services.pack_completion import pack_unverified
from app.services.returns import authorise_return, receive_return
from app.services.shipping import ship_order
from db.engine import Database, open_database
from db.models import (
    Allocation,
    Location,
    Order,
    OrderLine,
    Package,
    PackageItem,
    Product,
    Return,
    ReturnLine,
    ReturnReceipt,
    Shipment,
    StockLevel,
    StockMove,
)
from db.schema import upgrade
from db.uow import read
from tests.scratch_databases import scratch_pg_database

ACTOR = Actor(username="tester", station="test-station")


@dataclass(frozen=True)
class Busy:
    """Order numbers of the warehouse's orders, one per state worth tampering with."""

    shipped: str  # shipped whole; one unit came back on a return and was restocked
    shipped_plain: str  # shipped whole
    packed: str  # packed, its parcel waiting to leave
    repacked: str  # shipped in part, the rest received, allocated and packed again
    part_shipped: str  # shipped in part, the rest backordered
    voided: str  # packed, then cancelled: its parcel voided
    cancelled: str  # cancelled while allocated
    held: str  # held while allocated
    risk_held: str  # held at intake
    allocated: str
    backordered: str


def build(db: Database) -> Busy:
    """A morning's work on the demo warehouse, through the services."""
    load_demo(db, ACTOR, orders=40, skus=20, seed=11, returns=False, history=False)
    allocated = [r.number for r in list_orders(db, status="allocated", limit=100)][::-1]
    short = {n for n in allocated if any(ln.qty_allocated < ln.qty_ordered for ln in lines(db, n))}
    whole = [n for n in allocated if n not in short]
    repacked, part_shipped = sorted(short)[:2]
    for number in (*whole[:4], repacked):
        pack_unverified(db, ACTOR, number)
    for number in (*whole[:2], repacked):
        ship_order(db, ACTOR, number)
    missing = next(ln.sku for ln in lines(db, repacked) if ln.qty_allocated < ln.qty_ordered)
    receive_and_allocate(db, ACTOR, [StockCount(missing, "Z-01-01-A", 50)])
    assert status(db, repacked) == "allocated"
    pack_unverified(db, ACTOR, repacked)
    pack_unverified(db, ACTOR, part_shipped)
    ship_order(db, ACTOR, part_shipped)
    cancel_order(db, ACTOR, whole[3], "customer changed their mind")
    cancel_order(db, ACTOR, whole[4], "duplicate order")
    hold_order(db, ACTOR, whole[5], "address check")
    busy = Busy(
        shipped=whole[0],
        shipped_plain=whole[1],
        packed=whole[2],
        repacked=repacked,
        part_shipped=part_shipped,
        voided=whole[3],
        cancelled=whole[4],
        held=whole[5],
        risk_held=list_orders(db, status="on_hold", limit=1)[0].number,
        allocated=whole[6],
        backordered=list_orders(db, status="backordered", limit=1)[0].number,
    )
    _return_one_unit(db, busy.shipped)
    assert status(db, busy.part_shipped) == "backordered"
    assert status(db, busy.repacked) == "packed"
    assert verify(db) == []
    return busy


def _return_one_unit(db: Database, number: str) -> None:
    """One unit authorised and received back into the bin it shipped from, by the returns
    services (RMA-100001)."""
    sku = lines(db, number)[0].sku
    rma = authorise_return(db, ACTOR, number, {sku: 1}, "doesnt_fit").number
    receive_return(db, ACTOR, rma, [ReceiptItem(sku, 1, Condition.SELLABLE, Disposition.RESTOCK)])


def lines(db: Database, number: str) -> list[Any]:
    return list(order_detail(db, number).lines)


def status(db: Database, number: str) -> str:
    return order_detail(db, number).status


def one(db: Database, stmt: Any) -> Any:
    return read(db, lambda s: s.execute(stmt).first())


def line_of(db: Database, number: str) -> Any:
    """The first line of an order: id, line_no, sku and its quantities."""
    return one(
        db,
        select(OrderLine)
        .join(Order, Order.id == OrderLine.order_id)
        .where(Order.number == number)
        .order_by(OrderLine.line_no),
    )[0]


def order_id(db: Database, number: str) -> int:
    return int(one(db, select(Order.id).where(Order.number == number))[0])


def allocation_of(db: Database, number: str, state: str) -> Any:
    """An allocation of the order in `state`, with its stock row's product, bin and SKU."""
    return one(
        db,
        select(
            Allocation.id,
            Allocation.quantity,
            Allocation.stock_level_id,
            StockLevel.product_id,
            StockLevel.location_id,
            Product.sku,
            Location.code,
            OrderLine.line_no,
            OrderLine.sku.label("line_sku"),
        )
        .join(OrderLine, OrderLine.id == Allocation.order_line_id)
        .join(Order, Order.id == OrderLine.order_id)
        .join(StockLevel, StockLevel.id == Allocation.stock_level_id)
        .join(Product, Product.id == StockLevel.product_id)
        .join(Location, Location.id == StockLevel.location_id)
        .where(Order.number == number, Allocation.status == state)
        .order_by(Allocation.id),
    )


@dataclass(frozen=True)
class Level:
    id: int
    product_id: int
    location_id: int
    sku: str
    code: str
    on_hand: int
    reserved: int

    @property
    def where(self) -> str:
        return f"stock {self.sku} at {self.code}"


def levels(db: Database) -> list[Level]:
    def work(session: Session) -> list[Level]:
        rows = session.execute(
            select(
                StockLevel.id,
                StockLevel.product_id,
                StockLevel.location_id,
                Product.sku,
                Location.code,
                StockLevel.on_hand,
                StockLevel.reserved,
            )
            .join(Product, Product.id == StockLevel.product_id)
            .join(Location, Location.id == StockLevel.location_id)
            .order_by(StockLevel.id)
        )
        return [Level(*row) for row in rows]

    return read(db, work)


def a_level(db: Database, test: Callable[[Level], bool]) -> Level:
    return next(level for level in levels(db) if test(level))


def change(db: Database, *statements: Any) -> None:
    """Tamper: run the statements in one transaction, bypassing every service."""
    with db.engine.begin() as conn:
        for statement in statements:
            conn.execute(statement)


def parcel_of(db: Database, number: str, state: str) -> Any:
    return one(
        db,
        select(Shipment.id, Package.id.label("package_id"))
        .join(Package, Package.shipment_id == Shipment.id)
        .join(Order, Order.id == Shipment.order_id)
        .where(Order.number == number, Shipment.status == state),
    )


# -- one copy of the warehouse per test, on each database ----------------------------------


@pytest.fixture(scope="module")
def sqlite_warehouse(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Busy]:
    path = tmp_path_factory.mktemp("warehouse") / "warehouse.db"
    shutil.copy(sqlite_template, path)
    db = open_database(f"sqlite:///{path}", station="test")
    try:
        return path, build(db)
    finally:
        db.dispose()


@pytest.fixture(scope="module")
def pg_warehouse(pg_url: str) -> Iterator[tuple[str, Busy]]:
    """A database built once and used as the template of each test's copy."""
    with scratch_pg_database(pg_url, "shipshape_warehouse") as url:
        db = open_database(url)
        try:
            upgrade(db)
            busy = build(db)
        finally:
            db.dispose()
        yield make_url(url).database or "", busy


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def warehouse(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Database, Busy]]:
    """A private copy of the busy warehouse, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        template, busy = request.getfixturevalue("sqlite_warehouse")
        path = tmp_path / "copy.db"
        shutil.copy(template, path)
        db = open_database(f"sqlite:///{path}", station="test")
        yield db, busy
        db.dispose()
        return
    template, busy = request.getfixturevalue("pg_warehouse")
    pg_url = request.getfixturevalue("pg_url")
    with scratch_pg_database(pg_url, "shipshape_copy", template=template) as url:
        db = open_database(url)
        yield db, busy
        db.dispose()


# -- the tampers: each breaks one fact and says what verify must print ----------------------

Tamper = Callable[[Database, Busy], list[str]]
TAMPERS: dict[str, Tamper] = {}


def tamper(name: str) -> Callable[[Tamper], Tamper]:
    def register(fn: Tamper) -> Tamper:
        TAMPERS[name] = fn
        return fn

    return register


@tamper("on hand changed behind the ledger's back")
def _on_hand(db: Database, busy: Busy) -> list[str]:
    level = a_level(db, lambda lv: lv.on_hand > 0)
    change(
        db, update(StockLevel).where(StockLevel.id == level.id).values(on_hand=level.on_hand + 7)
    )
    return [
        f"{level.where}: on hand {level.on_hand + 7} but ledger sums to {level.on_hand} [ledger]"
    ]


@tamper("a stock move without a stock update")
def _move_only(db: Database, busy: Busy) -> list[str]:
    level = a_level(db, lambda lv: lv.on_hand > 0)
    change(
        db,
        insert(StockMove).values(
            product_id=level.product_id, location_id=level.location_id, quantity=3, kind="receipt"
        ),
    )
    return [
        f"{level.where}: on hand {level.on_hand} but ledger sums to {level.on_hand + 3} [ledger]"
    ]


@tamper("a stock move to a bin without a stock row")
def _move_nowhere(db: Database, busy: Busy) -> list[str]:
    first, second = levels(db)[:2]  # demo products each live in their own bin
    change(
        db,
        insert(StockMove).values(
            product_id=first.product_id, location_id=second.location_id, quantity=4, kind="receipt"
        ),
    )
    return [
        f"stock {first.sku} at {second.code}: ledger sums to 4 but there is no stock row [ledger]"
    ]


@tamper("reserved changed without an allocation")
def _reserved(db: Database, busy: Busy) -> list[str]:
    level = a_level(db, lambda lv: lv.reserved < lv.on_hand)  # stays within the CHECK
    change(
        db, update(StockLevel).where(StockLevel.id == level.id).values(reserved=level.reserved + 1)
    )
    return [
        f"{level.where}: reserved {level.reserved + 1} but active allocations sum to "
        f"{level.reserved} [reserved]"
    ]


@tamper("a shipped unit with no ship move (written as an adjustment)")
def _ship_move_missing(db: Database, busy: Busy) -> list[str]:
    gone = allocation_of(db, busy.shipped_plain, "consumed")
    change(
        db,
        update(StockMove)
        .where(
            StockMove.order_id == order_id(db, busy.shipped_plain),
            StockMove.product_id == gone.product_id,
            StockMove.kind == "ship",
        )
        .values(kind="adjustment"),
    )
    return [
        f"order {busy.shipped_plain}: {gone.sku} at {gone.code}: allocations shipped "
        f"{gone.quantity} but ship moves took out 0 [ship-moves]"
    ]


@tamper("a ship move for an order that shipped nothing")
def _ship_move_extra(db: Database, busy: Busy) -> list[str]:
    level = a_level(db, lambda lv: lv.reserved < lv.on_hand)
    change(
        db,
        insert(StockMove).values(
            product_id=level.product_id,
            location_id=level.location_id,
            quantity=-1,
            kind="ship",
            order_id=order_id(db, busy.cancelled),
        ),
        update(StockLevel).where(StockLevel.id == level.id).values(on_hand=level.on_hand - 1),
    )
    return [
        f"order {busy.cancelled}: {level.sku} at {level.code}: allocations shipped 0 but ship "
        "moves took out 1 [ship-moves]"
    ]


@tamper("a return move restocking more than came back")
def _return_move(db: Database, busy: Busy) -> list[str]:
    move = one(db, select(StockMove).where(StockMove.kind == "return"))[0]
    sku = one(db, select(Product.sku).where(Product.id == move.product_id))[0]
    change(
        db,
        insert(StockMove).values(
            product_id=move.product_id,
            location_id=move.location_id,
            quantity=1,
            kind="return",
            order_id=move.order_id,
        ),
        update(StockLevel)
        .where(StockLevel.product_id == move.product_id, StockLevel.location_id == move.location_id)
        .values(on_hand=StockLevel.on_hand + 1),
    )
    extra = one(db, select(func.max(StockMove.id)).where(StockMove.kind == "return"))[0]
    return [
        f"order {busy.shipped}: {sku}: return moves put back 2 but 1 came back [return-moves]",
        f"stock move {extra} (order {busy.shipped}): is a return move that no return receipt "
        "explains [return-move-receipt]",
    ]


@tamper("a receipt naming a bin its move did not fill")
def _receipt_move(db: Database, busy: Busy) -> list[str]:
    receipt = one(db, select(ReturnReceipt))[0]
    other = a_level(db, lambda lv: lv.location_id != receipt.location_id)
    sku = lines(db, busy.shipped)[0].sku
    change(
        db,
        update(ReturnReceipt)
        .where(ReturnReceipt.id == receipt.id)
        .values(location_id=other.location_id),
    )
    return [
        f"return RMA-100001 {sku} receipt {receipt.id}: has no return move of its units, "
        "product, bin and order [receipt-move]"
    ]


def _set_status(db: Database, number: str, **values: Any) -> None:
    change(db, update(Order).where(Order.number == number).values(**values))


def _units(db: Database, number: str, field: str) -> int:
    return sum(getattr(line, field) for line in lines(db, number))


@tamper("cancelled order marked shipped, nothing shipped")
def _shipped_nothing(db: Database, busy: Busy) -> list[str]:
    _set_status(db, busy.cancelled, status="shipped")
    ordered = _units(db, busy.cancelled, "qty_ordered")
    return [f"order {busy.cancelled}: shipped, but 0 of {ordered} units are shipped [status-lines]"]


@tamper("part-shipped order marked shipped")
def _shipped_part(db: Database, busy: Busy) -> list[str]:
    _set_status(db, busy.part_shipped, status="shipped")
    shipped, ordered = (_units(db, busy.part_shipped, f) for f in ("qty_shipped", "qty_ordered"))
    return [
        f"order {busy.part_shipped}: shipped, but {shipped} of {ordered} units are shipped "
        "[status-lines]"
    ]


@tamper("shipped order marked new")
def _new_allocated(db: Database, busy: Busy) -> list[str]:
    _set_status(db, busy.shipped_plain, status="new")
    units = _units(db, busy.shipped_plain, "qty_allocated")
    return [f"order {busy.shipped_plain}: new, but {units} units are allocated [status-lines]"]


@tamper("shipped order marked backordered")
def _backordered_whole(db: Database, busy: Busy) -> list[str]:
    _set_status(db, busy.shipped_plain, status="backordered")
    units = _units(db, busy.shipped_plain, "qty_ordered")
    return [
        f"order {busy.shipped_plain}: backordered, but all {units} units are allocated "
        "[status-lines]"
    ]


@tamper("allocated order marked picked")
def _picked_unpicked(db: Database, busy: Busy) -> list[str]:
    _set_status(db, busy.allocated, status="picked")
    units = _units(db, busy.allocated, "qty_allocated")
    return [
        f"order {busy.allocated}: picked, but {units} allocated units are not picked [status-lines]"
    ]


@tamper("shipped order marked partially shipped")
def _partly_whole(db: Database, busy: Busy) -> list[str]:
    _set_status(db, busy.shipped_plain, status="partially_shipped")
    units = _units(db, busy.shipped_plain, "qty_ordered")
    return [
        f"order {busy.shipped_plain}: partially shipped, but {units} of {units} units are "
        "shipped [status-lines]"
    ]


@tamper("shipped order marked cancelled")
def _cancelled_shipped(db: Database, busy: Busy) -> list[str]:
    _set_status(db, busy.shipped_plain, status="cancelled")
    units = _units(db, busy.shipped_plain, "qty_ordered")
    return [
        f"order {busy.shipped_plain}: cancelled, but all {units} units were shipped [status-lines]"
    ]


@tamper("packed-again order marked allocated, its parcel still waiting")
def _allocated_packed(db: Database, busy: Busy) -> list[str]:
    _set_status(db, busy.repacked, status="allocated")
    packed, shipped = (_units(db, busy.repacked, f) for f in ("qty_packed", "qty_shipped"))
    return [
        f"order {busy.repacked}: allocated, but {packed - shipped} units are packed and not "
        "shipped [status-lines]",
        f"order {busy.repacked}: allocated, but 1 parcel(s) still wait to leave [status-parcels]",
    ]


@tamper("allocated order marked cancelled, stock still reserved")
def _cancelled_reserved(db: Database, busy: Busy) -> list[str]:
    _set_status(db, busy.allocated, status="cancelled")
    units = _units(db, busy.allocated, "qty_allocated")
    return [
        f"order {busy.allocated}: cancelled, but {units} units are still reserved for it "
        "[status-reservations]"
    ]


@tamper("backordered order marked allocated, nothing reserved")
def _allocated_unreserved(db: Database, busy: Busy) -> list[str]:
    _set_status(db, busy.backordered, status="allocated")
    return [
        f"order {busy.backordered}: allocated, but no unit is reserved for it [status-reservations]"
    ]


@tamper("a parcel waiting to leave for a shipped order")
def _parcel_left_behind(db: Database, busy: Busy) -> list[str]:
    change(
        db,
        insert(Shipment).values(
            order_id=order_id(db, busy.shipped_plain), carrier="demo", service_level="standard"
        ),
    )
    return [
        f"order {busy.shipped_plain}: shipped, but 1 parcel(s) still wait to leave [status-parcels]"
    ]


@tamper("a hold that forgot where it came from")
def _hold_without_origin(db: Database, busy: Busy) -> list[str]:
    _set_status(db, busy.risk_held, held_from=None)
    return [f"order {busy.risk_held}: on hold, but it would go back to nothing [hold]"]


@tamper("a shipped order remembering a hold")
def _hold_left_over(db: Database, busy: Busy) -> list[str]:
    _set_status(db, busy.shipped_plain, held_from="allocated")
    return [f"order {busy.shipped_plain}: shipped, but it remembers a hold from allocated [hold]"]


@tamper("a line's allocated units changed without an allocation")
def _line_allocated(db: Database, busy: Busy) -> list[str]:
    line = line_of(db, busy.allocated)
    change(
        db,
        update(OrderLine)
        .where(OrderLine.id == line.id)
        .values(qty_allocated=line.qty_allocated - 1),
    )
    return [
        f"order {busy.allocated} line {line.line_no} ({line.sku}): allocated "
        f"{line.qty_allocated - 1} but allocations sum to {line.qty_allocated} [line-allocations]"
    ]


@tamper("a deleted allocation")
def _allocation_deleted(db: Database, busy: Busy) -> list[str]:
    held = allocation_of(db, busy.allocated, "active")
    line = line_of(db, busy.allocated)
    level = a_level(db, lambda lv: lv.id == held.stock_level_id)
    change(db, delete(Allocation).where(Allocation.id == held.id))
    return [
        f"{level.where}: reserved {level.reserved} but active allocations sum to "
        f"{level.reserved - held.quantity} [reserved]",
        f"order {busy.allocated} line {line.line_no} ({line.sku}): allocated "
        f"{line.qty_allocated} but allocations sum to {line.qty_allocated - held.quantity} "
        "[line-allocations]",
    ]


@tamper("a shipped unit whose allocation was never consumed")
def _consumed(db: Database, busy: Busy) -> list[str]:
    gone = allocation_of(db, busy.shipped_plain, "consumed")
    line = line_of(db, busy.shipped_plain)
    change(
        db,
        update(Allocation).where(Allocation.id == gone.id).values(status="active"),
        update(StockLevel)
        .where(StockLevel.id == gone.stock_level_id)
        .values(reserved=StockLevel.reserved + gone.quantity),
    )
    assert (gone.line_no, gone.line_sku) == (line.line_no, line.sku)
    return [
        f"order {busy.shipped_plain}: {gone.sku} at {gone.code}: allocations shipped 0 but ship "
        f"moves took out {gone.quantity} [ship-moves]",
        f"order {busy.shipped_plain}: shipped, but {gone.quantity} units are still reserved for "
        "it [status-reservations]",
        f"order {busy.shipped_plain} line {line.line_no} ({line.sku}): shipped "
        f"{line.qty_shipped} but consumed allocations sum to {line.qty_shipped - gone.quantity} "
        "[line-consumed]",
    ]


@tamper("a parcel holding one unit more than was packed")
def _package_extra(db: Database, busy: Busy) -> list[str]:
    parcel = parcel_of(db, busy.packed, "packed")
    line = line_of(db, busy.packed)
    change(
        db,
        update(PackageItem)
        .where(PackageItem.package_id == parcel.package_id, PackageItem.order_line_id == line.id)
        .values(quantity=PackageItem.quantity + 1),
    )
    return [
        f"order {busy.packed} line {line.line_no} ({line.sku}): packed {line.qty_packed} but "
        f"parcels not voided hold {line.qty_packed + 1} [line-packages]"
    ]


@tamper("a waiting parcel marked shipped")
def _parcel_gone_early(db: Database, busy: Busy) -> list[str]:
    parcel = parcel_of(db, busy.repacked, "packed")
    change(db, update(Shipment).where(Shipment.id == parcel.id).values(status="shipped"))
    broken = [
        f"order {busy.repacked}: packed, but no parcel waits to leave [status-parcels]",
    ]
    for line in lines(db, busy.repacked):
        if line.qty_packed > line.qty_shipped:
            number = f"order {busy.repacked} line {_line_no(db, busy.repacked, line.sku)}"
            broken.append(
                f"{number} ({line.sku}): shipped {line.qty_shipped} but parcels that left "
                f"hold {line.qty_packed} [line-parcels-left]"
            )
    return broken


def _line_no(db: Database, number: str, sku: str) -> int:
    return int(
        one(
            db,
            select(OrderLine.line_no)
            .join(Order, Order.id == OrderLine.order_id)
            .where(Order.number == number, OrderLine.sku == sku),
        )[0]
    )


@tamper("a received return line forgotten")
def _return_received(db: Database, busy: Busy) -> list[str]:
    line = one(db, select(OrderLine).where(OrderLine.qty_returned > 0))[0]
    change(db, update(ReturnLine).values(qty_received=0))
    return [
        f"order {busy.shipped} line {line.line_no} ({line.sku}): returned 1 but its returns "
        "received 0 [line-returns]",
        f"return RMA-100001 {line.sku}: received 0 but its receipts hold 1 [return-receipts]",
    ]


@tamper("a return authorising more than was shipped")
def _return_too_big(db: Database, busy: Busy) -> list[str]:
    line = line_of(db, busy.shipped_plain)
    change(
        db, insert(Return).values(number="RMA-000002", order_id=order_id(db, busy.shipped_plain))
    )
    ret = one(db, select(Return.id).where(Return.number == "RMA-000002"))[0]
    change(
        db,
        insert(ReturnLine).values(
            return_id=ret, order_line_id=line.id, qty_authorised=line.qty_shipped + 1
        ),
    )
    return [
        f"order {busy.shipped_plain} line {line.line_no} ({line.sku}): open returns authorise "
        f"{line.qty_shipped + 1} but {line.qty_shipped} were shipped [returns-shipped]"
    ]


@tamper("an allocation moved to another product's stock")
def _allocation_product(db: Database, busy: Busy) -> list[str]:
    held = allocation_of(db, busy.allocated, "active")
    other = a_level(
        db,
        lambda lv: lv.product_id != held.product_id and lv.on_hand - lv.reserved >= held.quantity,
    )
    change(
        db,
        update(Allocation).where(Allocation.id == held.id).values(stock_level_id=other.id),
        update(StockLevel)
        .where(StockLevel.id == held.stock_level_id)
        .values(reserved=StockLevel.reserved - held.quantity),
        update(StockLevel)
        .where(StockLevel.id == other.id)
        .values(reserved=StockLevel.reserved + held.quantity),
    )
    return [
        f"order {busy.allocated} line {held.line_no} ({held.line_sku}): an allocation reserves "
        f"{other.sku} for it [allocation-product]"
    ]


@tamper("another order's line packed into a voided parcel")
def _parcel_order(db: Database, busy: Busy) -> list[str]:
    parcel = parcel_of(db, busy.voided, "voided")
    line = line_of(db, busy.allocated)
    change(
        db,
        insert(PackageItem).values(package_id=parcel.package_id, order_line_id=line.id, quantity=1),
    )
    return [
        f"order {busy.allocated} line {line.line_no} ({line.sku}): packed in a parcel of order "
        f"{busy.voided} [parcel-order]"
    ]


@tamper("another order's line on a return")
def _return_order(db: Database, busy: Busy) -> list[str]:
    line = line_of(db, busy.shipped_plain)
    ret = one(db, select(Return.id).where(Return.number == "RMA-100001"))[0]
    change(db, insert(ReturnLine).values(return_id=ret, order_line_id=line.id, qty_authorised=1))
    return [
        f"order {busy.shipped_plain} line {line.line_no} ({line.sku}): on return RMA-100001 of "
        "another order [return-order]"
    ]


# -- the tests -------------------------------------------------------------------------------


def rule_of(problem: str) -> str:
    return problem.rsplit("[", 1)[1].rstrip("]")


@pytest.mark.parametrize("name", list(TAMPERS))
def test_a_tampered_copy_is_named_by_order_and_rule(
    warehouse: tuple[Database, Busy], name: str
) -> None:
    db, busy = warehouse

    expected = TAMPERS[name](db, busy)

    assert sorted(verify(db)) == sorted(expected)


def test_every_rule_verify_claims_has_a_tamper_that_breaks_it(
    sqlite_warehouse: tuple[Path, Busy], tmp_path: Path
) -> None:
    """The suite above covers RULES: each rule is named by at least one tamper."""
    template, busy = sqlite_warehouse
    named: set[str] = set()
    for i, fn in enumerate(TAMPERS.values()):
        path = tmp_path / f"{i}.db"
        shutil.copy(template, path)
        db = open_database(f"sqlite:///{path}", station="test")
        try:
            named |= {rule_of(problem) for problem in fn(db, busy)}
        finally:
            db.dispose()
    assert named == set(RULES)


def test_verify_finds_nothing_wrong_after_a_mornings_work(
    warehouse: tuple[Database, Busy],
) -> None:
    db, _ = warehouse
    assert verify(db) == []
    by_status = read(
        db,
        lambda s: dict(s.execute(select(Order.status, func.count()).group_by(Order.status)).all()),
    )
    assert {"allocated", "backordered", "packed", "shipped", "cancelled", "on_hold"} <= set(
        by_status
    )


def test_verify_finds_nothing_wrong_in_an_empty_database(db: Database) -> None:
    assert verify(db) == []


def test_every_tampered_row_is_reported_not_just_the_first(
    warehouse: tuple[Database, Busy],
) -> None:
    db, _ = warehouse
    first, second = [lv for lv in levels(db) if lv.on_hand > 0][:2]
    change(
        db,
        *(
            update(StockLevel).where(StockLevel.id == lv.id).values(on_hand=lv.on_hand + 1)
            for lv in (first, second)
        ),
    )

    assert sorted(verify(db)) == sorted(
        f"{lv.where}: on hand {lv.on_hand + 1} but ledger sums to {lv.on_hand} [ledger]"
        for lv in (first, second)
    )
