"""A pack station on a site that is not set up says what is missing and where to set
it, and opens no order until it is; it checks again at every order."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.context import Actor
from app.services.site_readiness import station_setup_problems
from db.engine import Database, open_database
from tests.factories import site
from tests.ui.station.conftest import StationFactory
from ui.station.pack_steps import Step
from ui.station.step_panels import NOT_SET_UP


@pytest.fixture
def bare_db(sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    """A database with the schema and nothing else: no sender, prefix, boxes or carrier."""
    path = tmp_path / "bare.db"
    shutil.copy(sqlite_template, path)
    db = open_database(f"sqlite:///{path}", station="test")
    yield db
    db.dispose()


def test_missing_set_up_is_listed_on_the_idle_screen_and_an_order_scan_is_refused(
    open_station: StationFactory, bare_db: Database, actor: Actor
) -> None:
    problems = station_setup_problems(bare_db)
    assert len(problems) == 4  # sender, GS1 prefix, boxes, carrier
    station = open_station(db=bare_db)
    idle = station.window.idle_panel
    assert idle.prompt_label.text() == NOT_SET_UP
    assert idle.problems() == problems
    assert idle.problems_label.isVisible()

    message, sound = station.scan("O:SO-100001")

    assert (message, sound) == (f"This station cannot pack yet: {problems[0]}", "error")
    assert station.window.alert.detail_label.text() == "3 more on the screen"
    assert station.window.controller.step is Step.IDLE
    assert station.window.controller.state is None


def test_the_next_order_key_is_refused_too(
    open_station: StationFactory, bare_db: Database
) -> None:
    station = open_station(db=bare_db)
    message, _ = station.scan("N")
    assert message.startswith("This station cannot pack yet: ")


def test_set_up_finished_at_the_desk_is_seen_at_the_next_scan(
    open_station: StationFactory, bare_db: Database, actor: Actor
) -> None:
    station = open_station(db=bare_db)
    site(bare_db, actor)

    message, _ = station.scan("O:SO-100001")

    assert message == "no order SO-100001"
    assert station.window.idle_panel.problems() == []
    assert station.window.step_panel.tile("M") is not None
