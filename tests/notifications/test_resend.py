"""Resend: a new message with its own Message-ID, audited; the customer gets what was
sent, and a message that never rendered is rendered anew. SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from jinja2 import DictLoader, Environment, StrictUndefined

import app.emails.templates as templates
from app.context import Actor
from app.emails.transport import FolderConfig
from app.errors import NotFound, ValidationFailed
from app.services.email_sender import send_due
from app.services.orders import order_detail
from app.services.outbox import preview_message, resend_message
from app.services.settings import set_settings
from db.engine import Database
from tests import factories
from tests.notifications.mail import outbox


def test_a_message_that_never_rendered_is_rendered_anew_when_resent(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    factories.stock(db, actor, {"MUG": 5})
    set_settings(db, actor, {"company.email": ""})  # no sender address yet
    factories.channel(db)
    number = factories.place(db, actor, {"MUG": 1}, ref="#R9")
    assert send_due(db, worker="t", config=FolderConfig(tmp_path)).failed == 1
    [failed] = outbox(db)
    assert failed.status == "failed" and failed.last_error is not None
    assert "no valid sender address" in failed.last_error

    set_settings(db, actor, {"company.email": "shop@nordic.example"})
    new_id = resend_message(db, actor, failed.id)

    copy = outbox(db)[-1]
    assert (copy.id, copy.status, copy.last_error) == (new_id, "pending", None)
    preview = preview_message(db, new_id)
    assert preview.entry.subject == "Shipshape Demo Ltd: we have received your order #R9"
    assert preview.message_id.endswith("@nordic.example>")
    assert preview.sender == "Shipshape Demo Ltd <shop@nordic.example>"
    assert send_due(db, worker="t", config=FolderConfig(tmp_path)).sent == 1
    assert outbox(db)[-1].message_id == preview.message_id != failed.message_id
    events = [e for e in order_detail(db, number).events if e.action == "e-mail resent"]
    assert [e.reason for e in events] == [
        f"order received e-mail #{failed.id} sent again as #{new_id} to zoe@example.de"
    ]


def test_a_sent_message_is_resent_as_it_was_not_as_todays_template_would_say(
    db: Database, actor: Actor, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    factories.stock(db, actor, {"MUG": 5})
    factories.place(db, actor, {"MUG": 1})
    assert send_due(db, worker="t", config=FolderConfig(tmp_path)).sent == 1
    [original] = outbox(db)
    changed = Environment(
        loader=DictLoader(
            {f"order_received.{p}": "changed" for p in ("subject.txt", "txt", "html")}
        ),
        undefined=StrictUndefined,
    )
    monkeypatch.setattr(templates, "environment", lambda: changed)

    resend_message(db, actor, original.id)

    copy = outbox(db)[-1]
    assert (copy.subject, copy.body, copy.body_html) == (
        original.subject,
        original.body,
        original.body_html,
    )


def test_only_a_sent_or_failed_message_can_be_resent(db: Database, actor: Actor) -> None:
    factories.stock(db, actor, {"MUG": 5})
    factories.place(db, actor, {"MUG": 1})
    [pending] = outbox(db)

    with pytest.raises(ValidationFailed, match="has not been sent yet"):
        resend_message(db, actor, pending.id)
    with pytest.raises(NotFound, match="no e-mail #999 in the outbox"):
        resend_message(db, actor, 999)
    assert len(outbox(db)) == 1
