"""Log-ins for the demo warehouse's people, as the README lists them.

Kept apart from demo_data (which only creates the users) because a database with
log-ins asks everyone to log in: `demo-data --logins` opts in.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.credentials import hash_secret
from app.services.access import authorize
from app.services.audit import record
from db.engine import Database
from db.models import User
from db.uow import run_in_transaction

# user name -> (password, PIN for the badge log-in at a station)
DEMO_LOGINS: dict[str, tuple[str, str]] = {
    "admin": ("demo-admin-pass", "2580"),
    "sam": ("demo-sam-pass", "1357"),
    "pat": ("demo-pat-pass", "2468"),
    "pia": ("demo-pia-pass", "3690"),
    "cara": ("demo-cara-pass", "4812"),
    "rex": ("demo-rex-pass", "5937"),
}


def give_demo_logins(db: Database, actor: Actor) -> list[str]:
    """Set the listed password and PIN of each demo user that exists; their names."""
    hashes = {name: (hash_secret(pw), hash_secret(pin)) for name, (pw, pin) in DEMO_LOGINS.items()}

    def work(session: Session) -> list[str]:
        authorize(session, actor, "users.manage")
        done = []
        for user in session.scalars(select(User).where(User.username.in_(hashes))):
            user.password_hash, user.pin_hash = hashes[user.username]
            record(session, actor, "user", user.id, "password_reset", reason="demo log-in")
            done.append(user.username)
        return sorted(done)

    return run_in_transaction(db, work)
