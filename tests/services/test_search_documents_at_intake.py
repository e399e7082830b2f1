"""Intake writes each new order's search document from the values it has just stored,
instead of reading them back: the document must be the one a later refresh writes."""

from __future__ import annotations

import string
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.search_terms import search_key
from app.services import search_index
from app.services.intake import create_orders
from db.engine import Database
from db.models import OrderSearch
from db.uow import read, run_in_transaction
from tests.factories import ADDRESS, channel, new_order, stock


def documents(db: Database) -> dict[int, str]:
    def work(session: Session) -> dict[int, str]:
        return dict(session.execute(select(OrderSearch.order_id, OrderSearch.document)).all())

    return read(db, work)


def test_a_new_orders_document_is_what_a_refresh_makes_of_its_rows(
    db: Database, actor: Actor
) -> None:
    stock(db, actor, {"MUG-RED": 10, "cup.blue": 10})
    channel(db)
    addresses = [
        replace(ADDRESS, name="Zoë MÜLLER", postcode="SW1A 1AA", phone="+44 (0)20 7946-0958"),
        replace(ADDRESS, name="Jan de Vries", postcode="1012 AB", phone=None),
        replace(ADDRESS, name="ＡＢＣ Ltd", postcode="75001", phone="0033 1 23"),
    ]
    orders = [
        replace(new_order({"MUG-RED": 1, "cup.blue": 2}), ship_to=to, email=f"A.{i}@Example.org")
        for i, to in enumerate(addresses)
    ]
    create_orders(db, actor, orders)
    written = documents(db)

    run_in_transaction(db, lambda session: search_index.refresh(session, list(written)))

    assert len(written) == 3
    assert documents(db) == written
    assert any("müller" in d and "sw1a1aa" in d and "mugred" in d for d in written.values())
    assert any("abcltd" in d.split() for d in written.values())  # full width, folded


@given(st.text(alphabet=string.printable + "\x00\x7f", max_size=30))
def test_an_ascii_value_is_keyed_as_search_key_keys_it(text: str) -> None:
    assert search_index.document([text], None) == search_key(text)
