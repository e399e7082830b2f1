"""Site set-up as the services see it, on both databases: settings, station devices,
channel branding, weight tolerance, number ranges, and the migration that moved the
sender and GS1 prefix out of the first warehouse."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from app.context import Actor
from app.errors import ValidationFailed
from app.imports.settings_file import document_dict, read_settings_file, write_settings_file
from app.services.allocation import allocate
from app.services.catalogue import ProductInput, upsert_products
from app.services.master_data import ChannelBranding, save_channels, update_channels
from app.services.orders import order_detail
from app.services.pack_completion import WeightRefused, pack_unverified
from app.services.printing import render_shipment_document
from app.services.settings import get_setting, set_settings
from app.services.site_document import export_site
from app.services.site_readiness import station_setup_problems
from app.services.stations import StationDevices, save_station_devices
from app.services.supervisors import supervisor_by_badge
from db.engine import Database, open_database
from db.models import AuditEvent, Order, PrintJob, Sequence, Setting, User
from db.schema import upgrade
from db.uow import read, run_in_transaction
from tests.documents.pdfcheck import texts
from tests.factories import channel, place, stock


def _heavy_order(db: Database, actor: Actor) -> str:
    stock(db, actor, {"LAMP": 5})
    upsert_products(db, actor, [ProductInput("LAMP", "Desk lamp", weight_g=2000)])
    number = place(db, actor, {"LAMP": 2})
    allocate(db, actor)
    return number


def test_settings_are_checked_normalised_and_audited(db: Database, actor: Actor) -> None:
    changed = set_settings(db, actor, {"company.country": " gb ", "label.size": "100X150"})

    assert sorted(changed) == ["company.country", "label.size"]
    assert get_setting(db, "company.country") == "GB"
    assert get_setting(db, "label.size") == "100x150"
    changes = select(AuditEvent).where(AuditEvent.action == "settings_changed")
    events = read(db, lambda s: s.scalars(changes).all())
    assert events[-1].details == {"company.country": "GB", "label.size": "100x150"}
    assert set_settings(db, actor, {"company.country": "GB"}) == []


def test_a_bad_value_among_good_ones_stores_nothing(db: Database, actor: Actor) -> None:
    with pytest.raises(ValidationFailed) as refused:
        set_settings(db, actor, {"company.city": "Leeds", "gs1.company_prefix": "12AB567"})

    assert refused.value.problems == ["gs1.company_prefix: must be digits only (got '12AB567')"]
    assert read(db, lambda s: s.scalars(select(Setting.key)).all()) == []


def test_the_sscc_range_must_fit_the_prefix_and_its_start_moves_the_counter_on(
    db: Database, actor: Actor
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        set_settings(
            db, actor, {"gs1.company_prefix": "123456789012", "sscc.serial_end": "99999"}
        )
    assert "does not fit the 4 serial digits" in refused.value.problems[0]

    set_settings(db, actor, {"gs1.company_prefix": "1234567", "sscc.serial_start": "5000"})

    assert read(db, lambda s: s.get_one(Sequence, "sscc").next_value) == 5000


def test_orders_are_numbered_by_the_sites_format(db: Database, actor: Actor) -> None:
    stock(db, actor, {"MUG": 5})
    set_settings(db, actor, {"order.number_format": "WEB-{n:08d}"})

    number = place(db, actor, {"MUG": 1})

    assert number == "WEB-00100001"


def test_labels_go_to_the_stations_printers_and_the_slip_only_where_the_channel_wants_one(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    number = _heavy_order(db, actor)
    save_station_devices(
        db,
        actor,
        StationDevices(actor.station, "tcp://127.0.0.1:9100", f"folder:{tmp_path}", ""),
    )
    run_in_transaction(
        db, lambda s: update_channels(s, actor, [ChannelBranding("web", packing_slip=False)])
    )

    result = pack_unverified(db, actor, number, box_code="M")

    jobs = read(db, lambda s: s.scalars(select(PrintJob).order_by(PrintJob.id)).all())
    assert [(j.id, j.document, j.printer, j.format) for j in jobs] == [
        (result.print_job_ids[0], "label", "tcp://127.0.0.1:9100", "pdf")
    ]


def test_a_printer_spec_the_station_cannot_use_is_refused(db: Database, actor: Actor) -> None:
    with pytest.raises(ValidationFailed) as refused:
        save_station_devices(db, actor, StationDevices("pack-1", "lpt1", "tcp://:x", ""))

    assert [p.split(":")[0] for p in refused.value.problems] == [
        "label printer",
        "document printer",
    ]


def test_a_weight_outside_the_tolerance_packs_nothing_unless_accepted_and_audited(
    db: Database, actor: Actor
) -> None:
    number = _heavy_order(db, actor)  # 2 x 2000 g + 220 g medium box

    with pytest.raises(WeightRefused) as refused:
        pack_unverified(db, actor, number, box_code="M", weight_g=500)
    assert "Weighs 0.50 kg, expected 4.22 kg" in str(refused.value)
    assert order_detail(db, number).status == "allocated"

    pack_unverified(db, actor, number, box_code="M", weight_g=500, accept_weight=True)

    detail = order_detail(db, number)
    assert detail.status == "packed"
    packed = read(
        db,
        lambda s: s.scalars(select(AuditEvent).where(AuditEvent.action == "packed")).one(),
    )
    assert packed.details is not None and "Weighs 0.50 kg" in str(packed.details["weight_override"])


def test_a_weight_inside_the_tolerance_is_printed_as_weighed(db: Database, actor: Actor) -> None:
    number = _heavy_order(db, actor)

    result = pack_unverified(db, actor, number, box_code="M", weight_g=4300)

    assert result.packages[0].weight_g == 4300


def test_only_an_active_supervisors_badge_overrides(db: Database, actor: Actor) -> None:
    def add_users(session: Session) -> None:
        session.add_all(
            [
                User(username="sam", display_name="Sam", role="supervisor", badge="U:SAM"),
                User(username="pat", display_name="Pat", role="packer", badge="U:PAT"),
                User(
                    username="old", display_name="Old", role="admin", badge="U:OLD", active=False
                ),
            ]
        )

    run_in_transaction(db, add_users)

    assert read(db, lambda s: supervisor_by_badge(s, "u:sam")) == "sam"
    for badge, message in (
        ("U:PAT", "Pat is a packer"),
        ("U:OLD", "no active user"),
        ("U:NOBODY", "no active user"),
        ("U:", "scan a supervisor's badge"),
    ):
        with pytest.raises(ValidationFailed, match=message):
            read(db, lambda s, badge=badge: supervisor_by_badge(s, badge))


def test_an_exhausted_sscc_range_packs_nothing(db: Database, actor: Actor) -> None:
    stock(db, actor, {"MUG": 5})
    first, second = place(db, actor, {"MUG": 1}), place(db, actor, {"MUG": 1})
    allocate(db, actor)
    set_settings(db, actor, {"sscc.serial_end": "1"})

    pack_unverified(db, actor, first)
    with pytest.raises(ValidationFailed, match="SSCC serial range is exhausted"):
        pack_unverified(db, actor, second)

    assert order_detail(db, second).status == "allocated"


def test_an_empty_site_lists_everything_a_station_lacks(db: Database) -> None:
    problems = station_setup_problems(db)

    assert [p.split(":")[0] for p in problems] == [
        "The sender address lacks name, address line 1, postcode, city, country",
        "No GS1 company prefix for the SSCC on labels",
        "No box types",
        "No carrier with a service",
    ]


def test_the_migration_moves_the_warehouse_sender_into_settings(tmp_path: Path) -> None:
    db = open_database(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        upgrade(db, "0001")
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO warehouses (code, name, company, address1, city, postcode, "
                    "country, gs1_company_prefix) VALUES ('MAIN', 'Main', 'Old Co', "
                    "'1 Quay', 'Hull', 'HU1 1AA', 'GB', '0614141')"
                )
            )
        upgrade(db)

        settings = read(db, lambda s: dict(s.execute(select(Setting.key, Setting.value)).all()))
    finally:
        db.dispose()
    assert settings == {
        "company.name": "Old Co",
        "company.address1": "1 Quay",
        "company.postcode": "HU1 1AA",
        "company.city": "Hull",
        "company.country": "GB",
    }  # GS1's example prefix is not carried over


def test_a_channels_risk_override_holds_its_orders_and_no_other_channels(
    db: Database, actor: Actor
) -> None:
    stock(db, actor, {"MUG": 10})
    channel(db, "market")
    save_channels(
        db, actor, [ChannelBranding("market", risk_overrides={"first_order_value_limit": "5"})]
    )

    held = place(db, actor, {"MUG": 1}, channel="market")  # 10.00: a first order over 5
    fine = place(db, actor, {"MUG": 1})

    assert order_detail(db, held).status == "on_hold"
    assert "first order" in (order_detail(db, held).hold_reason or "")
    assert order_detail(db, fine).status == "new"


def test_the_packing_slip_names_the_channels_shop_and_where_returns_go(
    db: Database, actor: Actor
) -> None:
    number = _heavy_order(db, actor)
    save_channels(db, actor, [ChannelBranding("web", sender_name="Leaf & Lamp Online")])
    set_settings(
        db,
        actor,
        {"return.address1": "Returns dock 2", "return.postcode": "BS2 0AA", "return.city": "Leeds"},
    )
    result = pack_unverified(db, actor, number, box_code="M")

    shipment = result.shipment_id
    slip = read(db, lambda s: render_shipment_document(s, shipment, "packing_slip", "pdf"))

    page = texts(slip)[0]
    assert "Leaf & Lamp Online" in page
    assert "Send returns to" in page and "Returns dock 2" in page and "LEEDS BS2 0AA" in page


def test_a_channels_risk_overrides_travel_in_the_settings_document(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    channel(db, "market")
    save_channels(
        db, actor, [ChannelBranding("market", risk_overrides={"first_order_value_limit": "75"})]
    )
    settings, master = export_site(db)
    write_settings_file(tmp_path / "site.yaml", document_dict(settings, master))

    document = read_settings_file(tmp_path / "site.yaml")

    [market] = [c for c in document.master.channels if c.code == "market"]
    assert market.risk_overrides == {"first_order_value_limit": "75"}


def test_a_product_with_no_weight_in_the_catalogue_never_gets_its_parcel_refused(
    db: Database, actor: Actor
) -> None:
    stock(db, actor, {"RUG": 2})  # the catalogue knows no weight for it
    number = place(db, actor, {"RUG": 1})
    allocate(db, actor)

    result = pack_unverified(db, actor, number, box_code="M", weight_g=9000)

    assert result.packages[0].weight_g == 9000


@pytest.mark.parametrize(("unit", "shown"), [("kg", "4.30 kg"), ("g", "4300 g"), ("lb", "9.48 lb")])
def test_the_label_shows_the_weight_in_the_sites_unit(
    db: Database, actor: Actor, unit: str, shown: str
) -> None:
    number = _heavy_order(db, actor)
    set_settings(db, actor, {"units.weight": unit})
    result = pack_unverified(db, actor, number, box_code="M", weight_g=4300)

    shipment = result.shipment_id
    label = read(db, lambda s: render_shipment_document(s, shipment, "label", "pdf"))

    assert shown in texts(label)[0]


def test_the_slip_dates_the_order_in_the_sites_time_zone(db: Database, actor: Actor) -> None:
    stock(db, actor, {"MUG": 5})
    set_settings(db, actor, {"company.timezone": "Pacific/Kiritimati"})  # UTC+14
    number = place(db, actor, {"MUG": 1})
    noon_utc = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)  # 2 March, 02:00 on Kiritimati
    run_in_transaction(db, lambda s: s.execute(update(Order).values(placed_at=noon_utc)))
    allocate(db, actor)
    result = pack_unverified(db, actor, number)

    shipment = result.shipment_id
    slip = read(db, lambda s: render_shipment_document(s, shipment, "packing_slip", "pdf"))

    assert "Placed: 2026-03-02" in texts(slip)[0]
