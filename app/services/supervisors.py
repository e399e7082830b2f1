"""Who may approve what a packer cannot: a supervisor's badge, checked at the moment."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import ValidationFailed
from db.engine import Database
from db.models import User
from db.uow import read

APPROVER_ROLES = ("supervisor", "admin")


def supervisor_by_badge(session: Session, badge: str) -> str:
    """The user name behind `badge` (`U:CODE` or the bare code) if an active supervisor
    or administrator holds it; ValidationFailed otherwise."""
    code = badge.strip()
    code = code[2:] if code[:2].upper() == "U:" else code
    if not code:
        raise ValidationFailed("scan a supervisor's badge (U:...) to override")
    user = session.scalars(
        select(User).where(func.upper(User.badge).in_([f"U:{code.upper()}", code.upper()]))
    ).first()
    if user is None or not user.active:
        raise ValidationFailed(f"badge U:{code} belongs to no active user - nothing overridden")
    if user.role not in APPROVER_ROLES:
        raise ValidationFailed(
            f"{user.display_name} is a {user.role}; only a supervisor's badge can override"
        )
    return user.username


def approver_name(db: Database, badge: str) -> str:
    """The display name of the active supervisor or administrator holding `badge`, to
    show who approved an override (ValidationFailed as `supervisor_by_badge`)."""

    def work(session: Session) -> str:
        username = supervisor_by_badge(session, badge)
        name = session.scalar(select(User.display_name).where(User.username == username))
        return name or username

    return read(db, work)
