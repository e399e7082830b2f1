"""Where e-mail goes: SHIPSHAPE_SMTP or the settings; the password is never shown,
exported or audited; send-notifications run as a user runs it."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from sqlalchemy import select

from app.cli.notifications import cmd_send_notifications
from app.context import Actor
from app.emails.transport import FolderConfig, SmtpConfig, mail_config, smtp_from_url
from app.errors import ValidationFailed
from app.services.settings import get_setting, list_settings, set_settings
from app.services.site_document import export_site
from db.engine import Database
from db.models import AuditEvent
from db.uow import read
from tests import factories
from tests.cli.runner import run_cli
from tests.notifications.mail import make_due, outbox
from tests.races.harness import url_of
from tests.smtp_server import SmtpServer
from tests.statement_count import counting_statements

SECRET = "pa55:w/rd@x"


def test_the_smtp_url_gives_host_port_security_and_credentials() -> None:
    config = smtp_from_url("smtp://shop%40example.com:pa55%3Aw%2Frd%40x@mail.example.com:2525")
    assert config == SmtpConfig("mail.example.com", 2525, "starttls", "shop@example.com", SECRET)
    assert config.describe() == "smtp://shop@example.com@mail.example.com:2525"
    assert SECRET not in repr(config)
    assert smtp_from_url("smtps://relay.example.com") == SmtpConfig("relay.example.com", 465, "tls")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://mail.example.com", "must start with smtp:// or smtps://"),
        ("smtp://user:pw@:25", "names no host"),
        ("smtp://mail.example.com:99999", "the port must be a number 1-65535"),
    ],
)
def test_a_bad_smtp_url_is_refused_in_a_sentence(url: str, message: str) -> None:
    with pytest.raises(ValidationFailed, match=message):
        smtp_from_url(url)


def test_the_folder_is_the_default_and_the_environment_wins_over_the_settings() -> None:
    assert isinstance(mail_config({}, {}), FolderConfig)
    settings = {"email.transport": "smtp", "smtp.host": "mail.example.com", "smtp.port": "25",
                "smtp.security": "none"}  # fmt: skip
    assert mail_config(settings, {}) == SmtpConfig("mail.example.com", 25, "none")
    from_env = mail_config(settings, {"SHIPSHAPE_SMTP": "smtps://other.example.com"})
    assert from_env == SmtpConfig("other.example.com", 465, "tls")
    with pytest.raises(ValidationFailed, match=r"smtp\.host is not set"):
        mail_config({"email.transport": "smtp"}, {})


def test_the_smtp_password_is_masked_everywhere_it_could_be_seen(
    db: Database, actor: Actor
) -> None:
    factories.site(db, actor)
    set_settings(db, actor, {"smtp.password": SECRET, "smtp.host": "mail.example.com"})

    assert get_setting(db, "smtp.password") == "********"
    assert {v.key: v.value for v in list_settings(db)}["smtp.password"] == "********"
    settings, _ = export_site(db)
    assert "smtp.password" not in settings and settings["smtp.host"] == "mail.example.com"
    audited = read(db, lambda s: list(s.scalars(select(AuditEvent.details))))
    assert SECRET not in repr(audited) and "'smtp.password': '********'" in repr(audited)


def test_send_notifications_never_logs_in_unencrypted_and_never_prints_the_password(
    db: Database, actor: Actor, smtp: SmtpServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    factories.stock(db, actor, {"MUG": 5})
    factories.place(db, actor, {"MUG": 1})
    plain = smtp.url.removeprefix("smtp://")

    monkeypatch.setenv("SHIPSHAPE_SMTP", f"smtp://shop:{SECRET.replace('/', '%2F')}@{plain}")
    refused = run_cli(url_of(db), "send-notifications", "--once", home=tmp_path)

    assert refused.code == 1, str(refused)
    assert "offers no STARTTLS: the password is not sent unencrypted; the messages wait" in (
        refused.err
    )
    assert "pa55" not in refused.out + refused.err
    assert [r.status for r in outbox(db)] == ["pending"] and smtp.received == []

    make_due(db)  # the back-off after the refusal has passed
    monkeypatch.setenv("SHIPSHAPE_SMTP", smtp.url)
    sent = run_cli(url_of(db), "send-notifications", "--once", home=tmp_path)

    assert sent.code == 0, str(sent)
    assert sent.out == f"sent 1, retrying 0, failed 0 via {smtp.url}\n"
    assert len(smtp.wait_for(1)) == 1


def test_a_bad_shipshape_smtp_stops_send_notifications_in_one_line(
    db: Database, actor: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    factories.site(db, actor)
    monkeypatch.setenv("SHIPSHAPE_SMTP", "smtp://user:topsecret@mail.example.com:70000")

    result = run_cli(url_of(db), "send-notifications", "--once", home=tmp_path)

    assert (result.code, result.out) == (1, "")
    assert result.err == "error: SHIPSHAPE_SMTP: the port must be a number 1-65535\n"


def test_send_notifications_once_reads_the_settings_once(
    db: Database, actor: Actor, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    factories.stock(db, actor, {"MUG": 5})
    factories.place(db, actor, {"MUG": 1})
    set_settings(db, actor, {"email.folder": str(tmp_path)})
    monkeypatch.delenv("SHIPSHAPE_SMTP", raising=False)

    with counting_statements(db, keep_texts=True) as sent:
        code = cmd_send_notifications(db, actor, argparse.Namespace(once=True, interval=15))

    assert code == 0 and len(list(tmp_path.glob("*.eml"))) == 1
    reads = [t for t in sent.texts if "FROM settings" in t]
    assert len(reads) == 1, "\n".join(sent.texts)
