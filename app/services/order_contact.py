"""Changing where an order goes, and how to reach its customer, until packing starts.

Optimistic locking: the desk sends the order's version as it read it. If anyone changed
the order since (a packer opened it at a station, another agent saved first), the edit
is refused with what happened and nothing is overwritten. Labels are rendered from the
order row when the parcel is packed, so they always carry the latest saved address.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.contact_details import ContactDetails, contact_problems
from app.domain.new_order import SERVICE_PRIORITY
from app.domain.order_workflow import OrderStatus
from app.errors import ConcurrencyConflict, InvalidTransition, ValidationFailed
from app.services import search_index
from app.services.access import authorize
from app.services.audit import record
from app.services.orders import find_order
from db.engine import Database
from db.models import Order
from db.uow import read, run_in_transaction

S = OrderStatus
EDITABLE = frozenset({S.NEW, S.ON_HOLD, S.BACKORDERED, S.ALLOCATED, S.PICKING, S.PICKED})
_COLUMNS = {
    "name": "ship_name",
    "company": "ship_company",
    "address1": "ship_address1",
    "address2": "ship_address2",
    "postcode": "ship_postcode",
    "city": "ship_city",
    "region": "ship_region",
    "country": "ship_country",
    "phone": "ship_phone",
    "email": "email",
    "service_level": "service_level",
}
_OPTIONAL = frozenset({"company", "address2", "region", "phone", "email"})  # NULL when blank


def contact_of(order: Order) -> ContactDetails:
    """The order's ship-to and contact details as the desk edits them."""
    return ContactDetails(
        **{field: getattr(order, column) or "" for field, column in _COLUMNS.items()}
    )


def current_contact(db: Database, reference: str) -> tuple[ContactDetails, int]:
    """The order's contact details and the version they were read at."""

    def work(session: Session) -> tuple[ContactDetails, int]:
        order = find_order(session, reference)
        return contact_of(order), order.version

    return read(db, work)


def require_not_packing(order: Order, what: str) -> None:
    """Refuse `what` once a station is packing the order or it is packed or beyond."""
    if order.packing_station:
        who = f" ({order.packing_user})" if order.packing_user else ""
        raise InvalidTransition(
            f"{order.number} is being packed at station {order.packing_station}{who}; "
            f"{what} can no longer be changed: ask the packer, or intercept the order"
        )
    if order.status not in EDITABLE:
        raise InvalidTransition(
            f"{order.number} is {order.status.replace('_', ' ')}; {what} can only be changed "
            "until packing starts"
        )


def require_version(order: Order, seen_version: int) -> None:
    """Refuse when the order changed since the desk read it, saying what is going on now."""
    if order.version == seen_version:
        return
    now = f"it is {order.status.replace('_', ' ')} now"
    if order.packing_station:
        now = f"station {order.packing_station} ({order.packing_user or 'someone'}) has opened it"
    raise ConcurrencyConflict(
        f"{order.number} was changed by someone else since you opened it ({now}); "
        "nothing was saved: reload the order to see its latest details"
    )


def edit_contact(
    db: Database, actor: Actor, reference: str, seen_version: int, details: ContactDetails
) -> int:
    """Save the ship-to address, phone, e-mail and service level; returns the new version."""
    wanted = details.cleaned()
    problems = contact_problems(wanted)
    if problems:
        raise ValidationFailed(f"the address of {reference} was not saved", problems)

    def work(session: Session) -> int:
        authorize(session, actor, "order.edit")
        order = find_order(session, reference, for_update=True)
        require_version(order, seen_version)
        require_not_packing(order, "the address")
        changes = wanted.changes_from(contact_of(order))
        if not changes:
            return order.version
        for field, (_, after) in changes.items():
            setattr(order, _COLUMNS[field], (after or None) if field in _OPTIONAL else after)
        if "service_level" in changes:
            order.priority = SERVICE_PRIORITY[wanted.service_level]
        summary = "; ".join(
            f"{field}: {before!r} → {after!r}" for field, (before, after) in changes.items()
        )
        record(
            session,
            actor,
            "order",
            order.id,
            "address changed",
            reason=summary,
            details={"changes": {field: list(pair) for field, pair in changes.items()}},
        )
        session.flush()  # bumps the version the next editor must have seen
        search_index.refresh(session, [order.id])  # found by the new address, phone, e-mail
        return order.version

    return run_in_transaction(db, work)
