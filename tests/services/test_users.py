"""Users and log-in on both databases: hashing, lock-out, badges, roles taking effect."""

from __future__ import annotations

import unicodedata
from datetime import timedelta

import pytest
from argon2 import Parameters, Type, extract_parameters
from sqlalchemy import func, select, update

from app.context import Actor
from app.errors import PermissionDenied, ValidationFailed
from app.services import users
from app.services.order_actions import hold_order
from app.services.users import LoginRefused
from db.engine import Database
from db.models import AuditEvent, Order, User
from db.types import utcnow
from db.uow import read, run_in_transaction
from tests.factories import place, stock

PASSWORD = "correct horse 42"


@pytest.fixture
def admin(db: Database, actor: Actor) -> Actor:
    users.add_user(db, actor, "alex", "admin", PASSWORD, display_name="Alex Admin")
    return users.log_in(db, "alex", PASSWORD, "desk-1")


def _audit(db: Database, action: str) -> list[AuditEvent]:
    return read(
        db,
        lambda s: list(
            s.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))
        ),
    )


def _user(db: Database, name: str) -> User:
    return read(db, lambda s: s.scalars(select(User).where(User.username == name)).one())


def test_passwords_are_argon2id_with_at_least_the_library_defaults(
    db: Database, admin: Actor
) -> None:
    stored = _user(db, "alex").password_hash
    assert stored is not None and stored.startswith("$argon2id$")
    found = extract_parameters(stored)
    assert found.type is Type.ID
    assert found.memory_cost >= 65536 and found.time_cost >= 3 and found.parallelism >= 4
    assert PASSWORD not in stored


def test_a_weaker_hash_is_replaced_at_the_next_log_in(db: Database, admin: Actor) -> None:
    from argon2 import PasswordHasher

    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    run_in_transaction(
        db,
        lambda s: s.execute(update(User).where(User.username == "alex").values(password_hash=weak)),
    )
    users.log_in(db, "alex", PASSWORD, "desk-1")
    rehashed = extract_parameters(_user(db, "alex").password_hash or "")
    assert isinstance(rehashed, Parameters) and rehashed.memory_cost >= 65536


def test_the_first_user_with_a_password_must_be_an_administrator(
    db: Database, actor: Actor
) -> None:
    with pytest.raises(ValidationFailed, match="first user with a password must be an admin"):
        users.add_user(db, actor, "pat", "packer", PASSWORD)
    assert read(db, lambda s: s.scalar(select(func.count()).select_from(User))) == 0


def test_once_a_user_exists_an_actor_who_did_not_log_in_is_refused(
    db: Database, actor: Actor, admin: Actor
) -> None:
    stock(db, admin, {"MUG": 1})
    number = place(db, admin, {"MUG": 1})
    with pytest.raises(PermissionDenied, match="log in first"):
        hold_order(db, actor, number, "customer rang")
    hold_order(db, admin, number, "customer rang")


def test_wrong_password_unknown_and_disabled_users_are_refused_and_audited(
    db: Database, admin: Actor
) -> None:
    users.add_user(db, admin, "pat", "packer", PASSWORD)
    with pytest.raises(LoginRefused, match=r"wrong password for pat \(4 more tries"):
        users.log_in(db, "pat", "not it at all", "desk-1")
    with pytest.raises(LoginRefused, match="no user 'nobody'"):
        users.log_in(db, "nobody", PASSWORD, "desk-1")
    users.disable_user(db, admin, "pat")
    with pytest.raises(LoginRefused, match="pat's account is disabled"):
        users.log_in(db, "pat", PASSWORD, "desk-1")
    failed = _audit(db, "login_failed")
    assert [(e.username, e.station) for e in failed] == [
        ("pat", "desk-1"),
        ("nobody", "desk-1"),
        ("pat", "desk-1"),
    ]
    assert all(PASSWORD not in (e.reason or "") for e in failed)


def test_five_failures_lock_the_account_until_an_administrator_resets_it(
    db: Database, admin: Actor
) -> None:
    users.add_user(db, admin, "pat", "packer", PASSWORD)
    for _ in range(4):
        with pytest.raises(LoginRefused, match="wrong password"):
            users.log_in(db, "pat", "guess-guess", "desk-1")
    with pytest.raises(LoginRefused, match="pat is now locked for 5 min"):
        users.log_in(db, "pat", "guess-guess", "desk-1")
    with pytest.raises(LoginRefused, match="pat is locked after repeated failed log-ins"):
        users.log_in(db, "pat", PASSWORD, "desk-1")
    users.reset_password(db, admin, "pat", "a new one 2026")
    assert users.log_in(db, "pat", "a new one 2026", "desk-1").role == "packer"


def test_a_lock_out_ends_by_itself(db: Database, admin: Actor) -> None:
    users.add_user(db, admin, "pat", "packer", PASSWORD)
    run_in_transaction(
        db,
        lambda s: s.execute(
            update(User)
            .where(User.username == "pat")
            .values(locked_until=utcnow() - timedelta(seconds=1))
        ),
    )
    assert users.log_in(db, "pat", PASSWORD, "desk-1").username == "pat"


def test_ten_failures_at_a_station_within_a_minute_stop_it_trying(
    db: Database, admin: Actor
) -> None:
    for i in range(10):
        with pytest.raises(LoginRefused, match="no user"):
            users.log_in(db, f"guess{i}", "whatever-1", "pack-3")
    with pytest.raises(LoginRefused, match="too many failed log-ins at this station"):
        users.log_in(db, "alex", PASSWORD, "pack-3")
    # Another station is not held up by it.
    assert users.log_in(db, "alex", PASSWORD, "desk-2").username == "alex"


def test_a_password_in_any_script_logs_in_however_it_was_composed(
    db: Database, admin: Actor
) -> None:
    password = unicodedata.normalize("NFC", "Grüße aus Łódź — 東京")
    users.add_user(db, admin, "zoe", "service", password)
    typed = unicodedata.normalize("NFD", password)
    assert typed != password
    assert users.log_in(db, "zoe", typed, "desk-1").role == "service"
    with pytest.raises(ValidationFailed, match="control or invisible"):
        users.reset_password(db, admin, "zoe", "abc\u200bdefghij")


def test_badge_and_pin_log_in_and_the_mistakes_a_packer_makes(db: Database, admin: Actor) -> None:
    made = users.add_user(db, admin, "pat", "packer", PASSWORD, pin="4071")
    assert made.badge and made.badge.startswith("U:")
    packer = users.log_in_with_badge(db, made.badge.lower(), "4071", "pack-1")
    assert (packer.username, packer.role, packer.station) == ("pat", "packer", "pack-1")
    with pytest.raises(LoginRefused, match="looks like a PIN - scan your badge"):
        users.log_in_with_badge(db, "4071", "", "pack-1")
    [typed] = _audit(db, "login_failed")
    assert (typed.username, typed.station, typed.entity_id) == ("(not a badge)", "pack-1", 0)
    assert "4071" not in f"{typed.reason} {typed.details}"
    with pytest.raises(LoginRefused, match="U:OTHERSITE9 is not a badge of this site"):
        users.log_in_with_badge(db, "U:OTHERSITE9", "4071", "pack-1")
    with pytest.raises(LoginRefused, match="wrong PIN for pat"):
        users.log_in_with_badge(db, made.badge, "9999", "pack-1")
    with pytest.raises(ValidationFailed, match="4 to 8 digits"):
        users.reset_password(db, admin, "pat", PASSWORD, pin="12ab")


def test_a_badge_taking_over_a_locked_station_is_audited_as_a_change_of_hands(
    db: Database, admin: Actor
) -> None:
    first = users.add_user(db, admin, "pat", "packer", PASSWORD, pin="4071")
    second = users.add_user(db, admin, "pia", "packer", PASSWORD, pin="5182")
    pat = users.log_in_with_badge(db, first.badge or "", "4071", "pack-1")
    pia = users.log_in_with_badge(db, second.badge or "", "5182", "pack-1", taking_over=pat)
    [event] = _audit(db, "station_taken_over")
    assert (event.username, event.user_id, event.station) == ("pia", pia.user_id, "pack-1")
    assert event.details == {"from": "pat", "station": "pack-1"}


def test_a_role_change_or_disabling_takes_effect_at_the_users_next_action(
    db: Database, admin: Actor
) -> None:
    stock(db, admin, {"MUG": 2})
    number = place(db, admin, {"MUG": 1})
    users.add_user(db, admin, "cara", "service", PASSWORD)
    cara = users.log_in(db, "cara", PASSWORD, "desk-2")
    users.set_role(db, admin, "cara", "packer")
    with pytest.raises(PermissionDenied, match="a packer may not put orders on hold"):
        hold_order(db, cara, number, "customer rang")
    assert read(db, lambda s: s.scalar(select(Order.status).where(Order.number == number))) != (
        "on_hold"
    )
    users.set_role(db, admin, "cara", "supervisor")
    hold_order(db, cara, number, "customer rang")
    users.disable_user(db, admin, "cara")
    with pytest.raises(PermissionDenied, match="cara's account is disabled"):
        hold_order(db, cara, number, "again")


def test_only_an_administrator_manages_users_and_the_last_one_stays(
    db: Database, admin: Actor
) -> None:
    users.add_user(db, admin, "sam", "supervisor", PASSWORD)
    sam = users.log_in(db, "sam", PASSWORD, "desk-1")
    with pytest.raises(PermissionDenied, match="a supervisor may not manage users"):
        users.add_user(db, sam, "eve", "admin", PASSWORD)
    with pytest.raises(ValidationFailed, match="cannot disable your own account"):
        users.disable_user(db, admin, "alex")
    with pytest.raises(ValidationFailed, match="alex is the last active administrator"):
        users.set_role(db, admin, "alex", "packer")
    assert [u.username for u in users.list_users(db, admin)] == ["alex", "sam"]


def test_changing_your_own_password_needs_the_current_one(db: Database, admin: Actor) -> None:
    with pytest.raises(LoginRefused, match="current password is wrong"):
        users.change_own_password(db, admin, "not the one", "brand new pass")
    users.change_own_password(db, admin, PASSWORD, "brand new pass")
    with pytest.raises(LoginRefused, match="wrong password"):
        users.log_in(db, "alex", PASSWORD, "desk-1")
    assert users.log_in(db, "alex", "brand new pass", "desk-1").username == "alex"
