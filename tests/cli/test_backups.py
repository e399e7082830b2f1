"""`backup FILE` and `restore FILE` as a user runs them, and every way they refuse."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.cli.runner import Cli, assert_refused, fingerprint, sqlite_url, stamp_newer

BACKED_UP = re.compile(r"^backed up sqlite:///\S+ to (\S+) \(\d+(\.\d)? (bytes|KB|MB)\)$")


def stats(cli: Cli, path: Path) -> object:
    result = cli(sqlite_url(path), "stats", "--json")
    assert result.code == 0, str(result)
    return json.loads(result.out)


def test_backup_then_restore_puts_the_warehouse_back_as_it_was(
    cli: Cli, demo_db: Path, tmp_path: Path
) -> None:
    url = sqlite_url(demo_db)
    before = stats(cli, demo_db)
    target = tmp_path / "backups" / "monday.db"
    target.parent.mkdir()

    made = cli(url, "backup", str(target))

    assert made.code == 0, str(made)
    assert made.err == ""
    match = BACKED_UP.match(made.out.strip())
    assert match, str(made)
    assert match.group(1) == str(target)
    assert [p.name for p in target.parent.iterdir()] == ["monday.db"]
    changed = cli(url, "demo-data", "--orders", "20", "--seed", "9")
    assert changed.code == 0, str(changed)
    assert stats(cli, demo_db) != before

    restored = cli(url, "restore", str(target))

    assert restored.code == 0, str(restored)
    assert restored.out.startswith(f"restored {target} ("), str(restored)
    assert stats(cli, demo_db) == before
    verified = cli(url, "verify")
    assert verified.code == 0, str(verified)


def test_backup_into_a_missing_folder_is_refused(cli: Cli, demo_db: Path, tmp_path: Path) -> None:
    result = cli(sqlite_url(demo_db), "backup", str(tmp_path / "missing" / "b.db"))
    assert_refused(result)
    assert "does not exist" in result.err
    assert not (tmp_path / "missing").exists()


def test_backup_onto_a_folder_is_refused(cli: Cli, demo_db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    result = cli(sqlite_url(demo_db), "backup", str(folder))
    assert_refused(result)
    assert "is a folder" in result.err
    assert list(folder.iterdir()) == []
    assert not list(tmp_path.glob(".*.part"))


def test_backup_onto_a_device_is_refused(cli: Cli, demo_db: Path) -> None:
    result = cli(sqlite_url(demo_db), "backup", "/dev/null")
    assert_refused(result)
    assert "not a regular file" in result.err
    assert not list(Path("/dev").glob(".null.*"))


def test_backup_into_a_read_only_folder_is_refused_and_leaves_nothing(
    cli: Cli, demo_db: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        result = cli(sqlite_url(demo_db), "backup", str(folder / "b.db"), obey_permissions=True)
    finally:
        folder.chmod(0o755)
    assert_refused(result)
    assert "cannot write in the folder" in result.err
    assert list(folder.iterdir()) == []


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs, too small for any Shipshape database (mounting it needs root)."""
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        message = f"cannot mount a tiny tmpfs here: {mounted.stderr.strip()}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=True)


def test_backup_onto_a_full_disk_is_refused_and_leaves_nothing(
    cli: Cli, demo_db: Path, full_disk: Path
) -> None:
    result = cli(sqlite_url(demo_db), "backup", str(full_disk / "b.db"))
    assert_refused(result)
    assert "not enough space" in result.err
    assert list(full_disk.iterdir()) == []


def test_a_refused_backup_leaves_the_previous_backup_in_place(
    cli: Cli, demo_db: Path, full_disk: Path
) -> None:
    previous = full_disk / "b.db"
    previous.write_bytes(b"yesterday's backup")
    result = cli(sqlite_url(demo_db), "backup", str(previous))
    assert_refused(result)
    assert [p.name for p in full_disk.iterdir()] == ["b.db"]
    assert previous.read_bytes() == b"yesterday's backup"


@pytest.fixture
def good_backup(cli: Cli, demo_db: Path, tmp_path: Path) -> Path:
    target = tmp_path / "good.db"
    made = cli(sqlite_url(demo_db), "backup", str(target))
    assert made.code == 0, str(made)
    return target


def not_sqlite(path: Path, good: Path) -> None:
    path.write_text("order,sku\n1,ABC\n")


def not_shipshape(path: Path, good: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()


def from_a_newer_version(path: Path, good: Path) -> None:
    path.write_bytes(good.read_bytes())
    stamp_newer(sqlite_url(path))


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (not_sqlite, "is not a SQLite database"),
        (not_shipshape, "holds no Shipshape database"),
        (from_a_newer_version, "was made by a newer Shipshape"),
    ],
    ids=["not-sqlite", "not-shipshape", "newer"],
)
def test_restore_refuses_a_file_it_cannot_trust_and_leaves_the_database_alone(
    cli: Cli, demo_db: Path, good_backup: Path, spoil: Callable[[Path, Path], None], message: str
) -> None:
    candidate = good_backup.with_name("candidate.db")
    spoil(candidate, good_backup)
    before = fingerprint(demo_db.parent)

    result = cli(sqlite_url(demo_db), "restore", str(candidate))

    assert_refused(result)
    assert message in result.err
    assert fingerprint(demo_db.parent) == before


@pytest.mark.parametrize("where", ["missing", "folder", "device"])
def test_restore_refuses_what_is_not_a_file(
    cli: Cli, demo_db: Path, tmp_path: Path, where: str
) -> None:
    source = {"missing": tmp_path / "nope.db", "folder": tmp_path, "device": Path("/dev/zero")}
    before = fingerprint(demo_db.parent)

    result = cli(sqlite_url(demo_db), "restore", str(source[where]))

    assert_refused(result)
    assert fingerprint(demo_db.parent) == before


def test_backup_and_restore_on_postgresql_refuse_and_give_the_commands(
    cli: Cli, pg_url: str, tmp_path: Path
) -> None:
    target = tmp_path / "shipshape.dump"

    backed_up = cli(pg_url, "backup", str(target))
    restored = cli(pg_url, "restore", str(target))

    assert_refused(backed_up)
    assert f"pg_dump -Fc -f {target} postgresql://" in backed_up.err
    assert_refused(restored)
    assert "pg_restore --clean --if-exists --single-transaction -d postgresql://" in restored.err
    assert list(tmp_path.iterdir()) == []
