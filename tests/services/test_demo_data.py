"""`demo-data` killed part-way leaves a prefix of the orders asked for; loading again with
the same arguments completes it, and never loads an order twice."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.context import Actor
from app.services import demo_data
from app.services.demo_data import load_demo
from app.services.integrity import verify
from db.engine import Database, open_database
from db.models import Order
from db.uow import read


def orders_in(db: Database) -> list[tuple[str, str]]:
    """(channel reference, number) of every order."""
    return read(
        db,
        lambda s: [
            (ref, number) for ref, number in s.execute(select(Order.external_ref, Order.number))
        ],
    )


class Killed(Exception):
    """Stands for the process dying between two batches."""


def dying_after(batches: int, intake: Callable[..., Any]) -> Callable[..., Any]:
    calls = iter(range(batches + 1))

    def add_orders(*args: Any, **kwargs: Any) -> Any:
        if next(calls) == batches:
            raise Killed
        return intake(*args, **kwargs)

    return add_orders


def test_a_load_killed_part_way_is_completed_by_loading_again(
    db: Database, actor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(demo_data, "BATCH", 10)
    with monkeypatch.context() as dying:
        dying.setattr(demo_data, "add_orders", dying_after(2, demo_data.add_orders))
        with pytest.raises(Killed):
            load_demo(db, actor, orders=45, skus=15, seed=4)
    assert len(orders_in(db)) == 20

    resumed = load_demo(db, actor, orders=45, skus=15, seed=4)
    again = load_demo(db, actor, orders=45, skus=15, seed=4)

    assert (resumed.orders, resumed.already_present) == (25, 20)
    assert (again.orders, again.already_present) == (0, 45)
    loaded = orders_in(db)
    assert len(loaded) == 45
    assert len({ref for ref, _ in loaded}) == 45
    assert verify(db) == []


def test_the_same_arguments_make_the_same_orders_in_another_database(
    db: Database, sqlite_template: Path, actor: Actor, tmp_path: Path
) -> None:
    """What makes resuming possible: the orders depend on the arguments alone."""
    load_demo(db, actor, orders=30, skus=12, seed=5)
    path = tmp_path / "other.db"
    shutil.copy(sqlite_template, path)
    other = open_database(f"sqlite:///{path}", station="test")
    try:
        load_demo(other, actor, orders=30, skus=12, seed=5)
        assert sorted(orders_in(other)) == sorted(orders_in(db))
    finally:
        other.dispose()
