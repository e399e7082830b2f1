"""A sender process SIGKILLed between the server's "accepted" and the row's "sent": after
its lease the message goes again with the same Message-ID (and the same bytes), and
the folder transport recognises the Message-ID and does not write it twice."""

from __future__ import annotations

import time
from pathlib import Path

from app.context import Actor
from app.emails.transport import FolderConfig, eml_name, smtp_from_url
from app.services.email_sender import INTERRUPTED, send_due
from db.engine import Database
from tests import factories
from tests.notifications.mail import outbox
from tests.races.email_workers import sender_killed_after_accept
from tests.races.harness import SPAWN, url_of
from tests.smtp_server import SmtpServer


def _orders_with_mail(db: Database, actor: Actor, count: int) -> None:
    factories.stock(db, actor, {"MUG": 10})
    for _ in range(count):
        factories.place(db, actor, {"MUG": 1})


def _kill_after_accept(db: Database, smtp_url: str | None, folder: Path | None) -> int:
    child = SPAWN.Process(
        target=sender_killed_after_accept,
        args=(url_of(db), smtp_url, str(folder) if folder else None),
    )
    child.start()
    child.join(timeout=60)
    return int(child.exitcode or 0)


def test_a_sender_killed_after_the_server_accepted_sends_again_with_the_same_message_id(
    db: Database, actor: Actor, smtp: SmtpServer
) -> None:
    _orders_with_mail(db, actor, 1)

    assert _kill_after_accept(db, smtp.url, None) == -9
    [first] = smtp.wait_for(1)
    [row] = outbox(db)
    assert row.status == "sending"  # the verdict was never written
    assert send_due(db, worker="rescuer", config=smtp_from_url(smtp.url)).sent == 0  # leased
    time.sleep(1.2)  # the 1 s lease runs out

    assert send_due(db, worker="rescuer", config=smtp_from_url(smtp.url)).sent == 1

    first_copy, second_copy = smtp.wait_for(2)
    assert second_copy.data == first_copy.data  # same Message-ID, Date and bytes
    assert first.message["Message-ID"].strip() == row.message_id
    [done] = outbox(db)
    assert done.status == "sent" and done.attempts == 2
    assert done.last_error == INTERRUPTED + "; sent again with the same Message-ID"


def test_the_folder_transport_recognises_a_message_written_before_a_crash(
    db: Database, actor: Actor, tmp_path: Path
) -> None:
    _orders_with_mail(db, actor, 1)

    folder = tmp_path / "mail"
    assert _kill_after_accept(db, None, folder) == -9
    [row] = outbox(db)
    written = folder / eml_name(row.message_id)
    before = written.stat().st_mtime_ns
    time.sleep(1.2)

    assert send_due(db, worker="rescuer", config=FolderConfig(folder)).sent == 1

    assert [p.name for p in folder.iterdir()] == [written.name]
    assert written.stat().st_mtime_ns == before  # not written again
    [done] = outbox(db)
    assert done.status == "sent" and done.last_error == INTERRUPTED + "; it had been delivered"
