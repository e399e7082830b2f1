"""Where the database lives: --db, then SHIPSHAPE_DB, then the user's data folder."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

ENV_VAR = "SHIPSHAPE_DB"


def default_sqlite_path() -> Path:
    return Path(user_data_dir("shipshape", appauthor=False)) / "shipshape.db"


def database_url(cli_value: str | None = None) -> str:
    if cli_value:
        return cli_value
    if os.environ.get(ENV_VAR):
        return os.environ[ENV_VAR]
    return f"sqlite:///{default_sqlite_path()}"


def is_default_location(url: str) -> bool:
    """Whether `url` is the SQLite file in Shipshape's own data folder."""
    return url == f"sqlite:///{default_sqlite_path()}"
