"""SQLite backups: a consistent online copy of the live database, and putting one back.

Both directions go through SQLite's online backup API, never a file copy: a copy of
a WAL database's main file misses what still sits in its -wal file, and overwriting
a file other processes have open corrupts it. A backup is written to a temporary
file in the target folder and renamed over the target only once it is complete and
checked, so a failure leaves nothing half-written. PostgreSQL has its own tools
(pg_dump / pg_restore); these functions refuse it and say which commands to run.
"""

from __future__ import annotations

import errno
import os
import re
import shlex
import sqlite3
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import quote

from alembic.script import ScriptDirectory
from platformdirs import user_data_dir
from sqlalchemy import Engine

from app.errors import OmsError, ValidationFailed
from app.services.settings import setting_value
from db.engine import Database
from db.schema import alembic_config, head_revision
from db.uow import read

SQLITE_MAGIC = b"SQLite format 3\x00"
DAILY_NAME = re.compile(r"^shipshape-(\d{4}-\d{2}-\d{2})\.db$")
DEFAULT_KEEP = 7
_SIDECARS = ("-journal", "-wal", "-shm")


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size: int


@dataclass(frozen=True)
class RestoreResult:
    source: Path
    database: Path
    size: int
    revision: str
    outdated: bool  # the backup's schema is older than this version: run migrate


@dataclass(frozen=True)
class DailyBackup:
    written: BackupResult | None  # None: today's backup already existed
    removed: tuple[Path, ...]


def default_backup_folder() -> Path:
    return Path(user_data_dir("shipshape", appauthor=False)) / "backups"


def supports_file_backups(db: Database) -> bool:
    """True for SQLite; PostgreSQL is backed up with pg_dump."""
    return db.dialect == "sqlite"


def human_size(size: int) -> str:
    value, unit = float(size), "bytes"
    for bigger in ("KB", "MB", "GB"):
        if value < 1024:
            break
        value, unit = value / 1024, bigger
    return f"{size} bytes" if unit == "bytes" else f"{value:.1f} {unit}"


def backup(db: Database, target: Path) -> BackupResult:
    """Copy the live database to `target` (replacing an older backup there)."""
    live = _live_path(db, target, "backup")
    if not live.is_file():
        raise OmsError(f"no database at {live}: nothing to back up")
    target = _check_target(target, live)
    fd, name = _temp_file(target)
    temp = Path(name)
    os.close(fd)
    try:
        _write_backup(db.read_engine, temp, target)
    except BaseException:
        _remove(temp)
        raise
    _sync_folder(target.parent)
    return BackupResult(target, target.stat().st_size)


def restore(db: Database, source: Path) -> RestoreResult:
    """Replace the live database's contents with the backup at `source`, after checking it.

    The backup is checked and copied from one read snapshot, and the copy is one write
    transaction on the live database: other processes see the old or the new contents,
    never a mixture, and their open read transactions keep their snapshot.
    """
    live = _live_path(db, source, "restore")
    source = _check_source(source, live)
    with _open_read_only(source) as backup_conn:
        backup_conn.execute("BEGIN")  # the check and the copy read the same snapshot
        revision = _check_backup(backup_conn, source)
        outdated = revision != head_revision()
        with _driver_connection(db.engine) as live_conn:
            try:
                backup_conn.backup(live_conn)
            except sqlite3.Error as exc:
                raise OmsError(
                    f"could not restore into {live} ({_reason(exc)}); it was not changed"
                ) from None
        backup_conn.execute("COMMIT")
    return RestoreResult(source, live, source.stat().st_size, revision, outdated)


def scheduled_daily_backup(db: Database, folder: Path) -> DailyBackup | None:
    """The desk's daily backup as the site's settings say (backup.daily, backup.keep);
    None when the site switched it off."""
    daily, keep = read(
        db, lambda s: (setting_value(s, "backup.daily"), setting_value(s, "backup.keep"))
    )
    return rotate_daily_backup(db, folder, int(keep)) if daily == "true" else None


def rotate_daily_backup(
    db: Database, folder: Path, keep: int = DEFAULT_KEEP, today: date | None = None
) -> DailyBackup:
    """Write today's `shipshape-YYYY-MM-DD.db` into `folder` unless it exists, then delete
    the oldest daily backups beyond the newest `keep`."""
    if keep < 1:
        raise ValidationFailed(
            f"the number of daily backups to keep must be at least 1, not {keep}"
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OmsError(f"cannot create the backup folder {folder}: {exc.strerror}") from None
    target = folder / f"shipshape-{(today or date.today()).isoformat()}.db"
    written = None if target.exists() else backup(db, target)
    dailies = sorted(p for p in folder.iterdir() if DAILY_NAME.match(p.name) and p.is_file())
    removed = tuple(dailies[: max(len(dailies) - keep, 0)])
    for path in removed:
        path.unlink()
    return DailyBackup(written, removed)


def _live_path(db: Database, file: Path, action: str) -> Path:
    if not supports_file_backups(db):
        url = shlex.quote(db.url.set(drivername="postgresql").render_as_string())
        name = shlex.quote(str(file))
        command = (
            f"pg_dump -Fc -f {name} {url}"
            if action == "backup"
            else f"pg_restore --clean --if-exists --single-transaction -d {url} {name}"
        )
        raise OmsError(f"{action} works on SQLite files; for PostgreSQL run: {command}")
    assert db.url.database is not None
    return Path(db.url.database)


def _check_target(target: Path, live: Path) -> Path:
    target = Path(os.path.abspath(target.expanduser()))
    folder = target.parent
    if not folder.is_dir():
        raise OmsError(f"the folder {folder} does not exist; nothing was written")
    try:
        mode = target.stat().st_mode
    except FileNotFoundError:
        return target
    if stat.S_ISDIR(mode):
        raise OmsError(f"{target} is a folder: give a file name, e.g. {target / 'shipshape.db'}")
    if not stat.S_ISREG(mode):
        raise OmsError(f"{target} is not a regular file (a device or pipe?); nothing was written")
    if target.samefile(live):
        raise OmsError(f"{target} is the live database itself: back up to another file")
    return target


def _temp_file(target: Path) -> tuple[int, str]:
    try:
        return tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise OmsError(
            f"cannot write in the folder {target.parent} ({exc.strerror}); nothing was written"
        ) from None


def _write_backup(live_engine: Engine, temp: Path, target: Path) -> None:
    """Back the live database up into the empty file `temp` as one snapshot, check the
    copy, then rename it to `target`."""
    try:
        copy = sqlite3.connect(temp, isolation_level=None)
        try:
            with _driver_connection(live_engine) as live_conn:
                live_conn.backup(copy)
            # The copy inherits WAL mode from the header; make it one self-contained file.
            copy.execute("PRAGMA journal_mode = DELETE")
            problems = _integrity_problems(copy)
        finally:
            copy.close()
        if problems:
            raise OmsError(f"the copy failed its integrity check ({problems[0]}); nothing written")
        with open(temp, "rb") as written:
            os.fsync(written.fileno())
        os.replace(temp, target)
    except (sqlite3.Error, OSError) as exc:
        if _is_disk_full(exc):
            raise OmsError(
                f"not enough space in {target.parent} for the backup (the database holds "
                f"{human_size(_database_size(live_engine))}); nothing was written"
            ) from None
        raise OmsError(f"backup to {target} failed ({_reason(exc)}); nothing was written") from None


def _check_source(source: Path, live: Path) -> Path:
    source = Path(os.path.abspath(source.expanduser()))
    try:
        mode = source.stat().st_mode
    except OSError as exc:
        raise OmsError(f"cannot read the backup {source} ({exc.strerror})") from None
    if stat.S_ISDIR(mode):
        raise OmsError(f"{source} is a folder, not a backup file")
    if not stat.S_ISREG(mode):
        raise OmsError(f"{source} is not a regular file (a device or pipe?)")
    if live.exists() and source.samefile(live):
        raise OmsError(f"{source} is the live database itself: restore from a backup file")
    try:
        with open(source, "rb") as file:
            header = file.read(len(SQLITE_MAGIC))
    except OSError as exc:
        raise OmsError(f"cannot read the backup {source} ({exc.strerror})") from None
    if header != SQLITE_MAGIC:
        raise OmsError(f"{source} is not a SQLite database, so not a Shipshape backup")
    return source


def _check_backup(conn: sqlite3.Connection, source: Path) -> str:
    """The backup's schema revision, if it is a sound Shipshape database this version reads."""
    try:
        problems = _integrity_problems(conn)
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        versions = (
            [row[0] for row in conn.execute("SELECT version_num FROM alembic_version")]
            if "alembic_version" in tables
            else []
        )
    except sqlite3.Error as exc:
        raise OmsError(f"{source} is damaged ({_reason(exc)}); nothing restored") from None
    if problems:
        raise OmsError(f"{source} is damaged (integrity check: {problems[0]}); nothing restored")
    if len(versions) != 1 or "orders" not in tables:
        raise OmsError(f"{source} holds no Shipshape database; nothing restored")
    known = {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}
    if versions[0] not in known:
        raise OmsError(
            f"{source} was made by a newer Shipshape (schema {versions[0]}); "
            "install that version to restore it"
        )
    return str(versions[0])


def _integrity_problems(conn: sqlite3.Connection) -> list[str]:
    rows = [str(row[0]) for row in conn.execute("PRAGMA integrity_check")]
    return [] if rows == ["ok"] else rows


@contextmanager
def _open_read_only(path: Path) -> Iterator[sqlite3.Connection]:
    try:
        conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise OmsError(f"cannot open the backup {path} ({_reason(exc)})") from None
    try:
        yield conn
    finally:
        conn.close()


@contextmanager
def _driver_connection(engine: Engine) -> Iterator[sqlite3.Connection]:
    """The engine's own sqlite3 connection: busy timeout and WAL set as everywhere else."""
    pooled = engine.raw_connection()
    try:
        conn = pooled.driver_connection
        assert isinstance(conn, sqlite3.Connection)
        yield conn
    finally:
        pooled.close()


def _database_size(engine: Engine) -> int:
    with _driver_connection(engine) as conn:
        (pages,) = conn.execute("PRAGMA page_count").fetchone()
        (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    return int(pages) * int(page_size)


def _is_disk_full(exc: BaseException) -> bool:
    if isinstance(exc, OSError):
        return exc.errno == errno.ENOSPC
    return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _remove(temp: Path) -> None:
    for path in (temp, *(temp.with_name(temp.name + s) for s in _SIDECARS)):
        path.unlink(missing_ok=True)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable, where the filesystem can sync a folder."""
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
