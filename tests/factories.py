"""Small builders for service tests: a catalogue with stock, and orders."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.new_order import Address, NewLine, NewOrder
from app.services.catalogue import ProductInput, ensure_channel, upsert_products
from app.services.demo_site import set_up_demo_site
from app.services.intake import create_orders
from app.services.inventory import StockCount, apply_counts
from db.engine import Database
from db.uow import run_in_transaction

ADDRESS = Address(
    name="Zoë Müller", address1="Torstraße 12", city="Berlin", postcode="10115", country="DE"
)
_counter = iter(range(1, 10**9))


def site(db: Database, actor: Actor) -> None:
    """Set the site up as the demo warehouse is: sender, GS1 prefix, boxes, a carrier."""
    run_in_transaction(db, lambda session: set_up_demo_site(session, actor))


def stock(db: Database, actor: Actor, units: dict[str, int], location: str = "A-01-01-A") -> None:
    """Create products SKU -> units on hand, each at `location` (or its own bin), on a
    site that is set up for packing."""
    site(db, actor)
    upsert_products(db, actor, [ProductInput(sku=sku, name=f"Product {sku}") for sku in units])
    counts = [StockCount(sku, location, qty) for sku, qty in units.items() if qty]
    if counts:
        apply_counts(db, actor, counts, receive=True)


def channel(db: Database, code: str = "web", *, allow_partial: bool | None = None) -> None:
    def work(session: Session) -> None:
        created = ensure_channel(session, code, "csv")
        if allow_partial is not None:
            created.allow_partial = allow_partial

    run_in_transaction(db, work)


def new_order(
    lines: dict[str, int],
    *,
    ref: str | None = None,
    channel: str = "web",
    service_level: str = "standard",
    placed_minutes_ago: int = 60,
    allow_partial: bool | None = None,
) -> NewOrder:
    return NewOrder(
        channel=channel,
        external_ref=ref or f"#{next(_counter)}",
        placed_at=datetime.now(UTC) - timedelta(minutes=placed_minutes_ago),
        ship_to=ADDRESS,
        lines=tuple(NewLine(sku, qty, Decimal("10.00")) for sku, qty in lines.items()),
        email="zoe@example.de",
        service_level=service_level,
        allow_partial=allow_partial,
    )


def place(db: Database, actor: Actor, lines: dict[str, int], **kwargs: object) -> str:
    """Create one order (channel 'web' created if needed); return its number."""
    channel(db, str(kwargs.get("channel", "web")))
    result = create_orders(db, actor, [new_order(lines, **kwargs)])  # type: ignore[arg-type]
    return result.created[0]
