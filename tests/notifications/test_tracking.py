"""import-tracking: carrier events recorded on the shipment and the order's timeline;
delivered marks the parcel, then the order, and queues the delivered e-mail; the same
file twice changes nothing; a bad file is refused whole. SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from app.context import Actor
from app.errors import ValidationFailed
from app.imports.tracking import read_tracking_file
from app.services.allocation import allocate
from app.services.orders import order_detail
from app.services.outbox import preview_message
from app.services.pack_completion import pack_unverified
from app.services.shipping import ship_order
from app.services.tracking import import_tracking
from db.engine import Database
from db.models import Shipment, TrackingEvent
from db.uow import read
from tests import factories
from tests.notifications.mail import outbox


def _shipped(db: Database, actor: Actor) -> tuple[str, str]:
    """An order shipped in one parcel: its number and tracking number."""
    factories.stock(db, actor, {"MUG": 5})
    number = factories.place(db, actor, {"MUG": 1}, ref="#T1")
    allocate(db, actor)
    tracking = pack_unverified(db, actor, number).tracking_number
    ship_order(db, actor, number)
    assert tracking is not None
    return number, tracking


def _csv(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "events.csv"
    path.write_text("tracking_number,event,time,location\n" + "\n".join(rows) + "\n")
    return path


def _events(db: Database) -> list[tuple[str, str]]:
    return read(
        db,
        lambda s: [
            (e.event, e.location)
            for e in s.scalars(select(TrackingEvent).order_by(TrackingEvent.occurred_at))
        ],
    )


def test_delivery_marks_parcel_and_order_and_queues_the_delivered_email_once(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    number, tracking = _shipped(db, actor)
    path = _csv(
        tmp_path,
        [
            f"{tracking},Out for delivery,2026-11-29T07:10:00Z,Berlin depot",
            f"{tracking.lower()},Delivered,2026-11-29T09:30:00+01:00,Berlin",
            f"{tracking},In transit,2026-11-28T18:00:00Z,Bristol hub",
        ],
    )

    done = import_tracking(db, actor, read_tracking_file(path), source=path.name)

    assert (done.recorded, done.already_known) == (3, 0)
    assert (done.delivered_shipments, done.delivered_orders) == ([tracking], [number])
    assert _events(db) == [
        ("In transit", "Bristol hub"),
        ("Out for delivery", "Berlin depot"),
        ("Delivered", "Berlin"),
    ]
    detail = order_detail(db, number)
    assert detail.status == "delivered"
    timeline = [e.reason for e in detail.events if e.action == "carrier event"]
    assert timeline == [
        f"{tracking}: In transit at Bristol hub, 28 Nov 2026 18:00",
        f"{tracking}: Out for delivery at Berlin depot, 29 Nov 2026 07:10",
        f"{tracking}: Delivered at Berlin, 29 Nov 2026 08:30",
    ]
    [delivered] = [r for r in outbox(db) if r.template == "delivered"]
    text = preview_message(db, delivered.id).text
    assert f"parcel {tracking} delivered on 29 Nov 2026 08:30 (Berlin)" in text
    shipment = read(db, lambda s: s.scalars(select(Shipment)).one())
    assert shipment.status == "delivered"

    again = import_tracking(db, actor, read_tracking_file(path), source=path.name)

    assert (again.recorded, again.already_known, again.delivered_orders) == (0, 3, [])
    assert len(_events(db)) == 3
    assert [r.template for r in outbox(db)].count("delivered") == 1


def test_json_events_are_read_like_csv(db: Database, actor: Actor, tmp_path: Path) -> None:
    number, tracking = _shipped(db, actor)
    path = tmp_path / "events.json"
    path.write_text(
        json.dumps(
            {
                "events": [
                    {
                        "tracking_number": tracking,
                        "event": "delivered",
                        "time": "2026-11-29T10:00:00",
                    }
                ]
            }
        )
    )

    done = import_tracking(db, actor, read_tracking_file(path), source=path.name)

    assert done.delivered_orders == [number]
    assert _events(db) == [("delivered", "")]


def test_a_file_naming_an_unknown_parcel_is_refused_whole(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    _, tracking = _shipped(db, actor)
    path = _csv(
        tmp_path,
        [
            f"{tracking},In transit,2026-11-28T18:00:00Z,Bristol hub",
            "XX123,Delivered,2026-11-29T09:30:00Z,Nowhere",
        ],
    )

    with pytest.raises(ValidationFailed) as refused:
        import_tracking(db, actor, read_tracking_file(path), source=path.name)

    assert refused.value.problems == [
        "events.csv:3: tracking_number: no shipment has tracking number XX123"
    ]
    assert _events(db) == []


def test_a_parcel_still_on_the_packing_bench_cannot_be_delivered(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    factories.stock(db, actor, {"MUG": 5})
    number = factories.place(db, actor, {"MUG": 1})
    allocate(db, actor)
    tracking = pack_unverified(db, actor, number).tracking_number
    path = _csv(tmp_path, [f"{tracking},Delivered,2026-11-29T09:30:00Z,Berlin"])

    with pytest.raises(ValidationFailed) as refused:
        import_tracking(db, actor, read_tracking_file(path), source=path.name)

    assert refused.value.problems == [
        f"events.csv:2: event: {tracking} cannot be delivered: it has not been shipped"
    ]
    assert order_detail(db, number).status == "packed"


def test_bad_rows_are_named_by_line_and_field(tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        ["AB1,,2026-11-29T09:30:00Z,x", "AB2,Delivered,yesterday,x", ",Delivered,2026-11-29,x\x07"],
    )

    with pytest.raises(ValidationFailed) as refused:
        read_tracking_file(path)

    assert refused.value.problems == [
        "events.csv:2: event: required",
        "events.csv:3: time: not a date and time: 'yesterday' (write 2024-03-05 14:07:12+01:00)",
        "events.csv:4: tracking_number: required",
        "events.csv:4: location: control character U+0007 is not allowed in text",
    ]


def test_a_header_without_the_needed_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text("parcel,status\nAB1,delivered\n")

    with pytest.raises(ValidationFailed) as refused:
        read_tracking_file(path)

    assert refused.value.problems[0].startswith(
        "events.csv:1: header: missing column(s): tracking_number, event, time"
    )
