"""The permission table, exhaustively: every role tries every action through the service
that does it, on SQLite and PostgreSQL. A refused role gets the table's sentence and
changes nothing; an allowed role gets the work done."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.contact_details import ContactDetails
from app.domain.credentials import hash_secret
from app.domain.permissions import GRANTS, ROLES, allowed, refusal
from app.domain.returns import Condition, Disposition, ReceiptItem
from app.errors import PermissionDenied
from app.imports.orders import import_orders
from app.imports.own_format import read_json_orders
from app.imports.tracking import CarrierEvent
from app.services.allocation import allocate
from app.services.audit_trail import AuditQuery, audit_trail
from app.services.catalogue import ProductInput, upsert_products
from app.services.demo_data import load_demo
from app.services.intake import create_manual_order, create_orders
from app.services.intercepts import put_away
from app.services.inventory import StockCount, apply_counts
from app.services.notifications import queue_message
from app.services.order_actions import add_note, cancel_order, hold_order, release_hold
from app.services.order_contact import edit_contact
from app.services.outbox import resend_message
from app.services.pack_claims import claim_next_order, release_packing
from app.services.pack_completion import pack_unverified
from app.services.pick_lists import create_pick_lists
from app.services.picking import claim_next_pick_list
from app.services.refunds import issue_refund
from app.services.reports import run_report
from app.services.reports.period import ReportQuery
from app.services.returns import authorise_return, receive_return
from app.services.settings import set_settings
from app.services.shipping import ship_order
from app.services.stations import StationDevices, save_station_devices
from app.services.tracking import import_tracking
from app.services.users import add_user
from db.engine import Database
from db.models import AuditEvent, EmailOutbox, Order, Shipment, StockMove, User
from db.uow import read, run_in_transaction
from tests import factories

# One hash for every test user: Argon2 is slow on purpose.
HASH = hash_secret("permission-tests")
Perform = Callable[[Actor], Any]
Scenario = Callable[[Database, Actor], Perform]


def _order(db: Database, admin: Actor, units: int = 1) -> str:
    return factories.place(db, admin, {"MUG": units})


def _shipped(db: Database, admin: Actor) -> str:
    number = _order(db, admin)
    allocate(db, admin)
    pack_unverified(db, admin, number)
    ship_order(db, admin, number)
    return number


def _version(db: Database, number: str) -> int:
    return read(db, lambda s: s.scalars(select(Order.version).where(Order.number == number)).one())


def order_create(db: Database, admin: Actor) -> Perform:
    order = factories.new_order({"MUG": 1}, channel="phone")
    return lambda actor: create_manual_order(db, actor, order)


def order_import(db: Database, admin: Actor) -> Perform:
    factories.channel(db)
    return lambda actor: create_orders(db, actor, [factories.new_order({"MUG": 1})])


def order_edit(db: Database, admin: Actor) -> Perform:
    number = _order(db, admin)
    seen = _version(db, number)
    new = ContactDetails("Ana Ruiz", "Calle Mayor 1", "28013", "Madrid", "ES")
    return lambda actor: edit_contact(db, actor, number, seen, new)


def order_cancel(db: Database, admin: Actor) -> Perform:
    number = _order(db, admin)
    return lambda actor: cancel_order(db, actor, number, "customer changed their mind")


def order_hold(db: Database, admin: Actor) -> Perform:
    number = _order(db, admin)
    return lambda actor: hold_order(db, actor, number, "address check")


def order_release(db: Database, admin: Actor) -> Perform:
    number = _order(db, admin)
    hold_order(db, admin, number, "address check")
    return lambda actor: release_hold(db, actor, number, "address confirmed by phone")


def order_note(db: Database, admin: Actor) -> Perform:
    number = _order(db, admin)
    return lambda actor: add_note(db, actor, number, "customer asked for a call")


def risk_release(db: Database, admin: Actor) -> Perform:
    """An order that came in on hold (payment not authorised) worth more than 1000."""
    factories.channel(db)
    big = replace(factories.new_order({"MUG": 150}), payment_status="pending")
    number = create_orders(db, admin, [big]).created[0]
    return lambda actor: release_hold(db, actor, number, "payment confirmed by the bank")


def stock_adjust(db: Database, admin: Actor) -> Perform:
    return lambda actor: apply_counts(db, actor, [StockCount("MUG", "A-01-01-A", 7)])


def stock_receive(db: Database, admin: Actor) -> Perform:
    counts = [StockCount("MUG", "A-01-01-A", 3)]
    return lambda actor: apply_counts(db, actor, counts, receive=True)


def stock_put_away(db: Database, admin: Actor) -> Perform:
    number = _order(db, admin)
    allocate(db, admin)
    pack_unverified(db, admin, number)
    cancel_order(db, admin, number, "customer cancelled")
    return lambda actor: put_away(db, actor, number, "MUG", 1, "A-01-01-A")


def catalogue_edit(db: Database, admin: Actor) -> Perform:
    return lambda actor: upsert_products(db, actor, [ProductInput(sku="NEW-1", name="New")])


def pick_list_build(db: Database, admin: Actor) -> Perform:
    _order(db, admin)
    allocate(db, admin)
    return lambda actor: create_pick_lists(db, actor)


def pick(db: Database, admin: Actor) -> Perform:
    _order(db, admin)
    allocate(db, admin)
    create_pick_lists(db, admin)
    return lambda actor: claim_next_pick_list(db, actor)


def pack(db: Database, admin: Actor) -> Perform:
    return lambda actor: claim_next_order(db, actor)


def pack_release(db: Database, admin: Actor) -> Perform:
    number = _order(db, admin)
    order_id = read(db, lambda s: s.scalars(select(Order.id).where(Order.number == number)).one())
    return lambda actor: release_packing(db, actor, order_id, force=True, reason="station died")


def pack_unverified_(db: Database, admin: Actor) -> Perform:
    number = _order(db, admin)
    allocate(db, admin)
    return lambda actor: pack_unverified(db, actor, number)


def ship(db: Database, admin: Actor) -> Perform:
    number = _order(db, admin)
    allocate(db, admin)
    pack_unverified(db, admin, number)
    return lambda actor: ship_order(db, actor, number)


def return_create(db: Database, admin: Actor) -> Perform:
    number = _shipped(db, admin)
    return lambda actor: authorise_return(db, actor, number, {"MUG": 1}, "damaged", "refund")


def _received_item() -> list[ReceiptItem]:
    return [ReceiptItem("MUG", 1, Condition.SELLABLE, Disposition.RESTOCK, "A-01-01-A")]


def return_receive(db: Database, admin: Actor) -> Perform:
    number = _shipped(db, admin)
    rma = authorise_return(db, admin, number, {"MUG": 1}, "damaged", "refund").number
    return lambda actor: receive_return(db, actor, rma, _received_item())


def refund_issue(db: Database, admin: Actor) -> Perform:
    number = _shipped(db, admin)
    rma = authorise_return(db, admin, number, {"MUG": 1}, "damaged", "refund").number
    receive_return(db, admin, rma, _received_item())
    return lambda actor: issue_refund(db, actor, rma)


def email_resend(db: Database, admin: Actor) -> Perform:
    number = _order(db, admin)

    def sent(session: Session) -> int:
        order_id = session.scalar(select(Order.id).where(Order.number == number))
        outbox_id = queue_message(session, int(order_id or 0), "order_received")
        session.execute(update(EmailOutbox).values(status="sent"))
        return int(outbox_id or 0)

    outbox_id = run_in_transaction(db, sent)
    return lambda actor: resend_message(db, actor, outbox_id)


def tracking_import(db: Database, admin: Actor) -> Perform:
    number = _shipped(db, admin)
    tracking = read(
        db,
        lambda s: s.scalar(
            select(Shipment.tracking_number).join(Order).where(Order.number == number)
        ),
    )
    event = CarrierEvent(str(tracking), "in transit", datetime.now(UTC), "Bristol", "test:1")
    return lambda actor: import_tracking(db, actor, [event], source="test")


def report_view(db: Database, admin: Actor) -> Perform:
    _shipped(db, admin)
    today = date.today()
    return lambda actor: run_report(db, actor, "daily", ReportQuery(today, today))


def audit_view(db: Database, admin: Actor) -> Perform:
    return lambda actor: audit_trail(db, actor, AuditQuery(limit=10))


def settings_change(db: Database, admin: Actor) -> Perform:
    return lambda actor: set_settings(db, actor, {"company.phone": "+44 117 496 0000"})


def station_configure(db: Database, admin: Actor) -> Perform:
    return lambda actor: save_station_devices(db, actor, StationDevices("pack-9", "", "", ""))


def users_manage(db: Database, admin: Actor) -> Perform:
    counter = iter(range(1000))
    return lambda actor: add_user(db, actor, f"new{next(counter)}", "packer", "long enough 1")


def demo_load(db: Database, admin: Actor) -> Perform:
    return lambda actor: load_demo(db, actor, orders=2, skus=3, returns=False)


SCENARIOS: dict[str, Scenario] = {
    "order.create": order_create,
    "order.import": order_import,
    "order.edit": order_edit,
    "order.cancel": order_cancel,
    "order.hold": order_hold,
    "order.release": order_release,
    "order.note": order_note,
    "risk.release_over_threshold": risk_release,
    "stock.adjust": stock_adjust,
    "stock.receive": stock_receive,
    "stock.put_away": stock_put_away,
    "catalogue.edit": catalogue_edit,
    "pick_list.build": pick_list_build,
    "pick": pick,
    "pack": pack,
    "pack.release": pack_release,
    "pack.unverified": pack_unverified_,
    "ship": ship,
    "return.create": return_create,
    "return.receive": return_receive,
    "refund.issue": refund_issue,
    "email.resend": email_resend,
    "report.view": report_view,
    "tracking.import": tracking_import,
    "audit.view": audit_view,
    "settings.change": settings_change,
    "station.configure": station_configure,
    "users.manage": users_manage,
    "demo.load": demo_load,
}
# Checks that need two permissions: the first refusal a role meets is the one it reads.
ALSO_NEEDS = {"risk.release_over_threshold": "order.release"}


def _staff(db: Database) -> dict[str, Actor]:
    """One signed-in user per role, on a site with stock that takes many orders from one
    address (the risk rules would hold them)."""
    actors = _users(db)
    admin = actors["admin"]
    factories.stock(db, admin, {"MUG": 400})
    many = {"risk.max_orders_per_address_per_day": 1000, "risk.max_orders_per_email_per_day": 1000}
    set_settings(db, admin, many)
    return actors


def _users(db: Database) -> dict[str, Actor]:

    def work(session: Session) -> dict[str, Actor]:
        actors = {}
        for role in ROLES:
            user = User(username=f"{role}1", display_name=role, role=role, password_hash=HASH)
            session.add(user)
            session.flush()
            actors[role] = Actor(f"{role}1", "test-station", user.id, role)
        return actors

    return run_in_transaction(db, work)


def _footprint(db: Database) -> tuple[int, ...]:
    def work(session: Session) -> tuple[int, ...]:
        return tuple(
            int(session.scalar(select(func.count()).select_from(table)) or 0)
            for table in (AuditEvent, Order, StockMove, EmailOutbox, User)
        )

    return read(db, work)


def test_every_action_in_the_table_has_a_scenario() -> None:
    assert set(SCENARIOS) == set(GRANTS)


def test_every_action_is_checked_by_some_service() -> None:
    """No action in the table is decoration: the app's code names each one."""
    from pathlib import Path

    source = "\n".join(p.read_text() for p in Path("app/services").rglob("*.py"))
    assert [a for a in GRANTS if f'"{a}"' not in source] == []


@pytest.mark.parametrize("action", sorted(SCENARIOS))
def test_each_role_may_do_exactly_what_the_table_grants(db: Database, action: str) -> None:
    staff = _staff(db)
    admin = staff["admin"]
    for role, actor in staff.items():
        perform = SCENARIOS[action](db, admin)
        needed = [a for a in (ALSO_NEEDS.get(action), action) if a]
        refused = next((a for a in needed if not allowed(role, a)), None)
        if refused is None:
            perform(actor)
            continue
        before = _footprint(db)
        with pytest.raises(PermissionDenied) as caught:
            perform(actor)
        assert str(caught.value) == refusal(role, refused), role
        assert _footprint(db) == before, f"{role} was refused {action} but something changed"


def test_a_supervisor_releases_a_costly_risk_hold_an_agent_cannot(db: Database) -> None:
    staff = _staff(db)
    perform = risk_release(db, staff["admin"])
    with pytest.raises(PermissionDenied, match="customer service agent may not release a risk"):
        perform(staff["service"])
    perform(staff["supervisor"])
    # A hold put on by hand is the desk's to release, whatever the order is worth.
    number = create_orders(db, staff["admin"], [factories.new_order({"MUG": 150})]).created[0]
    hold_order(db, staff["service"], number, "customer asked to wait")
    assert release_hold(db, staff["service"], number, "customer rang back") == "new"


def test_an_order_file_is_imported_only_by_roles_that_may_import_orders(
    db: Database, tmp_path: Path
) -> None:
    staff = _users(db)
    path = tmp_path / "orders.json"
    path.write_text("[]\n")
    for role, actor in staff.items():
        if allowed(role, "order.import"):
            import_orders(db, actor, read_json_orders(path, None), partial=False)
        else:
            with pytest.raises(PermissionDenied, match=refusal(role, "order.import")):
                import_orders(db, actor, read_json_orders(path, None), partial=False)
