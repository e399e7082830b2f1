"""Who the command line acts as: the system in open mode (one warning line at a
terminal), else the named user whose password it was given."""

from __future__ import annotations

import sys

import pytest

from app.cli.identity import cli_actor
from app.context import Actor
from app.errors import ValidationFailed
from app.services import users
from app.services.access import OPEN_MODE_WARNING
from db.engine import Database


def test_open_mode_warns_once_at_a_terminal_and_stays_quiet_in_scripts(
    sqlite_db: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SHIPSHAPE_USER", raising=False)
    assert cli_actor(sqlite_db, None).user_id is None
    assert capsys.readouterr().err == ""
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    assert cli_actor(sqlite_db, None).user_id is None
    assert capsys.readouterr().err == OPEN_MODE_WARNING + "\n"


def test_once_users_exist_the_cli_needs_a_user_and_their_password(
    sqlite_db: Database, actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    users.add_user(sqlite_db, actor, "alex", "admin", "correct horse 42")
    monkeypatch.delenv("SHIPSHAPE_USER", raising=False)
    monkeypatch.delenv("SHIPSHAPE_PASSWORD", raising=False)
    with pytest.raises(ValidationFailed, match="this database has users"):
        cli_actor(sqlite_db, None)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    with pytest.raises(ValidationFailed, match="no password for alex: set SHIPSHAPE_PASSWORD"):
        cli_actor(sqlite_db, "alex")
    monkeypatch.setenv("SHIPSHAPE_USER", "alex")
    monkeypatch.setenv("SHIPSHAPE_PASSWORD", "correct horse 42")
    signed_in = cli_actor(sqlite_db, None)
    assert (signed_in.username, signed_in.role, signed_in.station) == ("alex", "admin", "cli")
