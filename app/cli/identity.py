"""Who the CLI acts as: a named user once the database has users, else the system.

`--user` or SHIPSHAPE_USER names the user; the password comes from
SHIPSHAPE_PASSWORD or, at a terminal, one prompt. It is never printed or logged.
"""

from __future__ import annotations

import getpass
import os
import sys

from app.context import Actor, system_actor
from app.errors import ValidationFailed
from app.services.access import OPEN_MODE_WARNING, login_required
from app.services.users import log_in
from db.engine import Database
from db.uow import read

USER_VAR = "SHIPSHAPE_USER"
PASSWORD_VAR = "SHIPSHAPE_PASSWORD"


def cli_actor(db: Database, user: str | None) -> Actor:
    """The actor for this command; ValidationFailed (one line) when a log-in is needed
    and missing, LoginRefused when it fails."""
    name = user or os.environ.get(USER_VAR) or None
    if name is None:
        if read(db, login_required):
            raise ValidationFailed(
                "this database has users: name one with --user NAME (or SHIPSHAPE_USER) "
                "and give the password in SHIPSHAPE_PASSWORD or at the prompt"
            )
        if sys.stderr.isatty():
            print(OPEN_MODE_WARNING, file=sys.stderr)
        return system_actor()
    return log_in(db, name, _password(name), station="cli")


def _password(name: str) -> str:
    password = os.environ.get(PASSWORD_VAR)
    if password is not None:
        return password
    if not sys.stdin.isatty():
        raise ValidationFailed(
            f"no password for {name}: set SHIPSHAPE_PASSWORD or run at a terminal to be asked"
        )
    return getpass.getpass(f"password for {name}: ")
