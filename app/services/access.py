"""The permission check every service makes before it changes anything.

Call `authorize(session, actor, "order.cancel")` inside the unit of work, first.
A signed-in actor's role and account are read from the database at that moment, so
a role change or a disabled account takes effect at the user's next action. A
database where nobody has a password yet ("open mode", e.g. fresh or demo) lets any
actor do anything, as before users existed; once someone has a password an actor who
did not log in is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.permissions import GRANTS, require
from app.errors import PermissionDenied
from db.base import table_of
from db.engine import Database
from db.models import User
from db.uow import read

OPEN_MODE_WARNING = (
    "warning: this database has no users yet, so anyone can do anything - "
    "add an administrator (users add NAME --role admin) to require log-in"
)


# Built once and run on the session's connection (not through the ORM's execute, which
# costs more than the statement): every unit of work makes this check.
_USERS = table_of(User)
_ANY_PASSWORD = select(
    exists().where(_USERS.c.active.is_(True), _USERS.c.password_hash.is_not(None))
)
_ROLE_OF = select(_USERS.c.role, _USERS.c.active).where(_USERS.c.id == bindparam("user_id"))


def login_required(session: Session) -> bool:
    """Whether any active user has a password: from then on every actor must log in."""
    return bool(session.connection().execute(_ANY_PASSWORD).scalar())


def needs_log_in(db: Database) -> bool:
    """`login_required`, in a read of its own (the GUI asks before any window opens)."""
    return read(db, login_required)


def current_role(session: Session, actor: Actor) -> str:
    """The role `actor` holds now (re-read from the database); refused if disabled or gone."""
    row = session.connection().execute(_ROLE_OF, {"user_id": actor.user_id}).one_or_none()
    if row is None or not row.active:
        raise PermissionDenied(disabled(actor))
    return str(row.role)


def authorize(session: Session, actor: Actor, action: str, *more: str) -> None:
    """Raise PermissionDenied, with one sentence, unless `actor` may do `action` (and each
    of `more`, all with one read) now."""
    _decide(
        actor,
        (action, *more),
        lambda: login_required(session),
        lambda: current_role(session, actor),
    )


# The same checks as columns of a statement the unit of work sends anyway (the row it
# locks first), with the actor's id as the `user_id` parameter: then `authorize_read`
# decides without a statement of its own.
AUTHORITY = (
    _ANY_PASSWORD.scalar_subquery().label("login_required"),
    select(_USERS.c.role)
    .where(_USERS.c.id == bindparam("user_id"), _USERS.c.active.is_(True))
    .scalar_subquery()
    .label("actor_role"),
)


def authorize_read(row: Any, actor: Actor, action: str, *more: str) -> None:
    """`authorize` from a row read with the `AUTHORITY` columns."""

    def role() -> str:
        if row.actor_role is None:
            raise PermissionDenied(disabled(actor))
        return str(row.actor_role)

    _decide(actor, (action, *more), lambda: bool(row.login_required), role)


def disabled(actor: Actor) -> str:
    return f"{actor.username}'s account is disabled - nothing was changed"


def _decide(
    actor: Actor,
    actions: tuple[str, ...],
    log_in_required: Callable[[], bool],
    role_now: Callable[[], str],
) -> None:
    for name in actions:
        if name not in GRANTS:
            raise KeyError(f"no permission is defined for action {name!r}")
    if actor.user_id is None:
        if log_in_required():
            raise PermissionDenied(
                f"log in first: {actor.username} is not a signed-in user of this database"
            )
        return
    role = role_now()
    for name in actions:
        require(role, name)
