"""The headless command line (DESIGN.md's contract).

Every command prints one human line on stderr and exits non-zero on bad input,
and changes nothing in that case. What it prints is shown as text (app.cli.terminal).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import NoReturn

from sqlalchemy.exc import DBAPIError

import app.cli.imports  # noqa: F401  (registers the file import/export commands)
from app.cli import (  # noqa: F401  (registers the commands)
    backups,
    core,
    fulfilment,
    notifications,
    picking,
    printing,
    reports,
    returns,
    service_desk,
    setup,
    tour,
    users,
)
from app.cli.identity import cli_actor
from app.cli.registry import COMMANDS, Command
from app.cli.terminal import shown, shown_as_text
from app.config import database_url, is_default_location
from app.context import system_actor
from app.errors import OmsError, ValidationFailed
from app.services.database_setup import describe_failure
from db.engine import Database, DatabaseConfigError, open_database
from db.schema import SchemaError, require_current
from db.uow import DatabaseUnavailable


class OneLineParser(argparse.ArgumentParser):
    """Bad arguments get one line on stderr, like every other error (DESIGN.md)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"error: {shown(message)} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="shipshape", description="Shipshape order management. No command opens the GUI."
    )
    parser.add_argument("--db", help="database URL (default: $SHIPSHAPE_DB or a local file)")
    parser.add_argument(
        "--user",
        help="act as this user (default: $SHIPSHAPE_USER); password from "
        "$SHIPSHAPE_PASSWORD or a prompt",
    )
    parser.add_argument(
        "--station",
        choices=["pack", "pick", "returns"],
        help="open a station screen, full screen and scanner-first",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, cmd in COMMANDS.items():
        child = sub.add_parser(name, help=cmd.help, description=cmd.help)
        if cmd.configure:
            cmd.configure(child)
    return parser


def run(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        print("no command given; try --help", file=sys.stderr)
        return 2
    with shown_as_text():
        return _run(COMMANDS[args.command], args)


def _run(cmd: Command, args: argparse.Namespace) -> int:
    db: Database | None = None
    try:
        url = database_url(args.db)
        db = open_database(
            url, station="cli", create=not cmd.needs_schema, private_folder=is_default_location(url)
        )
        for notice in db.notices:
            print(notice, file=sys.stderr)
        if not cmd.needs_schema:
            return cmd.handler(db, system_actor(), args)
        require_current(db)
        return cmd.handler(db, cli_actor(db, args.user), args)
    except ValidationFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    except (OmsError, DatabaseConfigError, SchemaError, DatabaseUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except DBAPIError as exc:
        print(f"error: {describe_failure(exc)}", file=sys.stderr)
        return 1
    finally:
        if db is not None:
            db.dispose()
