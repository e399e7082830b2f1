"""The transactional outbox: a message is written with the change that causes it, or
not at all; what cannot be sent never blocks the change, and is failed with the
reason when the sender renders it. SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment, StrictUndefined
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import app.emails.templates as templates
from app.context import Actor
from app.domain.new_order import NewLine
from app.emails.transport import FolderConfig
from app.services.allocation import allocate
from app.services.customer_updates import queue_order_received
from app.services.email_sender import send_due
from app.services.intake import create_orders
from app.services.notifications import Attachment, queue_message
from app.services.orders import find_order_id, order_detail
from app.services.outbox import preview_message
from app.services.pack_completion import pack_unverified
from app.services.shipping import ship_order
from db.engine import Database
from db.models import Channel, EmailAttachment, EmailOutbox, Order
from db.uow import read, run_in_transaction
from tests import factories
from tests.notifications.mail import notes_of, outbox


class Boom(Exception):
    pass


def test_a_new_order_and_its_received_message_commit_together(db: Database, actor: Actor) -> None:
    factories.stock(db, actor, {"MUG": 5})
    number = factories.place(db, actor, {"MUG": 1}, ref="#9001")

    [row] = outbox(db)
    assert (row.template, row.status, row.to_addr) == (
        "order_received",
        "pending",
        "zoe@example.de",
    )
    assert row.order_id == read(db, lambda s: find_order_id(s, number))
    assert (row.subject, row.body) == ("", "")  # rendered when it is sent
    preview = preview_message(db, row.id)
    assert preview.entry.subject == "Shipshape Demo Ltd: we have received your order #9001"


def test_no_message_is_left_behind_by_a_change_that_rolled_back(db: Database, actor: Actor) -> None:
    factories.stock(db, actor, {"MUG": 5})
    number = factories.place(db, actor, {"MUG": 1})

    def change_then_fail(session: Session) -> None:
        order_id = find_order_id(session, number)
        queue_message(session, order_id, "delayed", {"waiting_lines": []}, actor=actor)
        raise Boom

    with pytest.raises(Boom):
        run_in_transaction(db, change_then_fail)
    assert [r.template for r in outbox(db)] == ["order_received"]


def test_intake_snapshots_the_order_as_a_read_of_its_rows_would(db: Database, actor: Actor) -> None:
    """Intake makes the "order received" snapshot from the rows it has just written;
    queueing it again from a read of those rows must give the same context."""
    factories.stock(db, actor, {"MUG": 5, "CUP": 5})
    factories.channel(db)
    plain = factories.new_order({"MUG": 2, "CUP": 1})
    full = replace(
        factories.new_order({"MUG": 1}),
        ship_to=replace(
            factories.ADDRESS, company="Acme", address2="Hof 2", region="BY", country="de"
        ),
        lines=(
            NewLine("MUG", 1, Decimal("12.5"), name="Mug, blue"),
            NewLine("NO-SUCH-SKU", 3, Decimal("0.1")),
        ),
        shipping_total=Decimal("4.9"),
        tax_total=Decimal("3"),
    )
    bare = replace(factories.new_order({"CUP": 1}), ship_to=replace(factories.ADDRESS, city=""))
    created = create_orders(db, actor, [plain, full, bare]).created
    ids = [read(db, lambda s, n=n: find_order_id(s, n)) for n in created]

    run_in_transaction(db, lambda session: queue_order_received(session, ids, actor))

    def contexts(session: Session) -> dict[int, list[dict[str, object]]]:
        found: dict[int, list[dict[str, object]]] = {}
        for oid, context in session.execute(
            select(EmailOutbox.order_id, EmailOutbox.context).order_by(EmailOutbox.id)
        ):
            found.setdefault(oid, []).append(context)
        return found

    by_order = read(db, contexts)
    assert sorted(by_order) == sorted(ids)
    for written, reread in by_order.values():
        assert written == reread
    full_context = by_order[ids[1]][0]
    assert full_context["order"] == {
        "lines": [
            {"sku": "MUG", "name": "Mug, blue", "qty": 1},
            {"sku": "NO-SUCH-SKU", "name": "NO-SUCH-SKU", "qty": 3},
        ],
        "total": "20.70",
        "currency": "EUR",
    }
    assert full_context["ship_to"][-1] == "DE"


@pytest.mark.parametrize("email", [None, "not-an-address", "zoe@@example.de"])
def test_a_customer_without_a_valid_address_gets_no_message_and_a_note(
    db: Database, actor: Actor, email: str | None
) -> None:
    factories.stock(db, actor, {"MUG": 5})
    factories.channel(db)
    order = replace(factories.new_order({"MUG": 1}), email=email)

    [number] = create_orders(db, actor, [order]).created

    assert outbox(db) == []
    why = (
        "the customer has no e-mail address"
        if email is None
        else f"'{email}' is not a valid address"
    )
    assert notes_of(db, number) == [f"No order received e-mail sent: {why}."]


def test_a_line_break_in_the_customer_name_is_refused_and_the_order_still_comes_in(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    factories.stock(db, actor, {"MUG": 5})
    factories.channel(db)
    hostile = replace(factories.ADDRESS, name="Eve\r\nBcc: victim@example.com")
    order = replace(factories.new_order({"MUG": 1}), ship_to=hostile)

    [number] = create_orders(db, actor, [order]).created
    report = send_due(db, worker="t", config=FolderConfig(tmp_path / "mail"))

    assert order_detail(db, number).status in ("new", "on_hold")
    assert (report.sent, report.failed) == (0, 1)
    [row] = outbox(db)
    assert row.status == "failed" and row.body == ""
    assert row.last_error is not None
    assert row.last_error.startswith(
        "customer name contains a line break (header injection refused)"
    )
    assert not (tmp_path / "mail").exists()  # nothing was sent


def test_a_template_error_at_send_time_fails_the_message_with_the_reason_and_the_order_stands(
    db: Database, actor: Actor, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    factories.stock(db, actor, {"MUG": 5})
    broken = Environment(
        loader=DictLoader({
            "order_received.subject.txt": "Order {{ order.number }}",
            "order_received.txt": "{{ order.no_such_field }}",
            "order_received.html": "<p>{{ order.number }}</p>",
        }),
        undefined=StrictUndefined,
    )  # fmt: skip
    monkeypatch.setattr(templates, "environment", lambda: broken)

    number = factories.place(db, actor, {"MUG": 1})
    [queued] = outbox(db)
    assert queued.status == "pending"  # nothing is rendered while the order comes in

    report = send_due(db, worker="t", config=FolderConfig(tmp_path))

    why = "template order_received.txt: 'dict object' has no attribute 'no_such_field'"
    assert (report.sent, report.failed) == (0, 1)
    assert report.failures == [f"#{queued.id} to zoe@example.de: {why}"]
    [row] = outbox(db)
    assert (row.status, row.last_error, row.attempts) == ("failed", why, 1)
    assert read(db, lambda s: s.scalar(select(func.count()).select_from(Order))) == 1
    assert order_detail(db, number).number == number
    assert preview_message(db, row.id).entry.last_error == why  # as the desk shows it


def test_an_attachment_is_stored_with_its_message(db: Database, actor: Actor) -> None:
    factories.stock(db, actor, {"MUG": 5})
    number = factories.place(db, actor, {"MUG": 1})
    label = Attachment("return-label.pdf", "application/pdf", b"%PDF-1.4 label")
    context = {"return_number": "RMA-1", "return_lines": [], "has_label": True}

    outbox_id = run_in_transaction(
        db,
        lambda s: queue_message(s, find_order_id(s, number), "return_authorised", context,
                                attachments=[label], actor=actor),
    )  # fmt: skip

    stored = read(
        db,
        lambda s: s.execute(
            select(
                EmailAttachment.filename, EmailAttachment.content_type, EmailAttachment.data
            ).where(EmailAttachment.outbox_id == outbox_id)
        ).all(),
    )
    assert [tuple(r) for r in stored] == [
        ("return-label.pdf", "application/pdf", b"%PDF-1.4 label")
    ]
    shown = preview_message(db, outbox_id or 0)
    assert shown.entry.subject == "Shipshape Demo Ltd: your return RMA-1 is authorised"
    assert shown.attachments == ("return-label.pdf",)


def test_dispatch_queues_a_shipped_message_with_the_carriers_tracking_link(
    db: Database, actor: Actor
) -> None:
    factories.stock(db, actor, {"MUG": 5})
    number = factories.place(db, actor, {"MUG": 2}, ref="#9002")
    allocate(db, actor)
    packed = pack_unverified(db, actor, number)

    ship_order(db, actor, number)

    row = outbox(db)[-1]
    assert row.template == "shipped"
    shipped = preview_message(db, row.id)
    tracking = packed.tracking_number
    assert f"Tracking number: {tracking}" in shipped.text
    assert f"https://tracking.example/{tracking}" in shipped.text
    assert f'href="https://tracking.example/{tracking}"' in (shipped.html or "")
    assert "2 x Product MUG (MUG)" in shipped.text


def test_a_channels_own_sender_and_brand_are_used_for_its_orders(
    db: Database, actor: Actor
) -> None:
    factories.stock(db, actor, {"MUG": 5})
    factories.channel(db, "nordic")

    def brand(session: Session) -> None:
        shop = session.scalars(select(Channel).where(Channel.code == "nordic")).one()
        shop.sender_name, shop.sender_email = "Nordic Mugs", "hej@nordic-mugs.example"

    run_in_transaction(db, brand)
    factories.place(db, actor, {"MUG": 1}, ref="#N1", channel="nordic")
    factories.place(db, actor, {"MUG": 1}, ref="#W1")

    nordic, web = (preview_message(db, row.id) for row in outbox(db))
    assert nordic.entry.subject == "Nordic Mugs: we have received your order #N1"
    assert nordic.message_id.endswith("@nordic-mugs.example>")
    assert "Questions? Reply to this e-mail or write to hej@nordic-mugs.example." in nordic.text
    assert web.entry.subject == "Shipshape Demo Ltd: we have received your order #W1"
    assert nordic.sender == "Nordic Mugs <hej@nordic-mugs.example>"
