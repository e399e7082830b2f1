"""What the Settings screens list and change: box types, carriers' ranges, channels'
branding, warehouses and locations - on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.context import Actor
from app.errors import NotFound, ValidationFailed
from app.services.carrier_booking import book_tracking_numbers
from app.services.locations import (
    LocationInput,
    import_locations,
    list_locations,
    list_warehouses,
    save_warehouse,
)
from app.services.lookups import list_box_types
from app.services.master_data import (
    BoxInput,
    CarrierInput,
    ChannelBranding,
    ServiceInput,
    deactivate_box,
    import_boxes,
    list_boxes,
    list_carriers,
    load_master_data,
    save_carriers,
    save_channels,
)
from db.engine import Database
from db.uow import run_in_transaction
from tests.factories import channel

SMALL = BoxInput("S", "Small", 250, 180, 100, 120, 5000)
LARGE = BoxInput("L", "Large", 500, 350, 250, 400, None)
POST = CarrierInput(
    code="post",
    name="Post",
    tracking_scheme="mod10",
    range_start=1,
    range_end=100,
    tracking_width=6,
    services=(ServiceInput("STD", "Post Standard", "standard", is_default=True),),
)


def _take_numbers(db: Database, count: int) -> None:
    run_in_transaction(db, lambda session: book_tracking_numbers(session, "standard", count))


def test_a_deactivated_box_is_listed_last_and_no_longer_offered_until_saved_again(
    db: Database, actor: Actor
) -> None:
    import_boxes(db, actor, [SMALL, LARGE])

    assert deactivate_box(db, actor, "s") == "S"

    assert [(r.box.code, r.active) for r in list_boxes(db)] == [("L", True), ("S", False)]
    assert [b.code for b in list_box_types(db)] == ["L"]
    assert list_boxes(db)[0].box == LARGE
    import_boxes(db, actor, [SMALL])
    assert all(r.active for r in list_boxes(db))


def test_deactivating_an_unknown_box_is_refused(db: Database, actor: Actor) -> None:
    with pytest.raises(NotFound, match="no box type 'XX'"):
        deactivate_box(db, actor, "XX")


def test_a_carrier_lists_its_next_number_and_how_many_are_left(db: Database, actor: Actor) -> None:
    save_carriers(db, actor, [POST])
    _take_numbers(db, 30)

    [record] = list_carriers(db)

    assert record.carrier == POST
    assert (record.next_value, record.numbers_left) == (31, 70)


def test_a_new_range_with_no_numbers_left_is_refused_and_nothing_changes(
    db: Database, actor: Actor
) -> None:
    save_carriers(db, actor, [POST])
    _take_numbers(db, 50)

    with pytest.raises(ValidationFailed) as refused:
        save_carriers(db, actor, [replace(POST, name="Renamed", range_end=40)])

    assert refused.value.problems == [
        "post: the range 1-40 has no numbers left, 50 is already used"
        " - ask the carrier for a new range"
    ]
    [record] = list_carriers(db)
    assert (record.carrier.name, record.carrier.range_end, record.next_value) == ("Post", 100, 51)


def test_an_exhausted_carrier_can_still_be_edited_and_then_given_a_new_range(
    db: Database, actor: Actor
) -> None:
    save_carriers(db, actor, [replace(POST, range_end=10)])
    _take_numbers(db, 10)

    save_carriers(
        db, actor, [replace(POST, range_end=10, tracking_url="https://t.example/{tracking}")]
    )
    assert list_carriers(db)[0].numbers_left == 0
    save_carriers(db, actor, [replace(POST, range_start=500, range_end=600)])

    [record] = list_carriers(db)
    assert (record.next_value, record.numbers_left) == (500, 101)


def test_channel_branding_and_risk_overrides_are_saved_checked_and_cleared(
    db: Database, actor: Actor
) -> None:
    channel(db, "web")
    branding = ChannelBranding(
        "web",
        sender_name="Web Shop",
        sender_email="hello@shop.example",
        packing_slip=False,
        safety_buffer=2,
        risk_overrides={"first_order_value_limit": "250.0"},
    )

    save_channels(db, actor, [branding])

    [saved] = [c for c in load_master_data(db).channels if c.code == "web"]
    assert (saved.sender_name, saved.packing_slip, saved.safety_buffer) == ("Web Shop", False, 2)
    assert saved.risk_overrides == {"first_order_value_limit": "250"}
    with pytest.raises(ValidationFailed) as refused:
        save_channels(
            db, actor, [replace(branding, risk_overrides={"max_orders_per_email_per_day": "x"})]
        )
    assert refused.value.problems == [
        "web: risk override risk.max_orders_per_email_per_day: "
        "must be a whole number from 0 to 100000 (got 'x')"
    ]
    save_channels(db, actor, [replace(branding, risk_overrides={})])
    [cleared] = [c for c in load_master_data(db).channels if c.code == "web"]
    assert not cleared.risk_overrides


def test_warehouses_are_created_renamed_and_count_their_active_locations(
    db: Database, actor: Actor
) -> None:
    save_warehouse(db, actor, "north", "North")
    import_locations(db, actor, [LocationInput("A-01", "pick", 10, "NORTH")])

    renamed = save_warehouse(db, actor, "NORTH", "North hall")

    assert renamed.locations == 1
    assert [(w.code, w.name, w.locations) for w in list_warehouses(db)] == [
        ("NORTH", "North hall", 1)
    ]
    with pytest.raises(ValidationFailed) as refused:
        save_warehouse(db, actor, "no spaces", "")
    assert len(refused.value.problems) == 2


def test_locations_list_in_walking_order_by_warehouse_and_search_with_a_total(
    db: Database, actor: Actor
) -> None:
    found = [LocationInput(f"A-{n:02d}", "pick", 100 - n, "MAIN") for n in range(1, 6)]
    found.append(LocationInput("RET", "returns", 5, "BACK"))
    import_locations(db, actor, found)

    page = list_locations(db, warehouse="MAIN", limit=3)

    assert page.total == 5
    assert [r.code for r in page.rows] == ["A-05", "A-04", "A-03"]
    assert list_locations(db, search="re").rows[0].kind == "returns"
    assert list_locations(db, search="a_0").total == 0  # _ is a literal, not a wildcard
