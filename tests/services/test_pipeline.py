"""Writes sent together (db.pipeline): they land as if sent one by one, a COPY-sized
insert still goes in, and a statement the server refuses raises SQLAlchemy's error,
with its SQLSTATE, when the block ends - so the unit of work retries it or reports it
as it does any other."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.context import Actor
from app.services.orders import find_order_id
from db.bulk import COPY_MIN_ROWS, insert_rows
from db.engine import Database
from db.models import Note, Sequence
from db.pipeline import in_pipeline, pipelined
from db.uow import read, run_in_transaction, sqlstate
from tests.factories import place, stock


def test_writes_sent_together_land_as_if_sent_one_by_one(db: Database, actor: Actor) -> None:
    stock(db, actor, {"MUG": 1})
    number = place(db, actor, {"MUG": 1})
    notes = COPY_MIN_ROWS + 10  # COPY's size, which a pipeline cannot carry

    def work(session: Session) -> bool:
        order_id = find_order_id(session, number)
        with pipelined(session):
            inside = in_pipeline(session.connection())
            insert_rows(
                session,
                Note,
                [{"order_id": order_id, "author": "t", "body": str(i)} for i in range(notes)],
            )
            session.connection().execute(
                update(Sequence).where(Sequence.name == "sscc").values(next_value=777)
            )
        return inside

    inside = run_in_transaction(db, work)

    assert inside == (db.dialect == "postgresql")
    assert read(db, lambda s: s.scalar(select(func.count(Note.id)))) == notes
    assert (
        read(db, lambda s: s.scalar(select(Sequence.next_value).where(Sequence.name == "sscc")))
        == 777
    )


def test_a_refused_statement_raises_the_databases_error_and_saves_nothing(
    db: Database, actor: Actor
) -> None:
    stock(db, actor, {"MUG": 1})
    number = place(db, actor, {"MUG": 1})

    def work(session: Session) -> None:
        order_id = find_order_id(session, number)
        with pipelined(session):
            insert_rows(session, Note, [{"order_id": order_id, "author": "t", "body": "x"}])
            insert_rows(session, Sequence, [{"name": "sscc", "next_value": 1}])  # taken

    with pytest.raises(DBAPIError) as refused:
        run_in_transaction(db, work)

    if db.dialect == "postgresql":
        assert sqlstate(refused.value) == "23505"
    assert read(db, lambda s: s.scalar(select(func.count(Note.id)))) == 0


def test_a_refused_bulk_insert_raises_the_databases_error_and_saves_nothing(
    db: Database, actor: Actor
) -> None:
    """COPY-sized on PostgreSQL: the driver's error is raised as SQLAlchemy's, as a
    multi-row INSERT's is on SQLite."""
    stock(db, actor, {"MUG": 1})
    number = place(db, actor, {"MUG": 1})

    def work(session: Session) -> None:
        order_id = find_order_id(session, number)
        rows = [{"order_id": order_id, "author": "t", "body": str(i)} for i in range(COPY_MIN_ROWS)]
        insert_rows(session, Note, rows)
        insert_rows(
            session,
            Sequence,
            [{"name": f"s{i}", "next_value": 1} for i in range(COPY_MIN_ROWS)]
            + [{"name": "s0", "next_value": 2}],
        )

    with pytest.raises(DBAPIError) as refused:
        run_in_transaction(db, work)

    if db.dialect == "postgresql":
        assert sqlstate(refused.value) == "23505"
    assert read(db, lambda s: s.scalar(select(func.count(Note.id)))) == 0
