"""A believable demo warehouse: aisles and bins, products with real GTINs and real
weights, and a history of orders relative to now from customers in nine countries:
recent ones in every open state, older ones shipped and delivered, some cancelled and
some returned (app.services.demo_history writes the orders, demo_returns the returns)."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.gtin import gs1_check_digit
from app.domain.new_order import Address, NewLine, NewOrder
from app.services.access import authorize
from app.services.allocation import allocate_in
from app.services.demo_catalogue import draw_product, product_name, sold_out
from app.services.demo_facts import Site, load_site
from app.services.demo_history import present as present_already
from app.services.demo_history import write_chunk
from app.services.demo_orders import Drawn, draw
from app.services.demo_people import customer
from app.services.demo_plan import DEFAULT_SEED, RESERVING, SHIP_WITHIN, Plan, plan
from app.services.demo_returns import add_demo_returns
from app.services.demo_site import set_up_demo_site
from app.services.intake import add_orders
from db.bulk import insert_returning_ids
from db.engine import Database
from db.models import (
    Channel,
    Location,
    Order,
    Product,
    ProductBarcode,
    StockLevel,
    StockMove,
    User,
    Warehouse,
)
from db.types import utcnow
from db.uow import read, run_in_transaction

CHANNELS = [
    ("web", "Web shop (Shopify)", "shopify", False),
    ("amazon", "Amazon marketplace", "json", False),
    ("b2b", "B2B portal (Magento)", "magento", True),
    ("phone", "Phone orders", "manual", False),
]
USERS = [
    ("admin", "Alex Admin", "admin"),
    ("sam", "Sam Supervisor", "supervisor"),
    ("pat", "Pat Packer", "packer"),
    ("pia", "Pia Picker", "picker"),
    ("cara", "Cara Service", "service"),
    ("rex", "Rex Returns", "returns"),
]
BATCH = 5_000  # orders per transaction: memory stays flat, other stations get in


@dataclass(frozen=True)
class DemoSummary:
    products: int
    locations: int
    orders: int  # created by this run
    allocated: int  # of those: holding stock (allocated, picking, picked or packed)
    backordered: int
    held: int
    already_present: int = 0  # of the orders asked for, loaded by an earlier run
    returns: int = 0  # made by this run (app.services.demo_returns)
    by_status: dict[str, int] = field(default_factory=dict)  # orders made, per status


@dataclass(frozen=True)
class _Catalogue:
    """The random part of the demo catalogue, SKU by SKU, drawn before any transaction
    (a retried transaction must not draw again)."""

    sizes: list[dict[str, Any]]
    opening_stock: list[int]


def gtin13(index: int) -> str:
    body = f"400638{index:06d}"
    return body + str(gs1_check_digit(body))


def load_demo(
    db: Database,
    actor: Actor,
    *,
    orders: int = 300,
    skus: int = 120,
    seed: int = DEFAULT_SEED,
    returns: bool = True,
    history: bool = True,
    now: datetime | None = None,
) -> DemoSummary:
    """The demo warehouse: `skus` products and `orders` orders of history up to `now`,
    made from `seed`, and (`returns`) some delivered orders returned.

    Without `history` it is a first morning instead: the orders of the last day and a
    half, none picked yet, taken in by intake and allocated by the allocation service
    (its risk holds, backorders and partial allocations), as tests of those need.

    The same arguments always make the same orders (same references), so loading again
    adds none twice: a run that was killed part-way is completed by running it again.
    """
    rng = random.Random(seed)
    catalogue = _draw_catalogue(rng, skus)
    run_in_transaction(db, lambda s: _master_data(s, actor, catalogue))
    moment = (now or utcnow()).astimezone(UTC).replace(tzinfo=None)
    site = read(db, lambda s: load_site(s, seed, orders, moment, fresh=not history))
    made: Counter[str] = Counter()
    present = 0
    chunks = [(start, min(start + BATCH, orders)) for start in range(0, orders, BATCH)]
    if history:
        written = _history(db, actor, site, chunks)
    else:
        written = (_first_morning(db, actor, site, start, stop) for start, stop in chunks)
    for (start, stop), statuses in zip(chunks, written, strict=True):
        if statuses is None:
            present += stop - start
        else:
            made.update(statuses)

    def count(session: Session) -> tuple[int, int]:
        return (
            session.scalar(select(func.count()).select_from(Product)) or 0,
            session.scalar(select(func.count()).select_from(Location)) or 0,
        )

    products, locations = read(db, count)
    made_returns = add_demo_returns(db, actor) if returns else 0
    return DemoSummary(
        products=products,
        locations=locations,
        orders=sum(made.values()),
        allocated=sum(made[s] for s in RESERVING),
        backordered=made["backordered"],
        held=made["on_hold"],
        already_present=present,
        returns=made_returns,
        by_status=dict(made),
    )


def _history(
    db: Database, actor: Actor, site: Site, chunks: list[tuple[int, int]]
) -> Iterator[Counter[str] | None]:
    """Each chunk (start, stop) of the history written in a transaction of its own: its
    orders per status, or None when an earlier run wrote it. A thread draws the next
    chunk's orders and customers while one is written."""
    if not chunks:
        return
    with ThreadPoolExecutor(1, thread_name_prefix="demo-plans") as planner:
        drawing = _drawing(db, planner, site, *chunks[0])
        for following in [*chunks[1:], None]:
            drawn = drawing.result() if drawing else None
            if following:
                drawing = _drawing(db, planner, site, *following)
            if drawn is None:
                yield None
            else:
                yield run_in_transaction(
                    db, partial(_history_chunk, actor=actor, site=site, drawn=drawn)
                )


def _drawing(
    db: Database, planner: ThreadPoolExecutor, site: Site, start: int, stop: int
) -> Future[Drawn] | None:
    """Orders `start` to `stop - 1` being drawn by `planner`; None when an earlier run
    wrote them (a run completing a killed one draws none of what it had written)."""
    if read(db, lambda s: present_already(s, site, stop - 1)):
        return None
    return planner.submit(draw, site, start, stop)


def _history_chunk(
    session: Session, *, actor: Actor, site: Site, drawn: Drawn
) -> Counter[str] | None:
    """Orders `drawn` of the history; None when an earlier run wrote them (a chunk is
    written in one transaction: its last order says)."""
    authorize(session, actor, "demo.load")
    if present_already(session, site, drawn.plans[-1].i):
        return None
    return write_chunk(session, site, drawn)


def _first_morning(
    db: Database, actor: Actor, site: Site, start: int, stop: int
) -> Counter[str] | None:
    """Orders `start` to `stop - 1` through intake and allocation; None when an earlier
    run took them in."""
    batch = [_new_order(site, plan(site, i)) for i in range(start, stop)]
    intake = run_in_transaction(db, partial(add_orders, actor=actor, orders=batch, notify=False))
    if not intake.created:
        return None
    numbers = intake.created

    def allocated(session: Session) -> Counter[str]:
        allocate_in(session, actor)
        return Counter(
            dict(
                session.execute(
                    select(Order.status, func.count())
                    .where(Order.number.in_(numbers))
                    .group_by(Order.status)
                ).all()
            )
        )

    return run_in_transaction(db, allocated)


def _new_order(site: Site, p: Plan) -> NewOrder:
    person = customer(site.seed, p.customer)
    lines = tuple(
        NewLine(site.products[index].sku, qty, Decimal(site.products[index].cents) / 100)
        for index, qty in p.lines
    )
    placed = p.placed.replace(tzinfo=UTC)
    return NewOrder(
        channel=p.channel,
        external_ref=p.ref,
        placed_at=placed,
        ship_to=Address(
            name=person.name,
            address1=person.address1,
            address2=person.address2,
            city=person.city,
            postcode=person.postcode,
            country=person.country,
            region=person.region,
            phone=person.phone,
        ),
        lines=lines,
        email=person.email,
        customer_name=person.name,
        service_level=p.service,
        ship_by=placed + timedelta(days=SHIP_WITHIN[p.service]),
        currency="EUR",
        shipping_total=Decimal("4.95"),
    )


def _draw_catalogue(rng: random.Random, skus: int) -> _Catalogue:
    """Every SKU's draws, whether or not it exists yet: the same seed then makes the
    same catalogue on every run."""
    sizes = [draw_product(rng, i) for i in range(1, skus + 1)]
    opening = [rng.choice([0, 5, 12, 20, 40, 60, 80, 150]) for _ in range(skus)]
    return _Catalogue(sizes, [0 if sold_out(i) else q for i, q in enumerate(opening, 1)])


def _master_data(session: Session, actor: Actor, catalogue: _Catalogue) -> None:
    authorize(session, actor, "demo.load")
    skus = len(catalogue.sizes)
    if session.scalar(select(Warehouse.id).where(Warehouse.code == "MAIN")) is None:
        session.add(
            Warehouse(
                code="MAIN",
                name="Main warehouse",
                address1="Unit 4, Harbour Trade Park",
                city="Bristol",
                postcode="BS1 6XN",
                country="GB",
            )
        )
    for code, name, kind, ships_partial in CHANNELS:
        if session.scalar(select(Channel.id).where(Channel.code == code)) is None:
            session.add(Channel(code=code, name=name, kind=kind, allow_partial=ships_partial))
    set_up_demo_site(session, actor)
    for username, display, role in USERS:
        if session.scalar(select(User.id).where(User.username == username)) is None:
            session.add(
                User(
                    username=username,
                    display_name=display,
                    role=role,
                    badge=f"U:{username.upper()}",
                )
            )
    session.flush()
    warehouse_id = session.scalar(select(Warehouse.id).where(Warehouse.code == "MAIN"))
    known = session.scalar(select(func.count()).select_from(Product)) or 0
    if known >= skus:
        return
    new = range(known + 1, skus + 1)
    product_ids = insert_returning_ids(
        session,
        Product,
        [
            {
                "sku": f"SKU-{i:05d}",
                "name": product_name(i),
                **catalogue.sizes[i - 1],
                "active": True,
                "updated_at": utcnow(),
            }
            for i in new
        ],
    )
    session.execute(
        insert(ProductBarcode),
        [
            {"product_id": pid, "code": "0" + gtin13(i), "kind": "gtin"}
            for pid, i in zip(product_ids, new, strict=True)
        ],
    )
    location_ids = insert_returning_ids(
        session,
        Location,
        [
            {
                "warehouse_id": warehouse_id,
                "code": _bin_code(i),
                "kind": "pick",
                "pick_sequence": i,
                "active": True,
            }
            for i in new
        ],
    )
    levels = [
        (pid, lid, catalogue.opening_stock[i - 1])
        for pid, lid, i in zip(product_ids, location_ids, new, strict=True)
    ]
    session.execute(
        insert(StockLevel),
        [
            {"product_id": p, "location_id": loc, "on_hand": q, "reserved": 0, "version": 1}
            for p, loc, q in levels
        ],
    )
    moves = [
        {
            "product_id": p,
            "location_id": loc,
            "quantity": q,
            "kind": "receipt",
            "reason": "demo opening stock",
            "user_id": actor.user_id,
            "station": actor.station,
            "created_at": utcnow(),
        }
        for p, loc, q in levels
        if q
    ]
    if moves:
        session.execute(insert(StockMove), moves)


def _bin_code(i: int) -> str:
    """Aisle-rack-shelf-bin, e.g. A-01-02-B, numbered in walking order."""
    i -= 1
    aisle, rest = divmod(i, 10 * 4 * 4)
    rack, rest = divmod(rest, 4 * 4)
    shelf, bin_ = divmod(rest, 4)
    return f"{_aisle(aisle)}-{rack + 1:02d}-{shelf + 1:02d}-{'ABCD'[bin_]}"


def _aisle(index: int) -> str:
    """A, B, ... Z, AA, AB, ... like spreadsheet columns: big warehouses never repeat."""
    name = ""
    index += 1
    while index:
        index, letter = divmod(index - 1, 26)
        name = chr(65 + letter) + name
    return name
