"""Order search ignores case in every script, on SQLite as on PostgreSQL."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.context import Actor
from app.services.intake import create_orders
from app.services.orders import list_orders
from db.engine import Database
from tests.factories import ADDRESS, channel, new_order, stock


@pytest.fixture
def customers(db: Database, actor: Actor) -> dict[str, str]:
    """Customer name -> order number, for names whose case only Unicode can fold."""
    stock(db, actor, {"MUG": 10})
    channel(db)
    names = ("Zoë MÜLLER", "ŁUKASZ Nowak", "Γιώργος ΠΑΠΑΔΌΠΟΥΛΟΣ", "Jan de Vries")
    orders = [
        replace(new_order({"MUG": 1}), ship_to=replace(ADDRESS, name=name), customer_name=name)
        for name in names
    ]
    created = create_orders(db, actor, orders).created
    return dict(zip(names, created, strict=True))


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("müller", "Zoë MÜLLER"),
        ("MÜLLER", "Zoë MÜLLER"),
        ("ZOË", "Zoë MÜLLER"),
        ("łukasz", "ŁUKASZ Nowak"),
        ("παπαδόπουλος", "Γιώργος ΠΑΠΑΔΌΠΟΥΛΟΣ"),
        ("DE VRIES", "Jan de Vries"),
    ],
)
def test_a_name_is_found_whatever_its_case_in_any_script(
    db: Database, customers: dict[str, str], typed: str, found: str
) -> None:
    assert [row.number for row in list_orders(db, search=typed)] == [customers[found]]


def test_like_wildcards_typed_in_a_search_are_taken_literally(
    db: Database, customers: dict[str, str]
) -> None:
    assert list_orders(db, search="M_LLER") == []
    assert list_orders(db, search="%") == []
