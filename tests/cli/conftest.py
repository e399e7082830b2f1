"""Fixtures for the CLI tests: a runner, a demo warehouse, a throwaway PostgreSQL database."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cli.runner import Cli, DemoTemplate, Result, run_cli, sqlite_url
from tests.scratch_databases import scratch_pg_database


@pytest.fixture
def cli(tmp_path_factory: pytest.TempPathFactory) -> Cli:
    """`cli(url, "stats", "--json")` runs main.py in a subprocess without SHIPSHAPE_DB."""
    home = tmp_path_factory.mktemp("home")

    def call(db_url: str, *args: str, **kwargs: object) -> Result:
        return run_cli(db_url, *args, home=home, **kwargs)  # type: ignore[arg-type]

    return call


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> DemoTemplate:
    """A demo warehouse made through the CLI once: init-db, demo-data --orders 200 --seed 3.

    Tests never touch it: each works on its own copy (`demo_db`).
    """
    home = tmp_path_factory.mktemp("home")
    path = tmp_path_factory.mktemp("demo") / "shipshape.db"
    url = sqlite_url(path)
    init_db = run_cli(url, "init-db", home=home)
    demo_data = run_cli(url, "demo-data", "--orders", "200", "--seed", "3", home=home)
    return DemoTemplate(path, init_db, demo_data)


@pytest.fixture
def demo_db(demo_template: DemoTemplate, tmp_path: Path) -> Path:
    """A private copy of the demo warehouse, alone in its folder."""
    assert demo_template.demo_data.code == 0, str(demo_template.demo_data)
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "shipshape.db"
    shutil.copy(demo_template.path, path)
    return path


@pytest.fixture
def fresh_pg_url(pg_url: str) -> Iterator[str]:
    """A throwaway, empty PostgreSQL database on the test server, dropped afterwards."""
    with scratch_pg_database(pg_url, "shipshape_cli") as url:
        yield url
