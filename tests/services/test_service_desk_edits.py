"""The service desk changes an order: address and contact (optimistic locking), lines
before picking, a split, a free replacement; on both databases."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.contact_details import ContactDetails
from app.errors import ConcurrencyConflict, InvalidTransition, NotFound, ValidationFailed
from app.services.allocation import allocate
from app.services.document_data import labels_for_shipment
from app.services.integrity import verify
from app.services.order_contact import edit_contact
from app.services.order_copies import create_replacement, split_order
from app.services.order_lines import LineEdit, edit_lines
from app.services.order_lookup import resolve_order_number
from app.services.orders import order_detail
from app.services.pack_completion import pack_unverified
from app.services.packing import open_for_packing
from app.services.shipping import ship_order
from app.services.stats import stats
from db.engine import Database
from db.models import AuditEvent, Order
from db.uow import read
from tests.factories import place, stock

NEW_ADDRESS = ContactDetails(
    name="Zoë Müller",
    address1="Kastanienallee 7",
    postcode="10435",
    city="Berlin",
    country="de",
    phone="+49 30 1234567",
    email="zoe.mueller@example.de",
    service_level="express",
)


@pytest.fixture
def agent() -> Actor:
    return Actor(username="cara", station="desk-2")


def _audit(db: Database, number: str) -> list[tuple[str, str | None]]:
    def work(session: Session) -> list[tuple[str, str | None]]:
        order_id = session.scalar(select(Order.id).where(Order.number == number))
        stmt = (
            select(AuditEvent.action, AuditEvent.reason)
            .where(AuditEvent.entity == "order", AuditEvent.entity_id == order_id)
            .order_by(AuditEvent.id)
        )
        return [(action, reason) for action, reason in session.execute(stmt)]

    return read(db, work)


def _lines(db: Database, number: str) -> list[tuple[str, int, int]]:
    return [(li.sku, li.qty_ordered, li.qty_allocated) for li in order_detail(db, number).lines]


def test_the_new_address_is_saved_audited_and_printed_on_the_label(
    db: Database, actor: Actor, agent: Actor
) -> None:
    stock(db, actor, {"MUG": 5})
    number = place(db, actor, {"MUG": 1})
    allocate(db, actor)
    seen = order_detail(db, number).version

    version = edit_contact(db, agent, number, seen, NEW_ADDRESS)

    detail = order_detail(db, number)
    assert version == detail.version > seen
    assert detail.ship_to["address1"] == "Kastanienallee 7"
    assert (detail.ship_to["country"], detail.service_level, detail.priority) == (
        "DE",
        "express",
        2,
    )
    assert detail.email == "zoe.mueller@example.de"
    action, reason = _audit(db, number)[-1]
    assert action == "address changed"
    assert reason is not None and "'Torstraße 12' → 'Kastanienallee 7'" in reason
    packed = pack_unverified(db, actor, number)
    labels = read(db, lambda s: labels_for_shipment(s, packed.shipment_id))
    assert labels[0].ship_to.address1 == "Kastanienallee 7"
    assert labels[0].ship_to.postcode == "10435"


def test_a_packer_opening_the_order_first_makes_the_agents_edit_a_conflict(
    db: Database, actor: Actor, agent: Actor
) -> None:
    stock(db, actor, {"MUG": 5})
    number = place(db, actor, {"MUG": 1})
    allocate(db, actor)
    seen = order_detail(db, number).version
    packer = Actor(username="piet", station="pack-3")
    open_for_packing(db, packer, f"O:{number}")

    with pytest.raises(ConcurrencyConflict, match=r"station pack-3 \(piet\) has opened it"):
        edit_contact(db, agent, number, seen, NEW_ADDRESS)

    detail = order_detail(db, number)
    assert detail.ship_to["address1"] == "Torstraße 12"
    with pytest.raises(InvalidTransition, match="being packed at station pack-3"):
        edit_contact(db, agent, number, detail.version, NEW_ADDRESS)
    assert order_detail(db, number).ship_to["address1"] == "Torstraße 12"


def test_two_agents_editing_at_once_the_second_is_told_and_overwrites_nothing(
    db: Database, actor: Actor, agent: Actor
) -> None:
    stock(db, actor, {"MUG": 5})
    number = place(db, actor, {"MUG": 1})
    seen = order_detail(db, number).version
    edit_contact(db, agent, number, seen, NEW_ADDRESS)

    other = ContactDetails("Zoë Müller", "Elsewhere 1", "10115", "Berlin", "DE")
    with pytest.raises(ConcurrencyConflict, match="nothing was saved"):
        edit_contact(db, Actor(username="dev", station="desk-1"), number, seen, other)
    assert order_detail(db, number).ship_to["address1"] == "Kastanienallee 7"


def test_an_invalid_address_is_refused_naming_the_field(
    db: Database, actor: Actor, agent: Actor
) -> None:
    stock(db, actor, {"MUG": 5})
    number = place(db, actor, {"MUG": 1})
    seen = order_detail(db, number).version
    bad = ContactDetails("Zoë", "", "10115", "Berlin", "Germany", email="zoe@")
    with pytest.raises(ValidationFailed, match=f"the address of {number} was not saved") as no:
        edit_contact(db, agent, number, seen, bad)
    assert no.value.problems == [
        "the street address is required",
        "the country must be a two-letter code such as DE (got 'GERMANY')",
        "the e-mail 'zoe@' does not look like name@example.com",
    ]
    assert order_detail(db, number).version == seen


def test_changing_quantities_adding_and_removing_lines_re_allocates_the_stock(
    db: Database, actor: Actor, agent: Actor
) -> None:
    stock(db, actor, {"MUG": 5, "TEA": 4, "PEN": 1})
    number = place(db, actor, {"MUG": 2, "TEA": 1})
    allocate(db, actor)
    assert stats(db).stock.reserved == 3
    seen = order_detail(db, number).version

    result = edit_lines(
        db, agent, number, seen, [LineEdit("mug", 4), LineEdit("TEA", 0), LineEdit("PEN", 1)]
    )

    assert result.status == "allocated"
    assert _lines(db, number) == [("MUG", 4, 4), ("PEN", 1, 1)]
    assert stats(db).stock.reserved == 5
    detail = order_detail(db, number)
    assert detail.grand_total == 40  # 4 MUG at 10.00; PEN at its catalogue price, none here
    actions = [action for action, _ in _audit(db, number)]
    assert actions[-3:] == ["reservation released", "lines changed", "reserved"]
    assert "MUG 2 → 4" in (_audit(db, number)[-2][1] or "")
    assert verify(db) == []


def test_substituting_a_sku_releases_the_old_stock_and_reserves_the_new(
    db: Database, actor: Actor, agent: Actor
) -> None:
    stock(db, actor, {"MUG": 5, "CUP": 1})
    number = place(db, actor, {"MUG": 2})
    allocate(db, actor)

    result = edit_lines(
        db, agent, number, order_detail(db, number).version, [LineEdit("MUG", 2, "CUP")]
    )

    assert result.status == "backordered"  # one CUP in stock, two wanted, no partial
    assert _lines(db, number) == [("CUP", 2, 0)]
    assert result.summary == "MUG substituted by CUP"
    assert stats(db).stock.reserved == 0
    assert verify(db) == []


def test_lines_cannot_change_once_picking_started_and_nothing_changes(
    db: Database, actor: Actor, agent: Actor
) -> None:
    stock(db, actor, {"MUG": 5})
    number = place(db, actor, {"MUG": 2})
    allocate(db, actor)
    pack_unverified(db, actor, number)
    seen = order_detail(db, number).version
    with pytest.raises(InvalidTransition, match="before picking starts"):
        edit_lines(db, agent, number, seen, [LineEdit("MUG", 1)])
    assert _lines(db, number) == [("MUG", 2, 2)]


def test_an_unknown_sku_is_refused_by_name_and_nothing_changes(
    db: Database, actor: Actor, agent: Actor
) -> None:
    stock(db, actor, {"MUG": 5})
    number = place(db, actor, {"MUG": 1})
    allocate(db, actor)
    seen = order_detail(db, number).version
    with pytest.raises(NotFound, match="no product with SKU NOPE"):
        edit_lines(db, agent, number, seen, [LineEdit("MUG", 3), LineEdit("NOPE", 1)])
    assert order_detail(db, number).version == seen
    assert _lines(db, number) == [("MUG", 1, 1)]


def test_removing_every_line_is_refused_cancel_instead(
    db: Database, actor: Actor, agent: Actor
) -> None:
    stock(db, actor, {"MUG": 5})
    number = place(db, actor, {"MUG": 2})
    allocate(db, actor)
    with pytest.raises(ValidationFailed, match="no lines left: cancel the order instead"):
        edit_lines(db, agent, number, order_detail(db, number).version, [LineEdit("MUG", 0)])
    assert _lines(db, number) == [("MUG", 2, 2)]
    assert stats(db).stock.reserved == 2


def test_splitting_off_what_waits_for_stock_lets_the_rest_be_allocated(
    db: Database, actor: Actor, agent: Actor
) -> None:
    stock(db, actor, {"MUG": 5, "RARE": 0})
    number = place(db, actor, {"MUG": 2, "RARE": 1})
    allocate(db, actor)
    assert order_detail(db, number).status == "backordered"

    split = split_order(db, agent, number, order_detail(db, number).version, {"RARE": 1})

    assert (split.original_status, split.status) == ("allocated", "backordered")
    assert _lines(db, number) == [("MUG", 2, 2)]
    assert _lines(db, split.number) == [("RARE", 1, 0)]
    assert order_detail(db, split.number).ship_to == order_detail(db, number).ship_to
    assert order_detail(db, number).grand_total + order_detail(db, split.number).grand_total == 30
    assert _audit(db, number)[-2] == ("split", f"1 × RARE moved to {split.number}")
    assert verify(db) == []


def test_a_replacement_for_a_lost_parcel_is_free_linked_audited_and_allocated(
    db: Database, actor: Actor, agent: Actor
) -> None:
    stock(db, actor, {"MUG": 5})
    number = place(db, actor, {"MUG": 2})
    allocate(db, actor)
    pack_unverified(db, actor, number)
    ship_order(db, actor, number)

    copy = create_replacement(db, agent, number, "Parcel lost by the carrier")

    replacement = order_detail(db, copy.number)
    assert copy.status == replacement.status == "allocated"
    assert replacement.grand_total == 0
    assert [(li.sku, li.qty_ordered, li.unit_price) for li in replacement.lines] == [
        ("MUG", 2, Decimal("0"))
    ]
    assert replacement.external_ref == f"{order_detail(db, number).external_ref}-R1"
    assert stats(db).stock.reserved == 2
    assert _audit(db, number)[-1] == (
        "replacement created",
        f"{copy.number} sends 2 × MUG again: Parcel lost by the carrier",
    )
    created = _audit(db, copy.number)[0]
    assert created[1] == (f"replacement for {number} at no charge: Parcel lost by the carrier")
    origin = read(
        db,
        lambda s: s.execute(
            select(Order.origin_kind, Order.origin_order_id).where(Order.number == copy.number)
        ).one(),
    )
    assert origin == ("replacement", order_detail(db, number).id)
    assert verify(db) == []


def test_a_replacement_needs_a_shipped_order_a_reason_and_shipped_quantities(
    db: Database, actor: Actor, agent: Actor
) -> None:
    stock(db, actor, {"MUG": 5})
    number = place(db, actor, {"MUG": 2})
    allocate(db, actor)
    with pytest.raises(InvalidTransition, match="only a shipped order can be replaced"):
        create_replacement(db, agent, number, "damaged")
    pack_unverified(db, actor, number)
    ship_order(db, actor, number)
    with pytest.raises(ValidationFailed, match="a reason is needed"):
        create_replacement(db, agent, number, "  ")
    with pytest.raises(ValidationFailed, match="shipped 2 × MUG; cannot replace 3"):
        create_replacement(db, agent, number, "damaged", {"MUG": 3})
    assert stats(db).orders_total == 1


@pytest.mark.parametrize("typed", ["{n}", "so{n}", " SO {n} ", "o:{number}", "{ref}"])
def test_an_order_is_found_by_its_number_typed_any_usual_way(
    db: Database, actor: Actor, typed: str
) -> None:
    stock(db, actor, {"MUG": 5})
    number = place(db, actor, {"MUG": 1}, ref="#7001")
    text = typed.format(n=number.removeprefix("SO-"), number=number.lower(), ref="7001")
    assert resolve_order_number(db, text) == number
    with pytest.raises(NotFound, match="no order 99999999"):
        resolve_order_number(db, "99999999")
