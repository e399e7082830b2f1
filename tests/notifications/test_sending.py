"""The sender against a real SMTP server on 127.0.0.1 (aiosmtpd), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta
from email import message_from_bytes, policy
from pathlib import Path

from app.context import Actor
from app.emails.transport import FolderConfig, eml_name, mail_config, smtp_from_url
from app.services.email_sender import SenderPolicy, send_due
from app.services.notifications import queue_message
from app.services.orders import find_order_id
from app.services.settings import set_settings
from db.engine import Database
from db.uow import run_in_transaction
from tests import factories
from tests.notifications.mail import make_due, outbox
from tests.smtp_server import SmtpServer

NOW = SenderPolicy(retry_base=timedelta(0))
PATIENT = SenderPolicy(retry_base=timedelta(minutes=1))


def _order_with_mail(db: Database, actor: Actor, **kwargs: object) -> str:
    factories.stock(db, actor, {"MUG": 10})
    return factories.place(db, actor, {"MUG": 2}, **kwargs)


def test_a_queued_message_goes_to_the_smtp_server_once_with_its_message_id(
    db: Database, actor: Actor, smtp: SmtpServer
) -> None:
    number = _order_with_mail(db, actor, ref="#5001")

    report = send_due(db, worker="w1", config=smtp_from_url(smtp.url))

    assert (report.sent, report.failed, report.retrying) == (1, 0, 0)
    [row] = outbox(db)
    [received] = smtp.wait_for(1)
    assert received.rcpt_tos == ["zoe@example.de"]
    assert received.mail_from == "orders@shipshape-demo.example"
    mail = received.message
    assert mail["Message-ID"].strip() == row.message_id  # a long one is folded
    assert mail["Subject"] == "Shipshape Demo Ltd: we have received your order #5001"
    assert str(mail["From"]) == "Shipshape Demo Ltd <orders@shipshape-demo.example>"
    assert mail["To"].addresses[0].display_name == "Zoë Müller"
    text = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    assert "2 x Product MUG (MUG)" in text and number in text
    assert "<td>Product MUG" in html
    [sent] = outbox(db)
    assert (sent.status, sent.attempts, sent.last_error) == ("sent", 1, None)
    assert send_due(db, worker="w1", config=smtp_from_url(smtp.url)).sent == 0
    assert len(smtp.received) == 1


def test_a_451_is_retried_after_a_back_off_and_the_message_arrives_once(
    db: Database, actor: Actor, smtp: SmtpServer
) -> None:
    _order_with_mail(db, actor)
    smtp.reply_next("451 4.3.0 Greylisted, try again later")
    config = smtp_from_url(smtp.url)

    first = send_due(db, worker="w1", config=config, policy=PATIENT)
    assert (first.sent, first.retrying) == (0, 1)
    [waiting] = outbox(db)
    assert waiting.status == "pending" and "451 4.3.0 Greylisted" in (waiting.last_error or "")
    assert send_due(db, worker="w1", config=config, policy=PATIENT).sent == 0  # backing off

    make_due(db)
    assert send_due(db, worker="w1", config=config, policy=PATIENT).sent == 1
    assert len(smtp.wait_for(1)) == 1
    [sent] = outbox(db)
    assert (sent.status, sent.attempts) == ("sent", 2)


def test_a_550_fails_the_message_with_the_servers_reply_and_it_is_not_retried(
    db: Database, actor: Actor, smtp: SmtpServer
) -> None:
    _order_with_mail(db, actor)
    smtp.reply_next("550 5.1.1 No such mailbox")
    config = smtp_from_url(smtp.url)

    report = send_due(db, worker="w1", config=config, policy=NOW)

    assert report.failed == 1 and "550 5.1.1 No such mailbox" in report.failures[0]
    [failed] = outbox(db)
    assert failed.status == "failed"
    assert failed.last_error == "refused by the server: 550 5.1.1 No such mailbox"
    make_due(db)
    assert send_due(db, worker="w1", config=config, policy=NOW).sent == 0
    assert smtp.received == []


def test_while_the_server_is_down_messages_wait_and_go_out_when_it_is_back(
    db: Database, actor: Actor
) -> None:
    _order_with_mail(db, actor)
    _order_with_mail(db, actor)
    server = SmtpServer()  # not started: connections are refused
    config = smtp_from_url(server.url)

    for _ in range(3):
        report = send_due(db, worker="w1", config=config, policy=NOW)
        assert report.sent == 0 and "connection refused" in (report.server_down or "")
    assert [r.status for r in outbox(db)] == ["pending", "pending"]

    server.start()
    try:
        assert send_due(db, worker="w1", config=config, policy=NOW).sent == 2
        assert len(server.wait_for(2)) == 2
    finally:
        server.stop()


def test_a_message_refused_with_4xx_on_every_attempt_fails_after_max_attempts(
    db: Database, actor: Actor, smtp: SmtpServer
) -> None:
    set_settings(db, actor, {"email.max_attempts": "3"})
    _order_with_mail(db, actor)
    smtp.reply_next(*["452 4.2.2 Mailbox full"] * 3)
    config = smtp_from_url(smtp.url)

    for _ in range(3):
        send_due(db, worker="w1", config=config, policy=NOW)
    [row] = outbox(db)
    assert row.status == "failed" and row.attempts == 3
    assert row.last_error == "gave up after 3 attempts; last reply: 452 4.2.2 Mailbox full"


def test_a_later_message_of_an_order_waits_for_the_earlier_one(
    db: Database, actor: Actor, smtp: SmtpServer
) -> None:
    first = _order_with_mail(db, actor, ref="#A1")
    _order_with_mail(db, actor, ref="#B2")  # another customer is not held up
    run_in_transaction(
        db,
        lambda s: queue_message(s, find_order_id(s, first), "delayed", {"waiting_lines": []}),
    )
    smtp.reply_next("451 4.7.1 Try again later")  # for #A1's "received"
    config = smtp_from_url(smtp.url)

    report = send_due(db, worker="w1", config=config, policy=PATIENT)

    assert (report.sent, report.retrying) == (1, 1)
    assert [(r.template, r.status) for r in outbox(db)] == [
        ("order_received", "pending"),
        ("order_received", "sent"),
        ("delayed", "pending"),
    ]
    make_due(db)
    assert send_due(db, worker="w1", config=config, policy=PATIENT).sent == 2
    subjects = [r.message["Subject"] for r in smtp.wait_for(3)]
    assert [s.split(": ", 1)[1] for s in subjects] == [
        "we have received your order #B2",
        "we have received your order #A1",
        "your order #A1 is delayed",
    ]


def test_starttls_and_log_in(
    db: Database, actor: Actor, certificate: tuple[Path, Path], trusts_certificate: None
) -> None:
    _order_with_mail(db, actor)
    server = SmtpServer(tls="starttls", certificate=certificate).start()
    try:
        report = send_due(db, worker="w1", config=smtp_from_url(server.url))
        assert report.sent == 1, report
        assert len(server.wait_for(1)) == 1
    finally:
        server.stop()


def test_implicit_tls(
    db: Database, actor: Actor, certificate: tuple[Path, Path], trusts_certificate: None
) -> None:
    _order_with_mail(db, actor)
    server = SmtpServer(tls="implicit", certificate=certificate).start()
    try:
        assert send_due(db, worker="w1", config=smtp_from_url(server.url)).sent == 1
        assert len(server.wait_for(1)) == 1
    finally:
        server.stop()


def test_a_wrong_password_leaves_the_messages_waiting_and_never_shows_the_password(
    db: Database, actor: Actor, certificate: tuple[Path, Path], trusts_certificate: None
) -> None:
    _order_with_mail(db, actor)
    server = SmtpServer(tls="starttls", certificate=certificate).start()
    try:
        url = server.url.replace("s3cret-pa55", "wrong-guess")
        report = send_due(db, worker="w1", config=smtp_from_url(url))
        assert report.sent == 0 and "refused the log-in (535)" in (report.server_down or "")
        assert "wrong-guess" not in (report.server_down or "")
        [row] = outbox(db)
        assert row.status == "pending" and "wrong-guess" not in (row.last_error or "")
    finally:
        server.stop()


def test_a_new_database_writes_eml_files_to_a_folder(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    _order_with_mail(db, actor)
    set_settings(db, actor, {"email.folder": str(tmp_path / "mail")})
    config = mail_config({"email.transport": "folder", "email.folder": str(tmp_path / "mail")}, {})
    assert config == FolderConfig(tmp_path / "mail")

    assert send_due(db, worker="w1").sent == 1  # the database's own settings

    [row] = outbox(db)
    written = tmp_path / "mail" / eml_name(row.message_id)
    mail = message_from_bytes(written.read_bytes(), policy=policy.default)
    assert mail["Message-ID"].strip() == row.message_id
    assert mail["To"].addresses[0].addr_spec == "zoe@example.de"
    assert sorted(p.name for p in written.parent.iterdir()) == [written.name]  # no leftovers
