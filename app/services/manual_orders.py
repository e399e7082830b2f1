"""The desk's manual order, created and allocated at once, and the customer's last
address found from their e-mail or name so it need not be typed again."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.new_order import Address, NewOrder
from app.services.allocation import AllocationResult, allocate
from app.services.intake import IntakeResult, create_manual_order
from db.engine import Database
from db.folding import folded
from db.models import Customer, Order
from db.uow import read


@dataclass(frozen=True)
class KnownCustomer:
    name: str
    email: str | None
    address: Address
    from_order: str  # the order the address was taken from


def create_and_allocate(
    db: Database, actor: Actor, order: NewOrder
) -> tuple[IntakeResult, AllocationResult]:
    """Create the order, then reserve its stock straight away unless it came in on hold.

    Two transactions: if allocation cannot run now, the order waits for the next
    Allocate as any other order does."""
    created = create_manual_order(db, actor, order)
    waiting = [number for number in created.created if number not in created.held]
    if not waiting:
        return created, AllocationResult()
    ids = read(db, lambda s: list(s.scalars(select(Order.id).where(Order.number.in_(waiting)))))
    return created, allocate(db, actor, order_ids=ids)


def known_customer(db: Database, text: str) -> KnownCustomer | None:
    """The newest order's address of the customer with this e-mail, or with this name
    when only one customer has it (customers are found by their indexed e-mail)."""
    text = text.strip()
    if len(text) < 3:
        return None

    def work(session: Session) -> KnownCustomer | None:
        if "@" in text:
            match = func.lower(Customer.email) == text.casefold()
        else:
            match = folded(Customer.name) == folded(text)
        ids = list(session.scalars(select(Customer.id).where(match).limit(2)))
        if len(ids) != 1 and "@" not in text:
            return None  # nobody, or two people share the name: do not guess
        order = session.scalars(
            select(Order)
            .where(Order.customer_id.in_(ids))
            .order_by(Order.placed_at.desc(), Order.id.desc())
            .limit(1)
        ).first()
        if order is None:
            return None
        return KnownCustomer(
            name=order.ship_name,
            email=order.email,
            address=Address(
                name=order.ship_name,
                address1=order.ship_address1,
                city=order.ship_city,
                postcode=order.ship_postcode,
                country=order.ship_country,
                company=order.ship_company,
                address2=order.ship_address2,
                region=order.ship_region,
                phone=order.ship_phone,
            ),
            from_order=order.number,
        )

    return read(db, work)
