"""Packing reads the packer's authority with the order's lock (one statement less per
parcel) and refuses as the check of its own did: a disabled account, an actor who did
not log in once passwords exist, and a role that may not - before it says an order
is not there."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.credentials import hash_secret
from app.errors import NotFound, PermissionDenied
from app.services.allocation import allocate
from app.services.pack_completion import PackageSpec, complete_packing, pack_unverified
from app.services.packing import open_for_packing
from db.engine import Database
from db.models import Order, User
from db.uow import read, run_in_transaction
from tests.factories import place, stock


def _user(db: Database, role: str) -> Actor:
    def work(session: Session) -> Actor:
        user = User(username=role, display_name=role, role=role, password_hash=hash_secret("pw"))
        session.add(user)
        session.flush()
        return Actor(role, "pack-1", user.id, role)

    return run_in_transaction(db, work)


def _status(db: Database, number: str) -> str:
    return read(db, lambda s: s.scalar(select(Order.status).where(Order.number == number)))


def test_packing_refuses_a_disabled_account_and_a_packer_who_did_not_log_in(
    db: Database, actor: Actor
) -> None:
    stock(db, actor, {"MUG": 5})
    number = place(db, actor, {"MUG": 1})
    allocate(db, actor)
    _user(db, "packer")  # an active account with a password: everyone must log in
    supervisor = _user(db, "supervisor")
    order_id = open_for_packing(db, supervisor, number).order_id
    run_in_transaction(
        db,
        lambda s: s.execute(update(User).where(User.id == supervisor.user_id).values(active=False)),
    )

    with pytest.raises(PermissionDenied, match="account is disabled"):
        pack_unverified(db, supervisor, number, dispatch=True)
    with pytest.raises(PermissionDenied, match="account is disabled"):
        complete_packing(db, supervisor, order_id, [PackageSpec()])
    with pytest.raises(PermissionDenied, match="log in first"):
        pack_unverified(db, Actor("nobody", "pack-1"), number)
    assert _status(db, number) == "allocated"


def test_a_role_that_may_not_pack_unverified_is_refused_before_hearing_of_a_missing_order(
    db: Database, actor: Actor
) -> None:
    stock(db, actor, {"MUG": 5})
    packer = _user(db, "packer")
    supervisor = _user(db, "supervisor")

    with pytest.raises(PermissionDenied):
        pack_unverified(db, packer, "NO-SUCH-ORDER")
    with pytest.raises(NotFound):
        pack_unverified(db, supervisor, "NO-SUCH-ORDER")
