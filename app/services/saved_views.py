"""A user's saved queue views: a name for an `OrderQuery`, stored in the database so it
follows the user to any station."""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.changes import Changes
from app.context import Actor
from app.domain.order_query import OrderQuery
from app.errors import NotFound, ValidationFailed
from db.engine import Database
from db.models import SavedView
from db.uow import read, run_in_transaction

MAX_NAME = 100


def list_views(db: Database, actor: Actor) -> list[tuple[str, OrderQuery]]:
    """The user's views by name; a view this version cannot read is left out."""

    def work(session: Session) -> list[tuple[str, OrderQuery]]:
        found = []
        for name, stored in session.execute(
            select(SavedView.name, SavedView.query)
            .where(SavedView.username == actor.username)
            .order_by(SavedView.name)
        ):
            try:
                found.append((name, OrderQuery.from_json(stored)))
            except ValidationFailed:
                continue
        return found

    return read(db, work)


def save_view(db: Database, actor: Actor, name: str, query: OrderQuery) -> Changes:
    """Save `query` as `name`, replacing the user's view of that name."""
    name = " ".join(name.split())
    if not name:
        raise ValidationFailed("a saved view needs a name")
    if len(name) > MAX_NAME:
        raise ValidationFailed(f"a view name has at most {MAX_NAME} characters")

    def work(session: Session) -> None:
        view = session.scalar(
            select(SavedView).where(SavedView.username == actor.username, SavedView.name == name)
        )
        if view is None:
            session.add(SavedView(username=actor.username, name=name, query=query.to_json()))
        else:
            view.query = query.to_json()

    run_in_transaction(db, work)
    return Changes()  # no order changed: views need not reload


def delete_view(db: Database, actor: Actor, name: str) -> Changes:
    def work(session: Session) -> None:
        gone = session.execute(
            delete(SavedView).where(SavedView.username == actor.username, SavedView.name == name)
        )
        if not gone.rowcount:  # type: ignore[attr-defined]
            raise NotFound(f"you have no saved view {name!r}")

    run_in_transaction(db, work)
    return Changes()  # no order changed: views need not reload
