"""A believable demo warehouse: aisles and bins, products with real GTINs, customers
in several countries, orders from every channel in every early state."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import timedelta
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
from app.services.demo_returns import add_demo_returns
from app.services.demo_site import set_up_demo_site
from app.services.intake import add_orders
from db.bulk import insert_returning_ids
from db.engine import Database
from db.models import (
    Channel,
    Location,
    Product,
    ProductBarcode,
    StockLevel,
    StockMove,
    User,
    Warehouse,
)
from db.types import utcnow
from db.uow import run_in_transaction

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
ADJECTIVES = [
    "Organic",
    "Classic",
    "Travel",
    "Premium",
    "Eco",
    "Mini",
    "Deluxe",
    "Everyday",
    "Nordic",
    "Alpine",
    "Coastal",
    "Urban",
    "Vintage",
    "Compact",
    "Bamboo",
]
NOUNS = [
    "Tea Tin",
    "Coffee Beans 500 g",
    "Water Bottle",
    "Notebook A5",
    "Desk Lamp",
    "Yoga Mat",
    "Phone Case",
    "Wool Socks",
    "Candle",
    "Chopping Board",
    "Backpack",
    "Sunglasses",
    "Scarf",
    "Mug",
    "Headphones",
    "Plant Pot",
    "Soap Bar",
    "Towel",
]
COUNTRIES: dict[str, list[tuple[str, str, str, str | None]]] = {
    # country: (city, postcode, street, region)
    "GB": [
        ("London", "SW1A 1AA", "Baker Street", None),
        ("Manchester", "M1 1AE", "Deansgate", None),
    ],
    "DE": [
        ("Berlin", "10115", "Torstraße", None),
        ("München", "80331", "Sendlinger Straße", "Bayern"),
    ],
    "FR": [
        ("Paris", "75003", "Rue de Bretagne", None),
        ("Lyon", "69002", "Rue de la République", None),
    ],
    "NL": [("Amsterdam", "1016 DK", "Prinsengracht", None)],
    "ES": [("Madrid", "28013", "Calle Mayor", None)],
    "PL": [("Kraków", "31-042", "ulica Floriańska", None)],
    "SE": [("Göteborg", "411 38", "Kungsgatan", None)],
    "GR": [("Αθήνα", "105 57", "Ερμού", None)],
    "US": [
        ("Portland", "97205", "SW Morrison St", "OR"),
        ("Austin", "78701", "Congress Ave", "TX"),
    ],
}
NAMES = [
    "Zoë Müller",
    "Łukasz Nowak",
    "Øystein Berg",
    "Γιώργος Παπαδόπουλος",
    "Дмитрий Иванов",
    "Amélie Dubois",
    "Seán O'Brien",
    "María José García",
    "Chloé Martin",
    "Jan de Vries",
    "Emma Johansson",
    "Noah Smith",
    "Olivia Brown",
    "Liam Wilson",
    "Ava Taylor",
    "Mia Schneider",
    "Lucas Bernard",
    "Sofia Rossi",
    "Ethan Clarke",
    "Hannah Weber",
]
BATCH = 20_000
CALLING_CODES = {
    "GB": "+44",
    "DE": "+49",
    "FR": "+33",
    "NL": "+31",
    "ES": "+34",
    "PL": "+48",
    "SE": "+46",
    "GR": "+30",
    "US": "+1",
}
SERVICES = ["standard"] * 6 + ["express"] * 2 + ["economy", "overnight"]


@dataclass(frozen=True)
class DemoSummary:
    products: int
    locations: int
    orders: int  # created by this run
    allocated: int
    backordered: int
    held: int
    already_present: int = 0  # of the orders asked for, loaded by an earlier run
    returns: int = 0  # made by this run (app.services.demo_returns)


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
    seed: int = 7,
    returns: bool = True,
) -> DemoSummary:
    """The demo warehouse: `skus` products and `orders` orders, made from `seed`, and
    (`returns`) a few of them shipped and returned.

    The same arguments always make the same orders (same references), so loading again
    adds none twice: a run that was killed part-way is completed by running it again.
    """
    rng = random.Random(seed)
    catalogue = _draw_catalogue(rng, skus)
    run_in_transaction(db, lambda s: _master_data(s, actor, catalogue))
    new_orders = _orders(db, rng, orders, seed)
    created = held = present = 0
    # Batches keep memory flat and let other stations in between (1,000,000 orders work).
    for start in range(0, len(new_orders), BATCH):
        batch = new_orders[start : start + BATCH]
        add = partial(add_orders, actor=actor, orders=batch, notify=False)
        intake = run_in_transaction(db, add)
        created += len(intake.created)
        held += len(intake.held)
        present += len(intake.already_present)

    def work(session: Session) -> DemoSummary:
        allocation = allocate_in(session, actor)
        return DemoSummary(
            products=session.scalar(select(func.count()).select_from(Product)) or 0,
            locations=session.scalar(select(func.count()).select_from(Location)) or 0,
            orders=created,
            allocated=len(allocation.allocated) + len(allocation.partially_allocated),
            backordered=len(allocation.backordered),
            held=held,
            already_present=present,
        )

    summary = run_in_transaction(db, work)
    return replace(summary, returns=add_demo_returns(db, actor) if returns else 0)


def _draw_catalogue(rng: random.Random, skus: int) -> _Catalogue:
    """Every SKU's draws, whether or not it exists yet: the orders drawn next from `rng`
    are then the same on every run with the same seed."""
    sizes = [
        {
            "weight_g": rng.randrange(50, 2500, 10),
            "length_mm": rng.randrange(50, 400, 10),
            "width_mm": rng.randrange(30, 300, 10),
            "height_mm": rng.randrange(10, 200, 10),
            "price": Decimal(rng.randrange(199, 9999)) / 100,
        }
        for _ in range(skus)
    ]
    return _Catalogue(sizes, [rng.choice([0, 5, 12, 20, 40, 60, 80]) for _ in range(skus)])


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
                "name": f"{ADJECTIVES[i % len(ADJECTIVES)]} "
                f"{NOUNS[(i // len(ADJECTIVES)) % len(NOUNS)]}",
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


def _phone(rng: random.Random, country: str) -> str:
    return f"{CALLING_CODES[country]} {rng.randint(100, 999)} {rng.randint(100000, 999999)}"


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


def _orders(db: Database, rng: random.Random, count: int, seed: int) -> list[NewOrder]:
    def skus(session: Session) -> list[tuple[str, Decimal | None]]:
        return list(session.execute(select(Product.sku, Product.price).order_by(Product.id)))

    catalogue = run_in_transaction(db, skus, read_only=True)
    now = utcnow()
    customers = []
    for i in range(max(count // 3, 5)):
        name = NAMES[i % len(NAMES)]
        country = rng.choice(list(COUNTRIES))
        city, postcode, street, region = rng.choice(COUNTRIES[country])
        email = f"{name.split()[0].lower()}.{i}@example.{country.lower()}"
        customers.append(
            (
                name,
                email,
                Address(
                    name=name,
                    address1=f"{rng.randint(1, 9999)} {street}",
                    city=city,
                    postcode=postcode,
                    country=country,
                    region=region,
                    phone=_phone(rng, country),
                ),
            )
        )
    result = []
    for i in range(count):
        channel = rng.choice(CHANNELS)[0]
        name, email, address = rng.choice(customers)
        # The last day and a half: most ship-by times are still ahead, express ones
        # placed more than a day ago are late, as on a real morning.
        placed = now - timedelta(minutes=rng.randint(5, 36 * 60))
        service = rng.choice(SERVICES)
        lines = tuple(
            NewLine(sku=sku, quantity=rng.randint(1, 3), unit_price=price or Decimal("9.99"))
            for sku, price in rng.sample(catalogue, k=min(len(catalogue), rng.randint(1, 4)))
        )
        ref = f"#{1000 + i}" if channel == "web" else f"{channel.upper()}-{seed}-{i:06d}"
        result.append(
            NewOrder(
                channel=channel,
                external_ref=ref,
                placed_at=placed,
                ship_to=address,
                lines=lines,
                email=email,
                customer_name=name,
                service_level=service,
                ship_by=placed + timedelta(days=1 if service in ("express", "overnight") else 3),
                currency="EUR",
                shipping_total=Decimal("4.95"),
                payment_status="pending" if i % 97 == 13 else "paid",
            )
        )
    return result
