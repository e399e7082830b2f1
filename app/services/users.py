"""Users: adding and disabling them, passwords and PINs, and logging in.

Every log-in attempt is audited (entity "user"), failed ones too, in their own
transaction, so a refused attempt leaves the attempt on record and changes nothing
else. `MAX_FAILURES` failures in a row lock the account for `LOCKOUT`; `STATION_LIMIT`
failures at one station within a minute (unknown names included) stop that station
trying for the rest of that minute.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.credentials import (
    badge_code,
    hash_secret,
    matches,
    needs_rehash,
    new_badge,
    require_password,
    require_pin,
)
from app.domain.permissions import ROLES, role_name
from app.errors import NotFound, OmsError, PermissionDenied, ValidationFailed
from app.services.access import authorize, login_required
from app.services.audit import record
from db.engine import Database
from db.models import AuditEvent, User
from db.types import utcnow
from db.uow import read, run_in_transaction

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=5)
STATION_LIMIT = 10
STATION_WINDOW = timedelta(minutes=1)
FAILED = "login_failed"


_Change = Callable[[Session, User], dict[str, object] | None]
_Finder = Callable[[Session], User | None]


class LoginRefused(OmsError):
    """A log-in was refused; the attempt is audited and nothing else changed."""


@dataclass(frozen=True)
class UserView:
    username: str
    display_name: str
    role: str
    badge: str | None
    active: bool
    has_password: bool
    has_pin: bool
    locked_until: datetime | None


def _view(user: User) -> UserView:
    return UserView(
        user.username,
        user.display_name,
        user.role,
        user.badge,
        user.active,
        user.password_hash is not None,
        user.pin_hash is not None,
        user.locked_until,
    )


def _user(session: Session, username: str, *, for_update: bool = False) -> User:
    stmt = select(User).where(func.lower(User.username) == username.strip().lower())
    user = session.scalars(stmt.with_for_update() if for_update else stmt).first()
    if user is None:
        raise NotFound(f"no user {username.strip()!r}")
    return user


def actor_for(user: User, station: str) -> Actor:
    return Actor(username=user.username, station=station, user_id=user.id, role=user.role)


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ValidationFailed(f"unknown role {role!r}: one of {', '.join(ROLES)}")


def _check_username(username: str) -> str:
    name = username.strip()
    if not name or len(name) > 64 or not name.isprintable() or " " in name:
        raise ValidationFailed("a user name is 1 to 64 printable characters without spaces")
    return name


# --- managing users ---------------------------------------------------------------


def add_user(
    db: Database,
    actor: Actor,
    username: str,
    role: str,
    password: str,
    *,
    display_name: str | None = None,
    pin: str | None = None,
) -> UserView:
    """A new active user with a password (and a PIN for station log-in) and a badge.

    While nobody can log in yet the first user with a password must be an
    administrator, so someone can always manage users."""
    name = _check_username(username)
    _check_role(role)
    require_password(password)
    if pin is not None:
        require_pin(pin)
    password_hash = hash_secret(password)
    pin_hash = hash_secret(pin) if pin is not None else None

    def work(session: Session) -> UserView:
        authorize(session, actor, "users.manage")
        if not login_required(session) and role != "admin":
            raise ValidationFailed(
                "the first user with a password must be an administrator (--role admin)"
            )
        if session.scalar(select(User.id).where(func.lower(User.username) == name.lower())):
            raise ValidationFailed(f"a user {name!r} already exists")
        user = User(
            username=name,
            display_name=(display_name or name).strip()[:100] or name,
            role=role,
            password_hash=password_hash,
            pin_hash=pin_hash,
            badge=new_badge(),
            active=True,
        )
        session.add(user)
        session.flush()
        record(session, actor, "user", user.id, "user_added", details={"role": role})
        return _view(user)

    return run_in_transaction(db, work)


def list_users(db: Database, actor: Actor) -> list[UserView]:
    def work(session: Session) -> list[UserView]:
        authorize(session, actor, "users.manage")
        return [_view(u) for u in session.scalars(select(User).order_by(User.username))]

    return read(db, work)


def _change(db: Database, actor: Actor, username: str, action: str, change: _Change) -> UserView:
    def work(session: Session) -> UserView:
        authorize(session, actor, "users.manage")
        user = _user(session, username, for_update=True)
        details = change(session, user)
        record(session, actor, "user", user.id, action, details=details)
        return _view(user)

    return run_in_transaction(db, work)


def _other_admins(session: Session, user: User) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(User)
            .where(User.role == "admin", User.active.is_(True), User.id != user.id)
        )
        or 0
    )


def disable_user(db: Database, actor: Actor, username: str) -> UserView:
    """Disabled users cannot log in; one logged in is refused at their next action."""

    def change(session: Session, user: User) -> dict[str, object] | None:
        if user.id == actor.user_id:
            raise ValidationFailed("you cannot disable your own account")
        if user.role == "admin" and not _other_admins(session, user):
            raise ValidationFailed(f"{user.username} is the last active administrator")
        user.active = False
        return None

    return _change(db, actor, username, "user_disabled", change)


def enable_user(db: Database, actor: Actor, username: str) -> UserView:
    def change(session: Session, user: User) -> dict[str, object] | None:
        user.active = True
        user.failed_logins = 0
        user.locked_until = None
        return None

    return _change(db, actor, username, "user_enabled", change)


def set_role(db: Database, actor: Actor, username: str, role: str) -> UserView:
    """Takes effect at the user's next action: every service re-reads the role."""
    _check_role(role)

    def change(session: Session, user: User) -> dict[str, object] | None:
        if user.role == "admin" and role != "admin" and not _other_admins(session, user):
            raise ValidationFailed(f"{user.username} is the last active administrator")
        previous, user.role = user.role, role
        return {"from": previous, "to": role}

    return _change(db, actor, username, "role_changed", change)


def reset_password(
    db: Database, actor: Actor, username: str, password: str, *, pin: str | None = None
) -> UserView:
    """An administrator sets someone's password (and PIN); it also lifts a lock-out."""
    require_password(password)
    if pin is not None:
        require_pin(pin)
    password_hash = hash_secret(password)
    pin_hash = hash_secret(pin) if pin is not None else None

    def change(session: Session, user: User) -> dict[str, object] | None:
        user.password_hash = password_hash
        if pin_hash is not None:
            user.pin_hash = pin_hash
        user.failed_logins = 0
        user.locked_until = None
        return {"pin": pin_hash is not None}

    return _change(db, actor, username, "password_reset", change)


def new_user_badge(db: Database, actor: Actor, username: str) -> UserView:
    """A fresh badge code: the old badge stops working (a lost badge)."""

    def change(session: Session, user: User) -> dict[str, object] | None:
        user.badge = new_badge()
        return None

    return _change(db, actor, username, "badge_replaced", change)


def badge_of(db: Database, actor: Actor, username: str) -> UserView:
    """The user's badge to print; one is made (and audited) if they had none."""

    def work(session: Session) -> UserView:
        authorize(session, actor, "users.manage")
        user = _user(session, username, for_update=True)
        if user.badge is None:
            user.badge = new_badge()
            record(session, actor, "user", user.id, "badge_replaced")
        return _view(user)

    return run_in_transaction(db, work)


def change_own_password(
    db: Database, actor: Actor, current: str, new: str, *, pin: str | None = None
) -> None:
    """The signed-in user changes their password (and PIN), proving the current one."""
    if actor.user_id is None:
        raise ValidationFailed("log in first to change your password")
    require_password(new)
    if pin is not None:
        require_pin(pin)
    password_hash = hash_secret(new)
    pin_hash = hash_secret(pin) if pin is not None else None

    def work(session: Session) -> bool:
        user = session.get(User, actor.user_id, with_for_update=True)
        if user is None or not user.active:
            raise PermissionDenied(f"{actor.username}'s account is disabled")
        if not matches(user.password_hash, current):
            record(session, actor, "user", user.id, FAILED, reason="wrong current password")
            return False
        user.password_hash = password_hash
        if pin_hash is not None:
            user.pin_hash = pin_hash
        record(session, actor, "user", user.id, "password_changed")
        return True

    if not run_in_transaction(db, work):
        raise LoginRefused("the current password is wrong - nothing was changed")


# --- logging in -------------------------------------------------------------------


def log_in(db: Database, username: str, password: str, station: str) -> Actor:
    """The actor for `username` at `station` if the password is right; LoginRefused
    with one sentence otherwise (unknown user, wrong password, disabled, locked)."""
    name = username.strip()
    if not name:
        raise LoginRefused("type your user name")
    return _attempt(db, station, name[:64], lambda s: _by_name(s, name), password, "password")


def log_in_with_badge(
    db: Database, scanned: str, pin: str, station: str, *, taking_over: Actor | None = None
) -> Actor:
    """Badge scan plus PIN. `taking_over` is the user whose locked session this log-in
    replaces at the station: the change of hands is audited."""
    badge = badge_code(scanned)
    if badge is None:
        refusal = (
            "that looks like a PIN - scan your badge (U:...) first"
            if scanned.strip().isdigit()
            else "scan your badge: a badge barcode starts with U:"
        )
        # Audited, and counted against the station, without what was typed (a PIN?).
        run_in_transaction(db, lambda s: _fail(s, station, "(not a badge)", None, refusal))
        raise LoginRefused(refusal)
    actor = _attempt(db, station, badge, lambda s: _by_badge(s, badge), pin, "PIN")
    if taking_over is not None and taking_over.user_id != actor.user_id:

        def work(session: Session) -> None:
            record(
                session,
                actor,
                "user",
                actor.user_id or 0,
                "station_taken_over",
                details={"from": taking_over.username, "station": station},
            )

        run_in_transaction(db, work)
    return actor


def _by_name(session: Session, name: str) -> User | None:
    return session.scalars(
        select(User).where(func.lower(User.username) == name.lower()).with_for_update()
    ).first()


def _by_badge(session: Session, badge: str) -> User | None:
    return session.scalars(
        select(User).where(func.upper(User.badge) == badge).with_for_update()
    ).first()


@dataclass(frozen=True)
class _Outcome:
    actor: Actor | None
    refusal: str


def _attempt(
    db: Database,
    station: str,
    claimed: str,
    find: _Finder,
    secret: str,
    kind: str,
) -> Actor:
    def work(session: Session) -> _Outcome:
        now = utcnow()
        recent = (
            session.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(
                    AuditEvent.action == FAILED,
                    AuditEvent.station == station,
                    AuditEvent.occurred_at > now - STATION_WINDOW,
                )
            )
            or 0
        )
        user = find(session)
        if recent >= STATION_LIMIT:
            return _fail(
                session,
                station,
                claimed,
                user,
                "too many failed log-ins at this "
                "station in the last minute - wait a minute and try again",
            )
        if user is None:
            what = "badge" if claimed.startswith("U:") else "user"
            refusal = (
                f"badge {claimed} is not a badge of this site"
                if what == "badge"
                else f"no user {claimed!r} - check the spelling"
            )
            return _fail(session, station, claimed, None, refusal)
        if not user.active:
            return _fail(session, station, claimed, user, f"{user.username}'s account is disabled")
        if user.locked_until is not None and user.locked_until > now:
            minutes = max(1, round((user.locked_until - now).total_seconds() / 60))
            return _fail(
                session,
                station,
                claimed,
                user,
                f"{user.username} is locked after "
                f"repeated failed log-ins - try again in {minutes} min or ask an "
                "administrator to reset the password",
            )
        stored = user.pin_hash if kind == "PIN" else user.password_hash
        if stored is None:
            return _fail(
                session,
                station,
                claimed,
                user,
                f"{user.username} has no {kind} yet - ask an administrator to set one",
            )
        if not matches(stored, secret):
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILURES:
                user.locked_until = now + LOCKOUT
                user.failed_logins = 0
                return _fail(
                    session,
                    station,
                    claimed,
                    user,
                    f"wrong {kind}: {user.username} "
                    f"is now locked for {int(LOCKOUT.total_seconds() // 60)} min",
                )
            left = MAX_FAILURES - user.failed_logins
            return _fail(
                session,
                station,
                claimed,
                user,
                f"wrong {kind} for {user.username} ({left} more tries before a lock-out)",
            )
        user.failed_logins = 0
        user.locked_until = None
        if needs_rehash(stored):
            rehashed = hash_secret(secret)
            if kind == "PIN":
                user.pin_hash = rehashed
            else:
                user.password_hash = rehashed
        actor = actor_for(user, station)
        record(session, actor, "user", user.id, "login", details={"by": kind})
        return _Outcome(actor, "")

    outcome = run_in_transaction(db, work)
    if outcome.actor is None:
        raise LoginRefused(outcome.refusal)
    return outcome.actor


def _fail(
    session: Session, station: str, claimed: str, user: User | None, refusal: str
) -> _Outcome:
    """Audit a refused attempt (the typed name, never the secret)."""
    who = Actor(username=claimed, station=station, user_id=user.id if user else None)
    record(session, who, "user", user.id if user else 0, FAILED, reason=refusal)
    return _Outcome(None, refusal)


def describe(user: UserView) -> str:
    """'Pat Packer (packer)' for lists and the status bar."""
    return f"{user.display_name} ({role_name(user.role)})"
