"""A history of N orders for the queue benchmark, written in bulk (no service logic).

Two years of orders relative to now: old ones delivered or shipped (with tracking
numbers), a few cancelled, the last days spread over every open state, ship-by one to
three days after placing (so a few open orders are late). 200 surnames x 60 first
names, addresses in nine countries with their own postcodes and phones. The search
documents are written exactly as the services write them (search_index.document).
It is a benchmark database: stock, allocations and parcels are not modelled.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.context import Actor
from app.services.demo_data import load_demo
from app.services.search_index import document
from db.bulk import insert_rows
from db.engine import Database
from db.models import Channel, Order, OrderLine, OrderSearch, Product, Shipment
from db.uow import read, run_in_transaction

BATCH = 20_000
FIRST = [
    f"{a}{b}"
    for a in ("Al", "Be", "Ca", "Da", "El", "Fi")
    for b in ("ex", "na", "ra", "mo", "is", "ta", "lu", "ko", "ne", "vi")
]
SURNAMES = [
    f"{a}{b}{c}"
    for a in ("Mül", "Nov", "Ber", "Dub", "Gar", "Ros", "Smi", "Wes")
    for b in ("ak", "ler", "ois", "cia", "si")
    for c in ("", "son", "ski", "ez", "berg")
]
PLACES = [
    (
        "GB",
        "+44",
        lambda r: (
            f"{r.choice('SWNEM')}{r.randint(1, 20)} {r.randint(1, 9)}{r.choice('ABDEFG')}"
            + r.choice("HJLNPQ")
        ),
    ),
    ("DE", "+49", lambda r: f"{r.randint(10000, 99999)}"),
    ("FR", "+33", lambda r: f"{r.randint(10000, 95999)}"),
    ("NL", "+31", lambda r: f"{r.randint(1000, 9999)} {r.choice('ABCDKL')}{r.choice('MNPRST')}"),
    ("ES", "+34", lambda r: f"{r.randint(1000, 52999):05d}"),
    ("PL", "+48", lambda r: f"{r.randint(10, 99)}-{r.randint(100, 999)}"),
    ("SE", "+46", lambda r: f"{r.randint(100, 999)} {r.randint(10, 99)}"),
    ("US", "+1", lambda r: f"{r.randint(10000, 99999)}"),
    ("IT", "+39", lambda r: f"{r.randint(10000, 99999)}"),
]
STREETS = ["High Street", "Hauptstraße", "Rue de Paris", "Main St", "Via Roma"]
SERVICES = ["standard"] * 6 + ["express"] * 2 + ["economy", "overnight"]
PRIORITY = {"overnight": 1, "express": 2, "standard": 5, "economy": 7}
OPEN = [
    "new",
    "allocated",
    "allocated",
    "allocated",
    "backordered",
    "on_hold",
    "picking",
    "picked",
    "packed",
]


def order_count(db: Database) -> int:
    return read(db, lambda s: s.scalar(select(func.count()).select_from(Order)) or 0)


def build(db: Database, orders: int, seed: int = 12) -> None:
    """Fill an empty, upgraded database with `orders` orders of history."""
    load_demo(db, Actor("bench", "bench"), orders=0, skus=300)
    catalogue = read(
        db, lambda s: s.execute(select(Product.sku, Product.name, Product.price)).all()
    )
    channels = read(db, lambda s: dict(s.execute(select(Channel.code, Channel.id)).all()))
    rng = random.Random(seed)
    now = datetime.now(UTC)
    for start in range(0, orders, BATCH):
        batch = list(_orders(rng, now, start, min(BATCH, orders - start), orders, channels))
        run_in_transaction(db, lambda s, b=batch: _write(s, rng, catalogue, now, b))


def _orders(
    rng: random.Random, now: datetime, start: int, count: int, total: int, channels: dict[str, int]
) -> Iterator[dict[str, Any]]:
    codes = sorted(channels)
    for i in range(start, start + count):
        age = (total - i) / total  # the first orders are the oldest: ids follow time
        placed = now - timedelta(days=730 * age**1.5, minutes=rng.randint(0, 600))
        recent = now - placed < timedelta(days=4)
        status = (
            rng.choice(OPEN)
            if recent
            else (
                "cancelled"
                if rng.random() < 0.03
                else "delivered"
                if now - placed > timedelta(days=9)
                else "shipped"
            )
        )
        service = rng.choice(SERVICES)
        country, calling, postcode = rng.choice(PLACES)
        first, last = rng.choice(FIRST), rng.choice(SURNAMES)
        channel = rng.choice(codes)
        yield {
            "id": i + 1,
            "number": f"SO-{100001 + i}",
            "channel_id": channels[channel],
            "external_ref": f"{channel.upper()}-{i:07d}",
            "status": status,
            "held_from": "new" if status == "on_hold" else None,
            "hold_reason": rng.choice(
                ["Address to be confirmed", "Payment to be checked", "Customer asked us to wait"]
            )
            if status == "on_hold"
            else None,
            "priority": PRIORITY[service],
            "service_level": service,
            "placed_at": placed,
            "ship_by": placed + timedelta(days=1 if service in ("express", "overnight") else 3),
            "currency": "EUR",
            "payment_status": "paid",
            "email": f"{first}.{last}.{i}@example.{country.lower()}".lower(),
            "ship_name": f"{first} {last}",
            "ship_address1": f"{rng.randint(1, 300)} {rng.choice(STREETS)}",
            "ship_city": rng.choice(
                [
                    "London",
                    "Berlin",
                    "Lyon",
                    "Utrecht",
                    "Sevilla",
                    "Gdańsk",
                    "Malmö",
                    "Denver",
                    "Torino",
                ]
            ),
            "ship_postcode": postcode(rng),
            "ship_country": country,
            "ship_phone": f"{calling} {rng.randint(100, 999)} {rng.randint(100000, 9999999)}",
            "created_at": placed,
            "updated_at": placed,
        }


def _write(
    session: Session,
    rng: random.Random,
    catalogue: list[Any],
    now: datetime,
    orders: list[dict[str, Any]],
) -> None:
    lines, shipments, docs = [], [], []
    for order in orders:
        picked = rng.sample(catalogue, k=rng.choice([1, 1, 1, 2, 2, 3, 4]))
        done = order["status"] in ("shipped", "delivered")
        total = Decimal("4.95")
        for no, (sku, name, price) in enumerate(picked, 1):
            qty = rng.choice([1, 1, 1, 2, 3])
            total += (price or Decimal("9.99")) * qty
            lines.append({
                "order_id": order["id"], "line_no": no, "sku": sku, "name": name,
                "unit_price": price or Decimal("9.99"), "qty_ordered": qty,
                "qty_allocated": qty if done else 0, "qty_picked": qty if done else 0,
                "qty_packed": qty if done else 0, "qty_shipped": qty if done else 0,
            })  # fmt: skip
        order["grand_total"] = order["subtotal"] = total
        tracking = None
        if done:
            tracking = f"SS{order['id']:09d}GB"
            shipped = order["placed_at"] + timedelta(hours=rng.randint(4, 40))
            shipments.append({
                "order_id": order["id"], "carrier": "demo-post",
                "service_level": order["service_level"],
                "tracking_number": tracking, "status": order["status"], "packed_at": shipped,
                "shipped_at": shipped,
                "delivered_at": (
                    shipped + timedelta(days=2) if order["status"] == "delivered" else None
                ),
            })  # fmt: skip
        values = [order["number"], order["external_ref"], order["email"], order["ship_name"]]
        values += [order["ship_postcode"], tracking, *(sku for sku, _, _ in picked)]
        docs.append({"order_id": order["id"], "document": document(values, order["ship_phone"])})
    insert_rows(session, Order, orders)
    insert_rows(session, OrderLine, lines)
    insert_rows(session, Shipment, shipments)
    insert_rows(session, OrderSearch, docs)
