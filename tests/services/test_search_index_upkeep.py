"""The search index follows the services that change what it holds: an address edit,
a line substitution, a split."""

from __future__ import annotations

from dataclasses import replace

from app.context import Actor
from app.domain.order_query import OrderQuery
from app.services import order_queue
from app.services.order_contact import contact_of, edit_contact
from app.services.order_copies import split_order
from app.services.order_lines import LineEdit, edit_lines
from app.services.orders import find_order, order_detail
from db.engine import Database
from db.uow import read
from tests.factories import place, stock


def found(db: Database, text: str) -> list[str]:
    return [r.number for r in order_queue.page(db, OrderQuery(text=text))]


def test_edits_reindex_the_order_at_once(db: Database, actor: Actor) -> None:
    stock(db, actor, {"MUG-RED": 10, "MUG-BLUE": 10, "CUP": 10})
    number = place(db, actor, {"MUG-RED": 2, "CUP": 1})
    contact = read(db, lambda s: contact_of(find_order(s, number)))
    version = order_detail(db, number).version

    edit_contact(db, actor, number, version, replace(contact, postcode="EH1 1YZ"))
    assert found(db, "eh11yz") == [number]
    assert found(db, contact.postcode) == []

    version = order_detail(db, number).version
    edit_lines(db, actor, number, version, [LineEdit("MUG-RED", 2, substitute="MUG-BLUE")])
    assert found(db, "mug-blue") == [number]
    assert found(db, "mug-red") == []

    version = order_detail(db, number).version
    copy = split_order(db, actor, number, version, {"CUP": 1}).number
    assert found(db, "cup") == [copy]
