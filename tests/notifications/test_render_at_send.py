"""Messages are rendered when they are sent, from the snapshot taken when they were
queued, through the function the desk's preview uses: the preview is what the
customer gets. A real SMTP server on 127.0.0.1; SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from email.message import EmailMessage
from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment, StrictUndefined

import app.emails.templates as templates
from app.context import Actor
from app.emails.transport import FolderConfig, smtp_from_url
from app.services.allocation import allocate
from app.services.email_sender import send_due
from app.services.intake import create_orders
from app.services.notifications import queue_message
from app.services.order_contact import current_contact, edit_contact
from app.services.order_lines import LineEdit, edit_lines
from app.services.orders import find_order_id
from app.services.outbox import MessagePreview, preview_message
from app.services.pack_completion import pack_unverified
from app.services.returns import authorise_return
from app.services.settings import set_settings
from app.services.shipping import ship_order
from db.engine import Database
from db.uow import run_in_transaction
from tests import factories
from tests.cli.runner import run_cli
from tests.notifications.mail import make_due, notes_of, outbox
from tests.races.harness import url_of
from tests.smtp_server import SmtpServer


def _parts(mail: EmailMessage) -> tuple[str, str]:
    """The text and HTML parts as the customer reads them (the wire's CRLF as LF)."""
    text, html = (mail.get_body((kind,)).get_content() for kind in ("plain", "html"))
    return text.replace("\r\n", "\n"), html.replace("\r\n", "\n")


def _as_mime(part: str) -> str:
    """A MIME text part ends with a line break; set_content adds one if it is missing."""
    return part if part.endswith("\n") else part + "\n"


def _assert_sent_as_previewed(mail: EmailMessage, preview: MessagePreview) -> None:
    assert _parts(mail) == (_as_mime(preview.text), _as_mime(preview.html or ""))
    assert mail["Subject"] == preview.entry.subject
    assert mail["Message-ID"].strip() == preview.message_id
    assert str(mail["From"]) == preview.sender
    assert mail["To"].addresses[0].addr_spec == preview.entry.to_addr


def test_the_preview_of_a_waiting_message_is_what_the_customer_receives(
    db: Database, actor: Actor, smtp: SmtpServer
) -> None:
    factories.stock(db, actor, {"MUG": 5})
    factories.place(db, actor, {"MUG": 2}, ref="#P1")
    [row] = outbox(db)
    before = preview_message(db, row.id)
    assert before.entry.status == "pending" and "2 x Product MUG (MUG)" in before.text

    assert send_due(db, worker="w1", config=smtp_from_url(smtp.url)).sent == 1

    [received] = smtp.wait_for(1)
    _assert_sent_as_previewed(received.message, before)
    after = preview_message(db, row.id)  # now what was stored when it was sent
    assert (after.entry.subject, after.text, after.html, after.message_id, after.sender) == (
        before.entry.subject,
        before.text,
        before.html,
        before.message_id,
        before.sender,
    )


def test_an_order_changed_after_it_was_received_is_mailed_as_it_was_received(
    db: Database, actor: Actor, smtp: SmtpServer
) -> None:
    factories.stock(db, actor, {"MUG": 5, "TEA": 5})
    number = factories.place(db, actor, {"MUG": 1}, ref="#C1")
    details, version = current_contact(db, number)
    version = edit_contact(
        db, actor, number, version, replace(details, address1="Hauptstraße 1", name="Zoë Neu")
    )
    edit_lines(db, actor, number, version, [LineEdit("MUG", 3), LineEdit("TEA", 2)])

    assert send_due(db, worker="w1", config=smtp_from_url(smtp.url)).sent == 1

    [received] = smtp.wait_for(1)
    text, html = _parts(received.message)
    assert "  1 x Product MUG (MUG)\n" in text and "TEA" not in text
    assert "Delivering to: Zoë Müller, Torstraße 12, 10115 Berlin, DE" in text
    assert "Hello Zoë Müller," in text and "Hauptstraße" not in html
    assert received.message["To"].addresses[0].display_name == "Zoë Müller"
    assert f"Order #C1 ({number})" in text  # what never changes is read when sending


def test_a_rendered_message_is_retried_as_it_was_rendered_not_rendered_again(
    db: Database, actor: Actor, smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    factories.stock(db, actor, {"MUG": 5})
    factories.place(db, actor, {"MUG": 1})
    smtp.reply_next("451 4.3.0 Greylisted, try again later")
    assert send_due(db, worker="w1", config=smtp_from_url(smtp.url)).retrying == 1
    [waiting] = outbox(db)
    parts = ("subject.txt", "txt", "html")
    changed = Environment(
        loader=DictLoader({f"order_received.{p}": "changed" for p in parts}),
        undefined=StrictUndefined,
    )
    monkeypatch.setattr(templates, "environment", lambda: changed)

    make_due(db)
    assert send_due(db, worker="w1", config=smtp_from_url(smtp.url)).sent == 1

    [received] = smtp.wait_for(1)
    assert received.message["Subject"] == waiting.subject != "changed"
    assert _parts(received.message)[0] == waiting.body


def test_a_message_that_cannot_be_rendered_fails_alone_and_the_others_go(
    db: Database, actor: Actor, smtp: SmtpServer
) -> None:
    factories.stock(db, actor, {"MUG": 5})
    factories.channel(db)
    hostile = replace(factories.ADDRESS, name="Eve\nBcc: victim@example.com")
    orders = [
        replace(factories.new_order({"MUG": 1}, ref="#F1"), email="ann@example.de"),
        replace(factories.new_order({"MUG": 1}, ref="#F2"), ship_to=hostile),
        replace(factories.new_order({"MUG": 1}, ref="#F3"), email="cy@example.de"),
    ]
    created = create_orders(db, actor, orders).created

    report = send_due(db, worker="w1", config=smtp_from_url(smtp.url))

    assert (report.sent, report.failed) == (2, 1)
    assert [r.rcpt_tos for r in smtp.wait_for(2)] == [["ann@example.de"], ["cy@example.de"]]
    statuses = [(r.status, (r.last_error or "")[:40]) for r in outbox(db)]
    assert statuses == [
        ("sent", ""),
        ("failed", "customer name contains a line break (hea"),
        ("sent", ""),
    ]
    assert len(created) == 3


def test_an_address_that_only_looks_like_one_fails_when_sent_and_the_order_is_told(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    factories.stock(db, actor, {"MUG": 5})
    factories.channel(db)
    order = replace(factories.new_order({"MUG": 1}), email="zoe@example..de")
    [number] = create_orders(db, actor, [order]).created
    [queued] = outbox(db)
    assert (queued.status, notes_of(db, number)) == ("pending", [])  # plausible: queued

    report = send_due(db, worker="w1", config=FolderConfig(tmp_path / "mail"))

    assert (report.sent, report.failed) == (0, 1)
    [row] = outbox(db)
    assert (row.status, row.last_error) == ("failed", "'zoe@example..de' is not a valid address")
    assert notes_of(db, number) == [
        "No order received e-mail sent: 'zoe@example..de' is not a valid address."
    ]
    assert not (tmp_path / "mail").exists()  # nothing was sent


def test_a_sender_address_set_while_messages_wait_is_the_one_they_are_sent_from(
    db: Database, actor: Actor, smtp: SmtpServer
) -> None:
    factories.stock(db, actor, {"MUG": 5})
    set_settings(db, actor, {"company.email": ""})
    factories.channel(db)
    factories.place(db, actor, {"MUG": 1})
    [row] = outbox(db)
    assert "no valid sender address" in (preview_message(db, row.id).entry.last_error or "")

    set_settings(db, actor, {"company.email": "hello@shop.example"})
    assert send_due(db, worker="w1", config=smtp_from_url(smtp.url)).sent == 1

    [received] = smtp.wait_for(1)
    assert received.mail_from == "hello@shop.example"
    assert received.message["Message-ID"].strip().endswith("@shop.example>")


def test_the_return_label_is_attached_to_the_return_authorised_email_as_queued(
    db: Database, actor: Actor, smtp: SmtpServer
) -> None:
    factories.stock(db, actor, {"TEE": 5})
    number = factories.place(db, actor, {"TEE": 2})
    allocate(db, actor)
    pack_unverified(db, actor, number)
    ship_order(db, actor, number)
    ret = authorise_return(db, actor, number, {"TEE": 1}, "damaged")
    row = next(r for r in outbox(db) if r.template == "return_authorised")
    preview = preview_message(db, row.id)
    assert preview.attachments == (f"{ret.number}-label.pdf",)

    send_due(db, worker="w1", config=smtp_from_url(smtp.url))

    mail = next(
        r.message for r in smtp.wait_for(3) if r.message["Message-ID"].strip() == preview.message_id
    )
    _assert_sent_as_previewed(mail, preview)
    assert "Print the attached return label" in _parts(mail)[0]
    [label] = list(mail.iter_attachments())
    assert label.get_filename() == f"{ret.number}-label.pdf"
    assert label.get_content_type() == "application/pdf"
    assert label.get_content().startswith(b"%PDF")


def test_outbox_show_prints_a_waiting_message_as_it_will_be_sent(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    factories.stock(db, actor, {"MUG": 5})
    number = factories.place(db, actor, {"MUG": 1}, ref="#S1")
    [row] = outbox(db)

    shown = run_cli(url_of(db), "outbox", "--show", str(row.id), home=tmp_path)

    assert shown.code == 0, str(shown)
    preview = preview_message(db, row.id)
    assert f"Subject: {preview.entry.subject}\n" in shown.out
    assert f"Message-ID: {preview.message_id}\n" in shown.out
    assert f"Order #S1 ({number}), placed" in shown.out
    assert outbox(db)[0].status == "pending"  # showing it sent nothing


def test_a_template_that_fails_as_it_runs_fails_its_message_and_the_sender_goes_on(
    db: Database, actor: Actor, smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    factories.stock(db, actor, {"MUG": 5})
    number = factories.place(db, actor, {"MUG": 1})
    run_in_transaction(
        db,
        lambda s: queue_message(s, find_order_id(s, number), "delayed", {"waiting_lines": []}),
    )
    broken = Environment(
        loader=DictLoader({
            "order_received.subject.txt": "Order {{ order.number }}",
            "order_received.txt": "{{ order.number / 0 }}",
            "order_received.html": "<p>{{ order.number }}</p>",
            "delayed.subject.txt": "Late {{ order.number }}",
            "delayed.txt": "Sorry",
            "delayed.html": "<p>Sorry</p>",
        }),
        undefined=StrictUndefined,
    )  # fmt: skip
    monkeypatch.setattr(templates, "environment", lambda: broken)

    report = send_due(db, worker="w1", config=smtp_from_url(smtp.url))

    assert (report.sent, report.failed) == (1, 1)
    received, delayed = outbox(db)
    assert received.status == "failed"
    assert received.last_error == (
        "template order_received.txt: TypeError: unsupported operand type(s) for /: 'str' and 'int'"
    )
    assert delayed.status == "sent"  # no longer held up behind the failed one
    assert smtp.wait_for(1)[0].message["Subject"] == f"Late {number}"


def test_a_context_that_cannot_be_read_fails_its_message_with_the_reason(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    factories.stock(db, actor, {"MUG": 5})
    number = factories.place(db, actor, {"MUG": 1})
    context = {"waiting_lines": [], "order": {"ship_by": "next Tuesday"}}
    run_in_transaction(db, lambda s: queue_message(s, find_order_id(s, number), "delayed", context))

    report = send_due(db, worker="w1", config=FolderConfig(tmp_path / "mail"))

    assert (report.sent, report.failed) == (1, 1)
    assert outbox(db)[1].last_error == (
        "the message's context cannot be read: Invalid isoformat string: 'next Tuesday'"
    )
