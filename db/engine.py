"""Engines and sessions for SQLite (one machine) and PostgreSQL (many stations).

SQLite: WAL, foreign keys, a busy timeout, and write transactions that take the
write lock at BEGIN (``BEGIN IMMEDIATE``): a deferred read-then-write in WAL mode
gets SQLITE_BUSY at once, whatever the timeout. Reads use a second engine whose
transactions begin deferred, so readers never queue behind writers.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import orjson
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from db.folding import casefold

NETWORK_FILESYSTEMS = frozenset(
    {"nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "sshfs", "9p", "afs", "ncpfs"}
)
SQLITE_BUSY_TIMEOUT_MS = 10_000


class DatabaseConfigError(Exception):
    """The database URL or file cannot be used; the message says why."""


def parse_url(url: str) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseConfigError(
            f"not a database URL: {url!r} (expected sqlite:///PATH or "
            "postgresql+psycopg://user@host/dbname)"
        ) from None
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseConfigError(
            f"unsupported database {parsed.get_backend_name()!r}: use SQLite or PostgreSQL"
        )
    if parsed.get_backend_name() == "postgresql" and parsed.get_driver_name() != "psycopg":
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


def filesystem_type(path: Path) -> str | None:
    """The type of the filesystem holding `path`, from /proc/mounts (Linux only)."""
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return None
    best, fstype = "", None
    target = str(path.resolve())
    for line in mounts:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) >= len(best):
            best, fstype = mount_point, parts[2]
    return fstype


def check_sqlite_path(path: Path) -> None:
    fstype = filesystem_type(path.parent if not path.exists() else path)
    if fstype in NETWORK_FILESYSTEMS:
        raise DatabaseConfigError(
            f"{path} is on a network filesystem ({fstype}); SQLite there corrupts data. "
            "Use PostgreSQL for more than one station (SHIPSHAPE_DB=postgresql+psycopg://...)"
        )


def make_private(path: Path, *, create: bool, private_folder: bool) -> list[str]:
    """The database holds customers' addresses and password hashes: its folder 700 (when
    we make it, or it is Shipshape's own data folder), the file and its WAL and shared
    memory 600. Tightens looser ones, saying so in one line each."""
    notices = []
    folder = path.parent
    if create and not folder.exists():
        folder.mkdir(mode=0o700, parents=True)
    elif private_folder and folder.exists() and _loose(folder):
        folder.chmod(0o700)
        notices.append(f"notice: made the data folder {folder} private to its owner (700)")
    if tighten_files(path):
        notices.append(
            f"notice: made {path} private to its owner (600): it holds customers' "
            "addresses and password hashes"
        )
    return notices


def tighten_files(path: Path) -> bool:
    """Take group and other rights off the database, WAL and shared-memory files (644
    becomes 600); whether any had them. Run again at each connection, before SQLite
    makes the WAL (which takes the database file's mode), so a file SQLite just created
    never stays readable."""
    loose = [p for p in (path, *_sidecars(path)) if p.exists() and _loose(p)]
    for file in loose:
        try:
            file.chmod(stat.S_IMODE(file.stat().st_mode) & 0o700)
        except OSError:
            continue  # not ours to change: its owner is told at their own run
    return bool(loose)


def _sidecars(path: Path) -> tuple[Path, Path]:
    return path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def _loose(path: Path) -> bool:
    """Readable by others - unless its owner made it read-only (an archived copy, a
    read-only mount): that is left exactly as they made it."""
    mode = stat.S_IMODE(path.stat().st_mode)
    return bool(mode & 0o077) and bool(mode & stat.S_IWUSR)


def json_text(value: Any) -> str:
    """A JSON column's text, by orjson: about ten times json.dumps's speed, and intake,
    the audit trail and the outbox write a document per row. Keys that are not text
    are written as text, as json.dumps does."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode()


def _on_sqlite_connect(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
    dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode = WAL")
    cur.execute("PRAGMA foreign_keys = ON")
    cur.execute("PRAGMA synchronous = NORMAL")
    cur.close()
    dbapi_conn.create_function("casefold", 1, casefold, deterministic=True)


def _sqlite_engine(url: URL, begin: str, *, read_only: bool) -> Engine:
    """An engine on the file `url.database`; `read_only` opens it with SQLite's mode=ro,
    so that any write fails in the driver, whatever the command tries."""
    path = url.database or ""
    options: dict[str, Any] = {"poolclass": NullPool if path == "" else None}
    if read_only:
        uri = f"file:{quote(path)}?mode=ro"
        options["creator"] = lambda: sqlite3.connect(uri, uri=True, check_same_thread=False)
    engine = create_engine(url.set(query={}), json_serializer=json_text, **options)

    if not read_only and path:

        @event.listens_for(engine, "connect", insert=True)
        def _private(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
            tighten_files(Path(path))

    event.listen(engine, "connect", _on_sqlite_connect)

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql(begin)

    return engine


def _sqlite_read_only(url: URL) -> bool:
    """True for `?mode=ro`; DatabaseConfigError for any other option SQLite would ignore."""
    options = dict(url.query)
    mode = options.pop("mode", None)
    if options or mode not in (None, "ro"):
        raise DatabaseConfigError(
            f"SQLite URL option(s) {', '.join(sorted(url.query))} not supported: "
            "the only one is ?mode=ro (read-only)"
        )
    return mode == "ro"


@dataclass
class Database:
    """One database: a writer engine, a reader engine (the same on PostgreSQL)."""

    url: URL
    engine: Engine
    read_engine: Engine
    station: str
    notices: list[str] = field(default_factory=list)  # one line each, for the user

    def __post_init__(self) -> None:
        self._write = sessionmaker(self.engine, expire_on_commit=False)
        self._read = sessionmaker(self.read_engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def write_session(self) -> Session:
        return self._write()

    def read_session(self) -> Session:
        return self._read()

    def dispose(self) -> None:
        self.engine.dispose()
        if self.read_engine is not self.engine:
            self.read_engine.dispose()

    def describe(self) -> str:
        """The URL without its password, for messages and the title bar."""
        return self.url.render_as_string(hide_password=True)


def open_database(
    url: str, *, station: str = "desk", create: bool = True, private_folder: bool = False
) -> Database:
    """Open (without connecting) the database at `url`.

    With `create` false a missing SQLite file is an error rather than a new empty file;
    so it is with `?mode=ro`, which opens the file read-only: every write is refused.
    A SQLite file is kept private (`make_private`); `private_folder` says the folder is
    Shipshape's own data folder, so it is tightened too.
    """
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise DatabaseConfigError("an in-memory SQLite database cannot be shared; give a file")
        read_only = _sqlite_read_only(parsed)
        path = Path(parsed.database).expanduser()
        if not (create and not read_only) and not path.exists():
            raise DatabaseConfigError(f"no database at {path}: run init-db first")
        check_sqlite_path(path)
        notices = []
        if not read_only:
            try:
                notices = make_private(path, create=create, private_folder=private_folder)
            except OSError as exc:
                raise DatabaseConfigError(f"cannot create {path}: {exc.strerror or exc}") from None
        parsed = parsed.set(database=str(path))
        return Database(
            parsed,
            _sqlite_engine(parsed, "BEGIN IMMEDIATE", read_only=read_only),
            _sqlite_engine(parsed, "BEGIN", read_only=read_only),
            station,
            notices,
        )
    engine = create_engine(
        parsed,
        json_serializer=json_text,
        pool_pre_ping=True,
        pool_size=int(os.environ.get("SHIPSHAPE_POOL_SIZE", "5")),
        connect_args={
            "application_name": f"shipshape:{station}"[:63],
            "connect_timeout": 5,
            # A station frozen mid-transaction must not hold row locks for ever.
            "options": "-c idle_in_transaction_session_timeout=60000 -c lock_timeout=10000",
        },
    )
    return Database(parsed, engine, engine, station)
