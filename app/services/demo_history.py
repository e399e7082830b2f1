"""The demo's order history, written straight to the tables a chunk at a time.

Order `i` of `total` is a pure function of (seed, i): when it was placed (the oldest
first, ids following time, most orders in the last days as in a growing shop), which
customer placed it, what it holds and how far it got. Recent orders are spread over
every open state; older ones were shipped and delivered, a few cancelled. Each order
gets the rows the services would have written on its way: lines, allocations, the
audit trail at plausible times by plausible people and stations, parcels with tracking
numbers from the carrier's own range, ship moves, and for the last week pick lists,
scans and print jobs. Stock arrives as goods-in receipts of what each chunk needs, so
balances always equal the ledger and `verify` passes after every chunk.

Rows go in with one driver-level executemany per table (COPY on PostgreSQL) of tuples
built here: no ORM objects, and never more than one chunk in memory.
"""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import chain
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.gtin import make_sscc
from app.domain.new_order import SERVICE_PRIORITY
from app.domain.site_settings import format_order_number
from app.services.carrier_booking import book_tracking_numbers
from app.services.demo_catalogue import sold_out
from app.services.demo_people import Draw, customer, mix
from app.services.numbering import pick_list_number, take_numbers
from app.services.search_index import document
from app.services.settings import setting_value
from db.bulk import reserve_ids
from db.models import (
    Allocation,
    BoxType,
    Channel,
    Customer,
    Location,
    Order,
    OrderLine,
    Package,
    PickList,
    Product,
    ProductBarcode,
    Shipment,
    StockLevel,
    User,
    Warehouse,
)

CHANNEL_SHARE = {"web": 55, "amazon": 25, "b2b": 8, "phone": 12}
SERVICE_SHARE = {"standard": 60, "express": 20, "economy": 10, "overnight": 10}
SHIP_WITHIN = {"overnight": 1, "express": 1, "standard": 2, "economy": 4}  # days
SHIPPING_CENTS = {"economy": 295, "standard": 495, "express": 995, "overnight": 1495}
CURRENCY_RATE = {"EUR": 1.0, "GBP": 0.86, "USD": 1.08, "SEK": 11.4, "PLN": 4.3}
# (hours since placed, {status: share}): how far an order of that age has got.
BANDS: tuple[tuple[float, dict[str, int]], ...] = (
    (2, {"new": 45, "on_hold": 10, "backordered": 10, "allocated": 35}),
    (
        8,
        {
            "new": 5,
            "on_hold": 6,
            "backordered": 8,
            "allocated": 30,
            "picking": 12,
            "picked": 10,
            "packed": 12,
            "shipped": 15,
            "cancelled": 2,
        },
    ),
    (
        30,
        {
            "on_hold": 4,
            "backordered": 6,
            "allocated": 8,
            "picking": 2,
            "picked": 3,
            "packed": 7,
            "shipped": 68,
            "cancelled": 2,
        },
    ),
    (96, {"on_hold": 1, "backordered": 2, "shipped": 50, "delivered": 45, "cancelled": 2}),
    (float("inf"), {"delivered": 96, "shipped": 1, "cancelled": 3}),
)
# The newest orders of a demo of at least this many show every state, whatever the draw.
SHOWCASE = ("new", "on_hold", "backordered", "allocated", "picking", "picked", "packed")
SHOWCASE_FROM = 20
HOLDS = {
    "new": (
        "Address to be confirmed: no house number",
        "Payment under review by the bank",
        "Billing and shipping country differ: fraud check",
    ),
    "backordered": ("Customer asked us to wait for the whole order",),
    "allocated": ("Customer asked to change the delivery address", "Gift message to be checked"),
}
CANCEL_REASONS = (
    "Customer cancelled by e-mail",
    "Payment failed",
    "Duplicate order",
    "Customer no longer needs it",
)
SQLITE_CACHE_KB = 128 * 1024
SQLITE_VALUES = 5000  # bound values per INSERT statement
STATION_WINDOW = timedelta(days=7)  # pick lists, scans and print jobs are kept this long
RESERVING = frozenset({"allocated", "picking", "picked", "packed"})
SHIPPED = frozenset({"shipped", "delivered"})
PIPELINE = ("allocated", "picking", "picked", "packed", "shipped", "delivered")
# The orders' milestone columns (migration 0015), written with the order: the trigger on
# audit_events that keeps them then finds them set and writes nothing (it rewrote every
# order row once per milestone, a third of the load's time).
MILESTONES = ("allocated", "picked", "packed", "shipped", "cancelled")


def _shares(table: dict[str, int]) -> tuple[str, ...]:
    return tuple(key for key, weight in table.items() for _ in range(weight))


_CHANNELS = _shares(CHANNEL_SHARE)
_FRESH_CHANNELS = tuple(CHANNEL_SHARE)  # a first morning: as many from each channel
_SERVICES = _shares(SERVICE_SHARE)
_BANDS = tuple((hours, _shares(table)) for hours, table in BANDS)


@dataclass(frozen=True)
class Stocked:
    """A product with its one pick bin."""

    id: int
    sku: str
    name: str
    cents: int
    weight_g: int
    volume: int  # mm3 of one unit
    gtin: str
    level_id: int
    location_id: int
    bin: str


@dataclass(frozen=True)
class Box:
    code: str
    tare_g: int
    max_g: int
    volume: int


@dataclass
class Site:
    """What every chunk needs that does not change during a load."""

    seed: int
    total: int
    now: datetime  # naive UTC
    span: timedelta
    sqlite: bool
    channels: dict[str, int]
    products: list[Stocked]
    in_stock: list[int]  # indexes into products
    out_of_stock: list[int]
    users: dict[str, int]
    boxes: list[Box]
    number_format: str
    gs1_prefix: str
    sscc_extension: int
    warehouse_id: int
    fresh: bool = False  # a first morning: orders of the last day and a half, none handled
    # Customer id by customer number, 0 while unknown: an array, as a million orders
    # have 400,000 customers (a dict of them would weigh 40 MB).
    customer_ids: array[int] = field(default_factory=lambda: array("q"))


def load_site(
    session: Session, seed: int, total: int, now: datetime, *, fresh: bool = False
) -> Site:
    """The run's fixed facts, read once: channels, products with their bins, users.
    `fresh`: the orders are a first morning's, for intake and allocation to handle."""
    products = [
        Stocked(
            pid,
            sku,
            name,
            int((price or Decimal("9.99")) * 100),
            weight or 100,
            (length or 100) * (width or 100) * (height or 50),
            gtin or sku,
            level,
            location,
            code,
        )
        for pid, sku, name, price, weight, length, width, height, gtin, level, location, code in (
            session.execute(
                select(
                    Product.id,
                    Product.sku,
                    Product.name,
                    Product.price,
                    Product.weight_g,
                    Product.length_mm,
                    Product.width_mm,
                    Product.height_mm,
                    select(ProductBarcode.code)
                    .where(ProductBarcode.product_id == Product.id)
                    .order_by(ProductBarcode.id)
                    .limit(1)
                    .scalar_subquery(),
                    StockLevel.id,
                    Location.id,
                    Location.code,
                )
                .join(StockLevel, StockLevel.product_id == Product.id)
                .join(Location, Location.id == StockLevel.location_id)
                .where(Location.kind == "pick", Product.active)
                .order_by(Product.id, Location.pick_sequence, StockLevel.id)
            )
        )
    ]
    unique = list({p.id: p for p in reversed(products)}.values())[::-1]  # first bin each
    out = [i for i in range(len(unique)) if sold_out(i + 1)]
    out_set = set(out)
    boxes = [
        Box(code, tare, max_g or 30_000, length * width * height)
        for code, tare, max_g, length, width, height in session.execute(
            select(
                BoxType.code,
                BoxType.tare_g,
                BoxType.max_weight_g,
                BoxType.length_mm,
                BoxType.width_mm,
                BoxType.height_mm,
            )
            .where(BoxType.active)
            .order_by(BoxType.length_mm * BoxType.width_mm * BoxType.height_mm)
        )
    ]
    days = 1.5 if fresh else min(730.0, max(4.0, total / 60))
    return Site(
        seed=seed,
        total=total,
        now=now,
        span=timedelta(days=days),
        fresh=fresh,
        sqlite=session.get_bind().dialect.name == "sqlite",
        channels=dict(session.execute(select(Channel.code, Channel.id)).all()),
        products=unique,
        in_stock=[i for i in range(len(unique)) if i not in out_set],
        out_of_stock=out,
        users=dict(session.execute(select(User.username, User.id)).all()),
        boxes=boxes,
        number_format=setting_value(session, "order.number_format"),
        gs1_prefix=setting_value(session, "gs1.company_prefix"),
        sscc_extension=int(setting_value(session, "sscc.extension_digit") or 0),
        warehouse_id=session.scalar(select(Warehouse.id).order_by(Warehouse.id).limit(1)) or 0,
    )


@dataclass
class Plan:
    """One order as drawn: what happened to it, and when."""

    i: int
    channel: str
    ref: str
    customer: int
    service: str
    placed: datetime
    status: str
    held_from: str | None
    reason: str | None
    lines: list[tuple[int, int]]  # (product index, quantity)
    times: dict[str, datetime]  # state reached -> when


def customer_count(orders: int) -> int:
    """How many people place `orders` orders: two in five are repeat orders."""
    return max(5, orders * 3 // 5)


DEFAULT_SEED = 7


def external_ref(channel: str, seed: int, i: int) -> str:
    """The channel's reference of order `i`. The web shop numbers like Shopify (#1000,
    #1001, ...); a demo of another seed in the same database numbers from a block of its
    own, as the other channels carry the seed."""
    if channel != "web":
        return f"{channel.upper()}-{seed}-{i:06d}"
    return f"#{1000 + i}" if seed == DEFAULT_SEED else f"#{(seed + 1) * 10**7 + 1000 + i}"


def plan(site: Site, i: int) -> Plan:
    """Order `i`: the same on every run with the same seed and total."""
    d = Draw(mix(site.seed, i, 0x0D) << 64 | mix(i, site.seed, 0x0E))
    age = site.span * ((site.total - i) / site.total) ** 1.5 + timedelta(minutes=3 + i % 7)
    placed = site.now - age
    hours = age.total_seconds() / 3600
    channels = _FRESH_CHANNELS if site.fresh else _CHANNELS
    channel = channels[d.below(len(channels))]
    service = _SERVICES[d.below(len(_SERVICES))]
    status = "new" if site.fresh else _status(site, i, d, hours)
    held_from = reason = None
    if status == "on_hold":
        held_from = ("new", "new", "backordered", "allocated")[d.below(4)]
        reason = d.pick(HOLDS[held_from])
    elif status == "cancelled":
        reason = d.pick(CANCEL_REASONS)
    state = held_from or status
    pool: Sequence[int] = site.in_stock
    if site.fresh or not pool:
        pool = range(len(site.products))
    count = 1 + d.below(4) if site.fresh else (1, 1, 1, 1, 1, 2, 2, 2, 3, 4)[d.below(10)]
    chosen: list[int] = []
    late_backorder = site.fresh and i == 0 and bool(site.out_of_stock)
    if late_backorder:  # a first morning has one: yesterday's express order, sold out
        channel, service = "web", "express"
    if (state == "backordered" or late_backorder) and site.out_of_stock:
        chosen.append(site.out_of_stock[d.below(len(site.out_of_stock))])
    while len(chosen) < min(count, len(pool)):
        index = pool[d.below(len(pool))]
        if index not in chosen:
            chosen.append(index)
    lines = [(index, _quantity(d, channel, site.fresh)) for index in chosen]
    return Plan(
        i=i,
        channel=channel,
        ref=external_ref(channel, site.seed, i),
        customer=mix(site.seed, i, 0xC0) % customer_count(site.total),
        service=service,
        placed=placed,
        status=status,
        held_from=held_from,
        reason=reason,
        lines=lines,
        times=_times(d, placed, site.now, status, held_from, service),
    )


def _quantity(d: Draw, channel: str, fresh: bool) -> int:
    """Units of one line: mostly one; a trade customer buys by the case (not on a first
    morning, whose orders are all small)."""
    if fresh:
        return 1 + d.below(3)
    if channel == "b2b":
        return 2 + d.below(11)
    return (1, 1, 1, 1, 1, 1, 1, 2, 2, 3)[d.below(10)]


def _status(site: Site, i: int, d: Draw, hours: float) -> str:
    newest = site.total - 1 - i
    if site.total >= SHOWCASE_FROM and newest < len(SHOWCASE):
        return SHOWCASE[newest]
    if site.total >= SHOWCASE_FROM and i < 2:
        return ("delivered", "cancelled")[i]
    if site.total >= SHOWCASE_FROM and newest == len(SHOWCASE):
        return "shipped"
    for limit, shares in _BANDS:
        if hours < limit:
            return shares[d.below(len(shares))]
    raise AssertionError("the last band has no limit")


def _times(
    d: Draw, placed: datetime, now: datetime, status: str, held_from: str | None, service: str
) -> dict[str, datetime]:
    """When the order reached each state up to its own, squeezed into its age."""
    minutes = [("created", 1 + d.below(4))]
    state = held_from or status
    if state == "backordered":
        minutes.append(("backordered", 1 + d.below(10)))
    if state in PIPELINE:
        steps = PIPELINE[: PIPELINE.index(state) + 1]
        waits = {
            "allocated": 1 + d.below(10),
            "picking": 20 + d.below(180),
            "picked": 4 + d.below(20),
            "packed": 10 + d.below(90),
            "shipped": 30 + d.below(240),
            "delivered": (1 if service in ("express", "overnight") else 2 + d.below(3)) * 1440
            + d.below(600),
        }
        minutes += [(step, waits[step]) for step in steps]
    if status == "on_hold":
        minutes.append(("on_hold", 5 + d.below(120)))
    if status == "cancelled":
        minutes.append(("cancelled", 10 + d.below(2880)))
    room = (now - placed).total_seconds() / 60 - 1
    total = sum(m for _, m in minutes)
    scale = min(1.0, room / total) if total else 1.0
    times, at = {}, placed
    for step, wait in minutes:
        at += timedelta(minutes=wait * scale)
        times[step] = at
    return times


@dataclass
class Rows:
    """The rows of one chunk, per table, as tuples in `COLUMNS` order."""

    tables: dict[str, list[tuple[Any, ...]]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[str] = field(default_factory=Counter)


COLUMNS: dict[str, tuple[str, ...]] = {
    "orders": (
        "id",
        "number",
        "channel_id",
        "external_ref",
        "customer_id",
        "status",
        "held_from",
        "hold_reason",
        "priority",
        "service_level",
        "allow_partial",
        "placed_at",
        "ship_by",
        "currency",
        "payment_status",
        "subtotal",
        "shipping_total",
        "tax_total",
        "grand_total",
        "email",
        "ship_name",
        "ship_address1",
        "ship_address2",
        "ship_city",
        "ship_postcode",
        "ship_region",
        "ship_country",
        "ship_phone",
        "bill_country",
        "warehouse_id",
        "created_at",
        "updated_at",
        "version",
        *(f"{milestone}_at" for milestone in MILESTONES),
    ),
    "order_lines": (
        "id",
        "order_id",
        "line_no",
        "product_id",
        "sku",
        "name",
        "unit_price",
        "qty_ordered",
        "qty_allocated",
        "qty_picked",
        "qty_packed",
        "qty_shipped",
        "qty_returned",
        "qty_handled_elsewhere",
    ),
    "allocations": ("id", "order_line_id", "stock_level_id", "quantity", "status", "created_at"),
    "stock_moves": (
        "product_id",
        "location_id",
        "quantity",
        "kind",
        "reason",
        "order_id",
        "user_id",
        "station",
        "created_at",
    ),
    "shipments": (
        "id",
        "order_id",
        "carrier",
        "service_level",
        "tracking_number",
        "status",
        "verified",
        "packed_by",
        "packed_station",
        "packed_at",
        "shipped_at",
        "delivered_at",
    ),
    "packages": ("id", "shipment_id", "seq", "sscc", "box_code", "weight_g", "tracking_number"),
    "package_items": ("package_id", "order_line_id", "quantity"),
    "pick_lists": (
        "id",
        "number",
        "status",
        "kind",
        "claimed_by_station",
        "claimed_by_user_id",
        "claimed_at",
        "lease_expires_at",
        "created_at",
        "done_at",
        "version",
    ),
    "pick_tasks": (
        "pick_list_id",
        "order_line_id",
        "allocation_id",
        "location_id",
        "product_id",
        "sequence",
        "quantity",
        "qty_picked",
        "status",
    ),
    "scan_events": (
        "occurred_at",
        "station",
        "user_id",
        "raw",
        "reading",
        "value",
        "outcome",
        "message",
        "manual",
        "order_id",
    ),
    "print_jobs": (
        "order_id",
        "shipment_id",
        "document",
        "format",
        "printer",
        "station",
        "status",
        "attempts",
        "created_at",
        "printed_at",
    ),
    "audit_events": (
        "occurred_at",
        "user_id",
        "username",
        "station",
        "entity",
        "entity_id",
        "action",
        "from_status",
        "to_status",
        "reason",
        "details",
    ),
    "order_search": ("order_id", "document"),
}


def present(session: Session, site: Site, last: int) -> bool:
    """Whether order `last` (and so its whole chunk, written in one transaction) exists."""
    found = plan(site, last)
    return (
        session.scalar(
            select(Order.id).where(
                Order.channel_id == site.channels[found.channel], Order.external_ref == found.ref
            )
        )
        is not None
    )


def write_chunk(session: Session, site: Site, start: int, stop: int) -> Counter[str]:
    """Orders `start` to `stop - 1` with everything they did; their count per status."""
    if site.sqlite:
        # The indexes of a million orders outgrow SQLite's default 2 MB page cache; with
        # it, every insert re-reads index pages. The setting lasts for this connection.
        session.connection().exec_driver_sql(f"PRAGMA cache_size = -{SQLITE_CACHE_KB}")
    plans = [plan(site, i) for i in range(start, stop)]
    writer = _Chunk(session, site, plans)
    writer.build()
    writer.flush()
    return writer.rows.statuses


class _Chunk:
    def __init__(self, session: Session, site: Site, plans: list[Plan]) -> None:
        self.session, self.site, self.plans = session, site, plans
        self.rows = Rows()
        self.stamp = _stamp_sqlite if site.sqlite else _stamp_pg
        self.money = (lambda cents: cents) if site.sqlite else _decimal
        self.shipped_units: Counter[int] = Counter()  # product index -> units
        self.reserved_units: Counter[int] = Counter()

    # -- ids and numbers, taken for the whole chunk at once --------------------------
    def _reserve(self) -> None:
        s, plans = self.session, self.plans
        self.order_ids = reserve_ids(s, Order, len(plans))
        numbers = take_numbers(s, "order", len(plans))
        self.numbers = [format_order_number(self.site.number_format, n) for n in numbers]
        self.line_ids = iter(reserve_ids(s, OrderLine, sum(len(p.lines) for p in plans)))
        allocating = [p for p in plans if (p.held_from or p.status) in RESERVING | SHIPPED]
        self.allocation_ids = iter(
            reserve_ids(s, Allocation, sum(len(p.lines) for p in allocating))
        )
        shipping = [p for p in plans if p.status in SHIPPED or p.status == "packed"]
        self.shipment_ids = iter(reserve_ids(s, Shipment, len(shipping)))
        self.package_ids = iter(reserve_ids(s, Package, len(shipping)))
        sscc = take_numbers(s, "sscc", len(shipping)) if shipping else range(0)
        self.sscc = iter(sscc)
        self.tracking: dict[str, Any] = {}
        by_service = Counter(p.service for p in shipping)
        for service, count in sorted(by_service.items()):
            booking = book_tracking_numbers(s, service, count)
            self.tracking[service] = (booking.carrier, booking.service, iter(booking.numbers))
        listed = [p for p in plans if self._at_station(p, "picking")]
        self.pick_list_ids = iter(reserve_ids(s, PickList, len(listed)))
        self.pick_list_numbers = iter(
            pick_list_number(v)
            for v in (take_numbers(s, "pick_list", len(listed)) if listed else range(0))
        )

    def _at_station(self, p: Plan, step: str) -> bool:
        when = p.times.get(step)
        return when is not None and self.site.now - when < STATION_WINDOW

    def _customers(self) -> array[int]:
        """Customer id per customer number, creating those not in the database yet."""
        site, known = self.site, self.site.customer_ids
        if not known:
            known.frombytes(bytes(known.itemsize * customer_count(site.total)))  # zeros
        wanted = {p.customer for p in self.plans if not known[p.customer]}
        people = {number: customer(site.seed, number) for number in wanted}
        emails: dict[str, list[int]] = defaultdict(list)
        for number, person in people.items():
            emails[person.email].append(number)
        found: dict[str, int] = {}
        listed = sorted(emails)
        for start in range(0, len(listed), 900):
            chunk = listed[start : start + 900]
            found.update(
                (str(email), customer_id)
                for email, customer_id in self.session.execute(
                    select(Customer.email, Customer.id)
                    .where(Customer.email.in_(chunk))
                    .order_by(Customer.id.desc())
                ).all()
            )
        new = [e for e in listed if e not in found]
        ids = reserve_ids(self.session, Customer, len(new)) if new else []
        rows = []
        for email, customer_id in zip(new, ids, strict=True):
            person = people[emails[email][0]]
            rows.append((customer_id, email, person.name, person.phone, self.stamp(self.site.now)))
            found[email] = customer_id
        self._insert("customers", ("id", "email", "name", "phone", "created_at"), rows)
        for email, numbers in emails.items():
            for number in numbers:
                known[number] = found[email]
        return known

    # -- building -------------------------------------------------------------------
    def build(self) -> None:
        self._reserve()
        customer_ids = self._customers()
        for p, order_id, number in zip(self.plans, self.order_ids, self.numbers, strict=True):
            self._order(p, order_id, number, customer_ids[p.customer])
        self._stock()

    def _order(self, p: Plan, order_id: int, number: str, customer_id: int) -> None:
        site, stamp, t = self.site, self.stamp, self.rows.tables
        person = customer(site.seed, p.customer)
        rate = CURRENCY_RATE[person.currency]
        state = p.held_from or p.status
        reached = PIPELINE.index(state) if state in PIPELINE else -1
        picking_partly = state == "picking"
        lines = []  # (line id, product, qty, picked)
        subtotal = 0
        for line_no, (index, qty) in enumerate(p.lines, 1):
            product = site.products[index]
            picked = qty if reached >= 2 else 0
            if picking_partly:
                picked = qty if line_no <= len(p.lines) // 2 else 0
            allocated = qty if reached >= 0 else 0
            packed = qty if reached >= 3 else 0
            shipped = qty if reached >= 4 else 0
            cents = int(product.cents * rate)
            cents -= cents % 5
            subtotal += cents * qty
            line_id = next(self.line_ids)
            lines.append((line_id, product, qty, picked, index))
            t["order_lines"].append(
                (
                    line_id,
                    order_id,
                    line_no,
                    product.id,
                    product.sku,
                    product.name,
                    self.money(cents),
                    qty,
                    allocated,
                    picked,
                    packed,
                    shipped,
                    0,
                    0,
                )
            )
        shipping = 0 if subtotal >= 5000 * rate else int(SHIPPING_CENTS[p.service] * rate)
        who = _Who(p, site)
        if self._at_station(p, "picking"):
            who.pick_list = (next(self.pick_list_ids), next(self.pick_list_numbers))
        if "packed" in p.times:
            carrier, service, numbers = self.tracking[p.service]
            who.parcel = (carrier, service, next(numbers))
        events = self._events(p, order_id, lines, who)
        last = max(p.times.values())
        t["orders"].append(
            (
                order_id,
                number,
                site.channels[p.channel],
                p.ref,
                customer_id,
                p.status,
                p.held_from,
                p.reason if p.status == "on_hold" else None,
                SERVICE_PRIORITY[p.service],
                p.service,
                None,
                stamp(p.placed),
                stamp(p.placed + timedelta(days=SHIP_WITHIN[p.service])),
                person.currency,
                "pending" if p.reason and "Payment" in p.reason else "paid",
                self.money(subtotal),
                self.money(shipping),
                self.money(0),
                self.money(subtotal + shipping),
                person.email,
                person.name,
                person.address1,
                person.address2,
                person.city,
                person.postcode,
                person.region,
                person.country,
                person.phone,
                person.country,
                site.warehouse_id,
                stamp(p.times["created"]),
                stamp(last),
                1 + events,
                *(stamp(p.times[m]) if m in p.times else None for m in MILESTONES),
            )
        )
        tracking = self._fulfilment(p, order_id, number, lines, who)
        values = [number, p.ref, person.email, person.name, person.postcode, tracking]
        values += [product.sku for _, product, _, _, _ in lines]
        t["order_search"].append((order_id, document(values, person.phone)))
        self.rows.statuses[p.status] += 1

    def _events(self, p: Plan, order_id: int, lines: list[Any], who: _Who) -> int:
        """The order's audit trail; how many status changes it holds."""
        stamp, audit = self.stamp, self.rows.tables["audit_events"]
        users = self.site.users
        units = sum(qty for _, _, qty, _, _ in lines)
        creator = ("cara", "desk") if p.channel == "phone" else ("import", "server")
        audit.append(
            (
                stamp(p.times["created"]),
                users.get(creator[0]),
                *creator,
                "order",
                order_id,
                "created",
                None,
                "new",
                None,
                f'{{"channel": "{p.channel}", "external_ref": "{p.ref}"}}',
            )
        )
        changes, previous = 0, "new"
        for step, when in p.times.items():
            if step == "created":
                continue
            user, station = who.of(step)
            action, reason, details = step, None, None
            if step == "allocated":
                action, details = "reserved", f'{{"units": {units}, "complete": true}}'
            elif step == "backordered":
                details = '{"units": 0, "complete": false}'
            elif step in ("picking", "picked") and who.pick_list:
                details = f'{{"pick_list": "{who.pick_list[1]}"}}'
            elif step == "packed" and who.parcel:
                carrier, service, tracking = who.parcel
                details = (
                    f'{{"verified": true, "packages": 1, "tracking": "{tracking}", '
                    f'"carrier": "{carrier}", "service": "{service}"}}'
                )
            elif step == "on_hold" or step == "cancelled":
                reason = p.reason
            elif step == "delivered":
                reason = "carrier reports delivery"
            audit.append(
                (
                    stamp(when),
                    users.get(user),
                    user,
                    station,
                    "order",
                    order_id,
                    action,
                    previous,
                    step,
                    reason,
                    details,
                )
            )
            previous, changes = step, changes + 1
        return changes

    def _fulfilment(
        self, p: Plan, order_id: int, number: str, lines: list[Any], who: _Who
    ) -> str | None:
        """Allocations, pick list, parcel, ship moves, scans and prints; the tracking
        number, if the order was packed."""
        stamp, t = self.stamp, self.rows.tables
        state = p.held_from or p.status
        if state not in RESERVING | SHIPPED:
            return None
        shipped = state in SHIPPED
        allocated_at = stamp(p.times["allocated"])
        allocation_ids = []
        for line_id, product, qty, _, index in lines:
            allocation_id = next(self.allocation_ids)
            allocation_ids.append(allocation_id)
            t["allocations"].append(
                (
                    allocation_id,
                    line_id,
                    product.level_id,
                    qty,
                    "consumed" if shipped else "active",
                    allocated_at,
                )
            )
            if shipped:
                self.shipped_units[index] += qty
            else:
                self.reserved_units[index] += qty
        if who.pick_list:
            self._pick_list(p, order_id, lines, allocation_ids, who)
        if state not in ("packed", *SHIPPED):
            return None
        return self._parcel(p, order_id, number, lines, who)

    def _pick_list(
        self, p: Plan, order_id: int, lines: list[Any], allocation_ids: list[int], who: _Who
    ) -> None:
        stamp, t, users = self.stamp, self.rows.tables, self.site.users
        assert who.pick_list is not None
        list_id, list_number = who.pick_list
        picker, station = who.of("picking")
        started = p.times["picking"]
        done = p.times.get("picked")
        lease = self.site.now + timedelta(minutes=10)  # the picker is still at it
        t["pick_lists"].append(
            (
                list_id,
                list_number,
                "done" if done else "claimed",
                "single",
                station,
                users.get(picker),
                stamp(started),
                None if done else stamp(lease),
                stamp(started - timedelta(minutes=3)),
                stamp(done) if done else None,
                3 if done else 2,
            )
        )
        ordered = sorted(zip(lines, allocation_ids, strict=True), key=lambda x: x[0][1].bin)
        at = started
        for sequence, ((line_id, product, qty, picked, _), allocation_id) in enumerate(ordered, 1):
            t["pick_tasks"].append(
                (
                    list_id,
                    line_id,
                    allocation_id,
                    product.location_id,
                    product.id,
                    sequence,
                    qty,
                    picked,
                    "done" if picked == qty else "open",
                )
            )
            if not picked:
                continue
            at += timedelta(seconds=40)
            self._scan(
                at,
                station,
                picker,
                f"L:{product.bin}",
                "document",
                order_id,
                f"{product.bin}: pick {qty} × {product.sku}",
            )
            for unit in range(1, picked + 1):
                at += timedelta(seconds=6)
                self._scan(
                    at,
                    station,
                    picker,
                    product.gtin,
                    "product_gtin",
                    order_id,
                    f"{product.sku} {unit} of {qty}",
                )

    def _scan(
        self,
        at: datetime,
        station: str,
        user: str,
        raw: str,
        reading: str,
        order_id: int,
        message: str,
    ) -> None:
        self.rows.tables["scan_events"].append(
            (
                self.stamp(at),
                station,
                self.site.users.get(user),
                raw,
                reading,
                raw,
                "accepted",
                message,
                False,
                order_id,
            )
        )

    def _parcel(self, p: Plan, order_id: int, number: str, lines: list[Any], who: _Who) -> str:
        site, stamp, t = self.site, self.stamp, self.rows.tables
        assert who.parcel is not None
        carrier, _, tracking = who.parcel
        packer, station = who.of("packed")
        packed_at = p.times["packed"]
        shipped_at = p.times.get("shipped")
        delivered_at = p.times.get("delivered")
        status = "delivered" if delivered_at else "shipped" if shipped_at else "packed"
        shipment_id, package_id = next(self.shipment_ids), next(self.package_ids)
        t["shipments"].append(
            (
                shipment_id,
                order_id,
                carrier,
                p.service,
                tracking,
                status,
                True,
                packer,
                station,
                stamp(packed_at),
                stamp(shipped_at) if shipped_at else None,
                stamp(delivered_at) if delivered_at else None,
            )
        )
        grams = sum(product.weight_g * qty for _, product, qty, _, _ in lines)
        volume = sum(product.volume * qty for _, product, qty, _, _ in lines)
        box = _box_for(site.boxes, grams, volume)
        weight = grams + (box.tare_g if box else 0)
        weight += (mix(order_id, 0x3E) % 41 - 20) * weight // 1000  # the scale's reading
        sscc = make_sscc(site.sscc_extension, site.gs1_prefix, next(self.sscc))
        t["packages"].append(
            (package_id, shipment_id, 1, sscc, box.code if box else None, max(weight, 1), tracking)
        )
        for line_id, product, qty, _, _ in lines:
            t["package_items"].append((package_id, line_id, qty))
            if shipped_at:
                t["stock_moves"].append(
                    (
                        product.id,
                        product.location_id,
                        -qty,
                        "ship",
                        None,
                        order_id,
                        site.users.get("sam"),
                        "dispatch",
                        stamp(shipped_at),
                    )
                )
        if self._at_station(p, "packed"):
            at = packed_at - timedelta(minutes=2)
            self._scan(at, station, packer, number, "order_number", order_id, f"Opened {number}")
            for _, product, qty, _, _ in lines:
                for unit in range(1, qty + 1):
                    at += timedelta(seconds=5)
                    self._scan(
                        at,
                        station,
                        packer,
                        product.gtin,
                        "product_gtin",
                        order_id,
                        f"{product.sku} {unit} of {qty}",
                    )
            printed = stamp(packed_at + timedelta(seconds=8))
            for document_kind in ("label", "packing_slip"):
                t["print_jobs"].append(
                    (
                        order_id,
                        shipment_id,
                        document_kind,
                        "pdf",
                        "folder",
                        station,
                        "printed",
                        1,
                        stamp(packed_at),
                        printed,
                    )
                )
        return tracking

    def _stock(self) -> None:
        """Goods in for what the chunk ships and reserves, dated before its first order:
        balances move by what was reserved, and never below what is reserved."""
        site, stamp = self.site, self.stamp
        arrived = stamp(self.plans[0].placed - timedelta(hours=20))
        delivery = f"goods in: delivery DN-{site.seed}-{self.plans[0].i:07d}"
        moves, levels = [], []
        for index in sorted(self.shipped_units.keys() | self.reserved_units.keys()):
            product = site.products[index]
            shipped, reserved = self.shipped_units[index], self.reserved_units[index]
            moves.append(
                (
                    product.id,
                    product.location_id,
                    shipped + reserved,
                    "receipt",
                    delivery,
                    None,
                    site.users.get("rex"),
                    "goods-in",
                    arrived,
                )
            )
            levels.append((reserved, reserved, product.level_id))
        self.rows.tables["stock_moves"][:0] = moves
        self.levels = levels

    # -- writing ---------------------------------------------------------------------
    def flush(self) -> None:
        tables = self.rows.tables
        for name in (
            "orders",
            "order_lines",
            "allocations",
            "shipments",
            "packages",
            "package_items",
            "pick_lists",
            "pick_tasks",
            "stock_moves",
            "scan_events",
            "print_jobs",
            "audit_events",
            "order_search",
        ):
            self._insert(name, COLUMNS[name], tables.pop(name, []))
        if self.levels:
            self.session.connection().exec_driver_sql(
                "UPDATE stock_levels SET on_hand = on_hand + {0}, reserved = reserved + {0}, "
                "version = version + 1 WHERE id = {0}".format("?" if self.site.sqlite else "%s"),
                self.levels,
            )

    def _insert(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        connection = self.session.connection()
        names = ", ".join(columns)
        driver = connection.connection.driver_connection
        assert driver is not None
        if self.site.sqlite:
            group = f"({', '.join('?' * len(columns))})"
            size = max(1, SQLITE_VALUES // len(columns))
            for start in range(0, len(rows), size):
                batch = rows[start : start + size]
                driver.execute(
                    f"INSERT INTO {table} ({names}) VALUES {', '.join([group] * len(batch))}",
                    list(chain.from_iterable(batch)),
                )
            return
        with driver.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


class _Who:
    """Who did each step of an order, and at which station: a person and a station per
    order, the same for all its steps of a kind."""

    PICKERS = (("pia", "pick-1"), ("pia", "pick-2"))
    PACKERS = (("pat", "pack-1"), ("pat", "pack-2"))

    def __init__(self, p: Plan, site: Site) -> None:
        self.p = p
        self.pick_list: tuple[int, str] | None = None  # id, number
        self.parcel: tuple[str, str, str] | None = None  # carrier, its service, tracking
        self._n = mix(site.seed, p.i, 0x57)

    def of(self, step: str) -> tuple[str, str]:
        if step in ("picking", "picked"):
            return self.PICKERS[self._n % 2]
        if step == "packed":
            return self.PACKERS[(self._n >> 8) % 2]
        if step == "shipped":
            return ("sam", "dispatch")
        if step in ("on_hold", "cancelled"):
            return ("cara", "desk")
        if step == "delivered":
            return ("tracking-import", "server")
        return ("import", "server")


def _box_for(boxes: Iterable[Box], grams: int, volume: int) -> Box | None:
    """The smallest box that takes the units with room to spare (a third for packing)."""
    last = None
    for box in boxes:
        last = box
        if box.max_g >= grams and box.volume * 2 >= volume * 3:
            return box
    return last


def _stamp_sqlite(moment: datetime) -> str:
    return moment.isoformat(" ", "microseconds")


def _stamp_pg(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC)


def _decimal(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)
