"""A SQLite database holds customers' addresses and password hashes: private on disk."""

from __future__ import annotations

import stat
from pathlib import Path

from app.services.backups import backup
from db.engine import open_database
from db.schema import upgrade


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_database_its_folder_wal_and_backups_are_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "data" / "shop" / "shipshape.db"
    db = open_database(f"sqlite:///{path}")
    try:
        upgrade(db)
        wal = path.with_name("shipshape.db-wal")
        assert wal.exists()
        assert (_mode(path.parent), _mode(path), _mode(wal)) == (0o700, 0o600, 0o600)
        assert db.notices == []
        target = tmp_path / "monday.db"
        backup(db, target)
        assert _mode(target) == 0o600
    finally:
        db.dispose()


def test_a_world_readable_database_is_tightened_on_open_with_one_notice(
    tmp_path: Path,
) -> None:
    path = tmp_path / "shipshape.db"
    db = open_database(f"sqlite:///{path}")
    upgrade(db)
    db.dispose()
    path.chmod(0o644)
    tmp_path.chmod(0o755)

    again = open_database(f"sqlite:///{path}")
    again.dispose()
    assert _mode(path) == 0o600
    assert again.notices == [
        f"notice: made {path} private to its owner (600): it holds customers' "
        "addresses and password hashes"
    ]
    assert _mode(tmp_path) == 0o755  # a folder the user chose is theirs to manage

    own = open_database(f"sqlite:///{path}", private_folder=True)
    own.dispose()
    assert _mode(tmp_path) == 0o700
    assert own.notices == [f"notice: made the data folder {tmp_path} private to its owner (700)"]
