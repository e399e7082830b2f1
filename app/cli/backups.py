"""`backup FILE` and `restore FILE`: online copies of a SQLite database."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.registry import command
from app.context import Actor
from app.services import backups
from db.engine import Database


def _backup_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, help="the backup file to write (replaced if it exists)")


def _restore_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, help="a backup made by `backup`")


@command(
    "backup",
    "SQLite: a consistent copy of the live database",
    configure=_backup_args,
    needs_schema=False,
)
def cmd_backup(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    result = backups.backup(db, args.file)
    print(f"backed up {db.describe()} to {result.path} ({backups.human_size(result.size)})")
    return 0


@command(
    "restore",
    "SQLite: put a backup back into the live database",
    configure=_restore_args,
    needs_schema=False,
)
def cmd_restore(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    result = backups.restore(db, args.file)
    note = "; its schema is older: run migrate" if result.outdated else ""
    print(
        f"restored {result.source} ({backups.human_size(result.size)}) into {result.database}{note}"
    )
    return 0
