"""`users add|list|disable|enable|set-role|reset-password|passwd|badge` and `db-roles`.

Passwords and PINs are read from stdin, one per line (password first, then the PIN
with --with-pin), or asked for twice at a terminal; never taken as arguments, where
`ps` and the shell history would keep them.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from app.cli.registry import command, emit_json, json_flag
from app.context import Actor
from app.documents.small_labels import render_badges
from app.domain.permissions import ROLES
from app.errors import ValidationFailed
from app.output_file import write_file
from app.services import users
from app.services.db_roles import check_role_request, create_station_role
from db.engine import Database


def _configure(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="users_action", metavar="ACTION", required=True)
    add = sub.add_parser("add", help="a new user; password (and PIN) from stdin")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--name", help="the name people know them by (default: the user name)")
    _with_pin(add)
    listing = sub.add_parser("list", help="every user, their role and whether they can log in")
    json_flag(listing)
    for action, text in (("disable", "stop a user logging in"), ("enable", "let them again")):
        sub.add_parser(action, help=text).add_argument("username")
    role = sub.add_parser("set-role", help="takes effect at the user's next action")
    role.add_argument("username")
    role.add_argument("role", choices=ROLES)
    reset = sub.add_parser("reset-password", help="administrator: new password from stdin")
    reset.add_argument("username")
    _with_pin(reset)
    passwd = sub.add_parser(
        "passwd", help="change your own password: current, then new one, from stdin"
    )
    _with_pin(passwd)
    badge = sub.add_parser("badge", help="print a user's badge (U: barcode) as PDF")
    badge.add_argument("username")
    badge.add_argument("--out", required=True, type=Path, help="the PDF file to write")
    badge.add_argument("--new", action="store_true", help="a new code; the old badge stops working")


def _with_pin(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--with-pin", action="store_true", help="also a PIN for badge log-in (next stdin line)"
    )


def _secrets(labels: list[str]) -> list[str]:
    """One line of stdin per label, or at a terminal each asked for (new ones twice)."""
    if sys.stdin.isatty():
        values = []
        for label in labels:
            value = getpass.getpass(f"{label}: ")
            if label.startswith("new") and getpass.getpass(f"{label} again: ") != value:
                raise ValidationFailed(f"the two {label}s differ - nothing changed")
            values.append(value)
        return values
    lines = sys.stdin.read().splitlines()
    if len(lines) < len(labels):
        raise ValidationFailed(f"give the {' and the '.join(labels)} on stdin, one per line")
    return lines[: len(labels)]


def _password_and_pin(args: argparse.Namespace, first: str = "new password") -> list[str]:
    return _secrets([first, "new PIN"] if args.with_pin else [first])


@command(
    "users",
    "manage users: add, list, disable, set-role, reset-password, badge",
    configure=_configure,
)
def cmd_users(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    action = args.users_action
    if action == "list":
        return _list(db, actor, args.json)
    if action == "add":
        password, *pin = _password_and_pin(args)
        made = users.add_user(
            db,
            actor,
            args.username,
            args.role,
            password,
            display_name=args.name,
            pin=pin[0] if pin else None,
        )
        print(f"added {made.username} ({made.role}), badge {made.badge}")
    elif action == "disable":
        print(f"disabled {users.disable_user(db, actor, args.username).username}")
    elif action == "enable":
        print(f"enabled {users.enable_user(db, actor, args.username).username}")
    elif action == "set-role":
        changed = users.set_role(db, actor, args.username, args.role)
        print(f"{changed.username} is now {changed.role} (from their next action)")
    elif action == "reset-password":
        password, *pin = _password_and_pin(args)
        users.reset_password(db, actor, args.username, password, pin=pin[0] if pin else None)
        print(f"new password set for {args.username.strip()}")
    elif action == "passwd":
        current, new, *pin = _secrets(
            ["current password", "new password", "new PIN"][: 3 if args.with_pin else 2]
        )
        users.change_own_password(db, actor, current, new, pin=pin[0] if pin else None)
        print(f"password changed for {actor.username}")
    elif action == "badge":
        _badge(db, actor, args)
    return 0


def _list(db: Database, actor: Actor, as_json: bool) -> int:
    found = users.list_users(db, actor)
    if as_json:
        emit_json(
            [
                {
                    "username": u.username,
                    "name": u.display_name,
                    "role": u.role,
                    "active": u.active,
                    "badge": u.badge,
                    "password": u.has_password,
                    "pin": u.has_pin,
                }
                for u in found
            ]
        )
        return 0
    if not found:
        print("no users yet: add an administrator with users add NAME --role admin")
    for u in found:
        state = "active" if u.active else "disabled"
        login = "password" if u.has_password else "no log-in"
        print(f"{u.username:<16} {u.role:<10} {state:<8} {login:<9} {u.display_name}")
    return 0


def _badge(db: Database, actor: Actor, args: argparse.Namespace) -> None:
    user = (
        users.new_user_badge(db, actor, args.username)
        if args.new
        else users.badge_of(db, actor, args.username)
    )
    write_file(args.out, render_badges([(user.display_name, user.badge or "")]))
    print(f"badge {user.badge} for {user.username} written to {args.out}")


def _db_roles_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("role", help="the PostgreSQL log-in to create or re-grant, e.g. pack_1")


@command(
    "db-roles",
    "PostgreSQL: a least-privilege station log-in role (password from stdin)",
    configure=_db_roles_args,
)
def cmd_db_roles(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    check_role_request(db, args.role)
    [password] = _secrets(["new database password"])
    created = create_station_role(db, actor, args.role, password)
    print(
        f"{'created' if created else 'updated'} station role {args.role}: no DDL, audit and "
        "scan log append-only; connect with "
        f"postgresql+psycopg://{args.role}@HOST/DB?sslmode=verify-full"
    )
    return 0
