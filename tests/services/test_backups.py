"""Backups of a live SQLite database, putting them back, and the daily rotation."""

from __future__ import annotations

import multiprocessing
import sqlite3
import traceback
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Event
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session

from app.context import Actor
from app.errors import OmsError, ValidationFailed
from app.services.allocation import allocate
from app.services.backups import backup, restore, rotate_daily_backup, scheduled_daily_backup
from app.services.demo_data import load_demo
from app.services.intake import create_orders
from app.services.integrity import verify
from app.services.settings import set_settings
from db.engine import Database, open_database
from db.models import Order
from db.schema import alembic_config, head_revision
from db.uow import read
from tests.factories import channel, new_order, stock

SPAWN = multiprocessing.get_context("spawn")
WRITER_REF = "#W"


def write_orders(url: str, running: Event, stop: Event, report: Queue[str]) -> None:
    """Child process: create and allocate one order per transaction until told to stop."""
    db = open_database(url, station="writer")
    actor = Actor(username="writer", station="writer")
    written = 0
    try:
        while not stop.is_set():
            create_orders(
                db, actor, [new_order({"SKU-1": 1}, ref=f"{WRITER_REF}{written + 1:06d}")]
            )
            allocate(db, actor)
            written += 1
            if written == 20:
                running.set()
        report.put(f"wrote {written}")
    except Exception:
        report.put(traceback.format_exc())
    finally:
        running.set()
        db.dispose()


def writer_refs(db: Database) -> list[str]:
    def work(session: Session) -> list[str]:
        query = select(Order.external_ref).where(Order.external_ref.startswith(WRITER_REF))
        return sorted(session.scalars(query))

    return read(db, work)


def order_count(db: Database) -> int:
    return read(db, lambda session: int(session.scalar(select(func.count(Order.id))) or 0))


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Database]:
    """A database file that does not exist yet, to restore into."""
    db = open_database(f"sqlite:///{tmp_path / 'fresh' / 'shipshape.db'}", station="test")
    yield db
    db.dispose()


@pytest.mark.slow
def test_a_backup_under_concurrent_writes_restores_to_a_consistent_prefix(
    sqlite_db: Database, actor: Actor, tmp_path: Path
) -> None:
    load_demo(sqlite_db, actor, orders=1500, skus=60)
    stock(sqlite_db, actor, {"SKU-1": 1_000_000})
    channel(sqlite_db, "web")
    running, stop, report = SPAWN.Event(), SPAWN.Event(), SPAWN.Queue()
    url = sqlite_db.url.render_as_string(hide_password=False)
    writer = SPAWN.Process(target=write_orders, args=(url, running, stop, report), daemon=True)
    writer.start()
    try:
        assert running.wait(timeout=120), "the writer never got going"
        before = len(writer_refs(sqlite_db))
        copies = [backup(sqlite_db, tmp_path / f"copy-{n}.db").path for n in range(5)]
        after = len(writer_refs(sqlite_db))
    finally:
        stop.set()
        outcome = report.get(timeout=120)
        writer.join(timeout=30)
    assert outcome.startswith("wrote "), outcome
    assert after > before, "the writer made no progress while the backups ran"

    seen = []
    for n, copy in enumerate(copies):
        target = open_database(f"sqlite:///{tmp_path / f'restored-{n}.db'}", station="test")
        try:
            restore(target, copy)
            assert verify(target) == []
            refs = writer_refs(target)
        finally:
            target.dispose()
        assert refs == [f"{WRITER_REF}{i:06d}" for i in range(1, len(refs) + 1)]
        assert before <= len(refs) <= after
        seen.append(len(refs))
    assert seen == sorted(seen)


def test_a_backup_is_one_self_contained_file_and_leaves_nothing_else(
    sqlite_db: Database, actor: Actor, tmp_path: Path
) -> None:
    stock(sqlite_db, actor, {"SKU-1": 5})
    folder = tmp_path / "backups"
    folder.mkdir()

    result = backup(sqlite_db, folder / "shipshape.db")

    assert [p.name for p in folder.iterdir()] == ["shipshape.db"]
    assert result.size == result.path.stat().st_size > 0
    copy = sqlite3.connect(result.path)
    try:
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        copy.close()


def test_restore_replaces_the_live_contents_and_open_readers_keep_their_snapshot(
    sqlite_db: Database, actor: Actor, tmp_path: Path
) -> None:
    stock(sqlite_db, actor, {"SKU-1": 50})
    channel(sqlite_db, "web")
    create_orders(sqlite_db, actor, [new_order({"SKU-1": 1})])
    saved = backup(sqlite_db, tmp_path / "one-order.db").path
    create_orders(sqlite_db, actor, [new_order({"SKU-1": 1}) for _ in range(4)])
    assert sqlite_db.url.database is not None
    reader = sqlite3.connect(sqlite_db.url.database, isolation_level=None)
    try:
        reader.execute("BEGIN")
        assert reader.execute("SELECT count(*) FROM orders").fetchone() == (5,)

        result = restore(sqlite_db, saved)

        assert reader.execute("SELECT count(*) FROM orders").fetchone() == (5,)
        reader.execute("COMMIT")
        assert reader.execute("SELECT count(*) FROM orders").fetchone() == (1,)
    finally:
        reader.close()
    assert order_count(sqlite_db) == 1
    assert verify(sqlite_db) == []
    assert not result.outdated
    assert result.revision == head_revision()
    assert journal_mode(sqlite_db) == "wal"


def journal_mode(db: Database) -> str:
    assert db.url.database is not None
    conn = sqlite3.connect(db.url.database)
    try:
        return str(conn.execute("PRAGMA journal_mode").fetchone()[0])
    finally:
        conn.close()


def stamp(path: Path, revision: str) -> None:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
    finally:
        engine.dispose()


def test_restore_refuses_a_backup_from_a_newer_shipshape_and_changes_nothing(
    sqlite_db: Database, actor: Actor, fresh: Database, tmp_path: Path
) -> None:
    stock(sqlite_db, actor, {"SKU-1": 5})
    channel(sqlite_db, "web")
    restore(fresh, backup(sqlite_db, tmp_path / "now.db").path)
    create_orders(sqlite_db, actor, [new_order({"SKU-1": 1})])
    saved = backup(sqlite_db, tmp_path / "future.db").path
    stamp(saved, "9999_future")

    with pytest.raises(OmsError, match=r"newer Shipshape \(schema 9999_future\)"):
        restore(fresh, saved)

    assert order_count(fresh) == 0
    version = read(fresh, lambda s: s.scalar(text("SELECT version_num FROM alembic_version")))
    assert version == head_revision()


def test_restore_accepts_a_backup_with_an_older_schema_and_says_to_migrate(
    sqlite_db: Database, fresh: Database, tmp_path: Path
) -> None:
    revisions = [r.revision for r in ScriptDirectory.from_config(alembic_config()).walk_revisions()]
    oldest = revisions[-1]
    assert oldest != head_revision(), "needs a second migration to have an older schema"
    saved = backup(sqlite_db, tmp_path / "old.db").path
    stamp(saved, oldest)

    result = restore(fresh, saved)

    assert result.outdated
    assert result.revision == oldest


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not a database at all, just text\n" * 200, "is not a SQLite database"),
        (b"", "is not a SQLite database"),
    ],
)
def test_restore_refuses_a_file_that_is_not_sqlite(
    fresh: Database, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bogus.db"
    path.write_bytes(content)
    with pytest.raises(OmsError, match=message):
        restore(fresh, path)
    assert fresh.url.database is not None
    assert not Path(fresh.url.database).exists()


def test_restore_refuses_a_sqlite_file_without_a_shipshape_schema(
    fresh: Database, tmp_path: Path
) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(OmsError, match="holds no Shipshape database"):
        restore(fresh, path)


def garble_pages(path: Path) -> None:
    """Overwrite the start of every 7th page after the first few: SQLite cannot read it."""
    data = bytearray(path.read_bytes())
    for offset in range(3 * 4096, len(data) - 4096, 7 * 4096):
        data[offset : offset + 64] = b"\xa5" * 64
    path.write_bytes(bytes(data))


def redefine_an_index(path: Path) -> None:
    """Readable, but an index no longer matches its table: only integrity_check sees it."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute(
            "UPDATE sqlite_master SET sql = 'CREATE INDEX ix_orders_customer_id "
            "ON orders (external_ref, id)' WHERE name = 'ix_orders_customer_id'"
        )
        conn.commit()
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (garble_pages, r"is damaged \(database disk image is malformed\)"),
        (redefine_an_index, r"is damaged \(integrity check: row \d+ missing from index"),
    ],
)
def test_restore_refuses_a_damaged_backup(
    sqlite_db: Database,
    actor: Actor,
    fresh: Database,
    tmp_path: Path,
    damage: Callable[[Path], None],
    message: str,
) -> None:
    load_demo(sqlite_db, actor, orders=200, skus=20)
    saved = backup(sqlite_db, tmp_path / "damaged.db").path
    damage(saved)

    with pytest.raises(OmsError, match=message):
        restore(fresh, saved)


def test_backup_and_restore_on_postgresql_point_to_pg_dump_and_pg_restore(
    pg_db: Database, tmp_path: Path
) -> None:
    target = tmp_path / "shipshape.dump"
    with pytest.raises(OmsError, match=rf"pg_dump -Fc -f {target} postgresql://"):
        backup(pg_db, target)
    with pytest.raises(OmsError, match=r"pg_restore --clean --if-exists --single-transaction -d"):
        restore(pg_db, target)
    assert list(tmp_path.iterdir()) == []


def test_the_daily_backup_is_written_once_a_day_and_only_the_newest_are_kept(
    sqlite_db: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "notes.txt").write_text("not a backup")
    (folder / "shipshape-manual.db").write_text("not a daily backup")
    first = date(2025, 3, 1)

    for day in range(10):
        done = rotate_daily_backup(sqlite_db, folder, keep=3, today=first + timedelta(days=day))
        assert done.written is not None
    again = rotate_daily_backup(sqlite_db, folder, keep=3, today=first + timedelta(days=9))

    assert again.written is None
    assert again.removed == ()
    assert sorted(p.name for p in folder.iterdir()) == [
        "notes.txt",
        "shipshape-2025-03-08.db",
        "shipshape-2025-03-09.db",
        "shipshape-2025-03-10.db",
        "shipshape-manual.db",
    ]


def test_the_daily_backup_creates_its_folder_and_needs_to_keep_one(
    sqlite_db: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "data" / "backups"
    done = rotate_daily_backup(sqlite_db, folder, keep=1, today=date(2025, 3, 1))
    assert done.written is not None
    assert done.written.path == folder / "shipshape-2025-03-01.db"
    with pytest.raises(ValidationFailed):
        rotate_daily_backup(sqlite_db, folder, keep=0)


def test_the_scheduled_daily_backup_follows_the_sites_settings(
    sqlite_db: Database, actor: Actor, tmp_path: Path
) -> None:
    folder = tmp_path / "daily"
    for day in range(1, 4):
        rotate_daily_backup(sqlite_db, folder, keep=5, today=date(2020, 1, day))
    set_settings(sqlite_db, actor, {"backup.keep": "2"})

    done = scheduled_daily_backup(sqlite_db, folder)

    assert done is not None and len(done.removed) == 2
    assert len(list(folder.iterdir())) == 2
    set_settings(sqlite_db, actor, {"backup.daily": "off"})
    (folder / f"shipshape-{date.today().isoformat()}.db").unlink()
    assert scheduled_daily_backup(sqlite_db, folder) is None
    assert len(list(folder.iterdir())) == 1
