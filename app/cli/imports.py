"""Commands that read and write files: catalogue, stock, orders in; availability out.

An import interrupted with Ctrl-C says so in one line and exits 130; its
transaction is rolled back, so nothing of it is kept.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TextIO

from sqlalchemy.exc import DBAPIError

from app.cli.registry import command
from app.context import Actor
from app.errors import ValidationFailed
from app.imports.common import write_csv, write_json
from app.imports.order_formats import ORDER_READERS, read_order_file
from app.imports.orders import (
    OrderFile,
    OrderImport,
    Progress,
    import_orders,
    rejects_path,
    write_rejects,
)
from app.imports.products import read_products
from app.imports.stock import read_stock
from app.services.availability import availability
from app.services.catalogue import upsert_products
from app.services.inventory import apply_counts, receive_and_allocate
from db.engine import Database
from db.uow import sqlstate

INTERRUPTED = 130  # 128 + SIGINT, as a shell reports Ctrl-C

Handler = Callable[[Database, Actor, argparse.Namespace], int]
Report = Callable[[], int]  # prints what an import did; returns the exit status


def _interruptible(work: Callable[[Database, Actor, argparse.Namespace], Report]) -> Handler:
    """An import that answers Ctrl-C in one line and exit 130, not a traceback.

    `work` reads and imports, committing at its very end, and returns how to report
    it: so an interruption is known to have come before the commit or after it.
    """

    @functools.wraps(work)
    def run(db: Database, actor: Actor, args: argparse.Namespace) -> int:
        try:
            report = work(db, actor, args)
        except KeyboardInterrupt:
            print("error: import interrupted - nothing imported", file=sys.stderr)
            return INTERRUPTED
        except DBAPIError as exc:
            if not _cancelled_by_ctrl_c(exc):
                raise
            print("error: import interrupted - nothing imported", file=sys.stderr)
            return INTERRUPTED
        try:
            return report()
        except KeyboardInterrupt:
            print("error: interrupted after the import was saved", file=sys.stderr)
            return INTERRUPTED

    return run


def _cancelled_by_ctrl_c(exc: DBAPIError) -> bool:
    """psycopg answers Ctrl-C during a wait by cancelling the query; the server's
    "canceling statement due to user request" may then arrive instead of the
    KeyboardInterrupt."""
    return sqlstate(exc) == "57014" and "user request" in str(exc.orig)


def _format_of(path: Path, given: str | None, options: Sequence[str]) -> str:
    found = given or path.suffix.lower().lstrip(".")
    if found not in options:
        raise ValidationFailed(
            f"cannot tell the format of {path.name}; give --format {'|'.join(options)}"
        )
    return found


def _products_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, help="CSV or JSON catalogue feed")
    p.add_argument("--format", choices=["csv", "json"], help="default: from the file extension")


def _stock_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, help="CSV with the columns sku,location,quantity")
    p.add_argument(
        "--receive",
        action="store_true",
        help="add the quantities as receipts and re-allocate backorders "
        "(default: a stock take that sets the counted quantities)",
    )
    p.add_argument(
        "--receipt",
        metavar="REF",
        help="with --receive: the delivery note or order received; a receipt is taken in "
        "once (default: a receipt column, else the file's contents)",
    )


def _orders_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, help="the orders file")
    p.add_argument(
        "--format",
        choices=list(ORDER_READERS),
        help="default: guessed from the extension and the first line",
    )
    p.add_argument("--channel", help="channel code (default: shopify, magento, or the file's)")
    p.add_argument(
        "--partial",
        action="store_true",
        help="import the good orders and write the rejected ones to a file to fix",
    )
    p.add_argument("--rejects", type=Path, help="with --partial: where (default FILE.rejects.*)")


def _availability_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--channel", help="only this channel (default: every active channel)")
    p.add_argument("--out", type=Path, required=True, help="the file to write")
    p.add_argument("--format", choices=["csv", "json"], help="default: from --out, else csv")


@command("import-products", "catalogue feed from a PIM / ERP", configure=_products_args)
@_interruptible
def cmd_import_products(db: Database, actor: Actor, args: argparse.Namespace) -> Report:
    products = read_products(args.file, _format_of(args.file, args.format, ("csv", "json")))
    change = upsert_products(db, actor, products)

    def report() -> int:
        print(
            f"products: {len(change.created)} created, {len(change.updated)} updated, "
            f"{change.unchanged} unchanged"
        )
        return 0

    return report


@command("import-stock", "counts per SKU and location", configure=_stock_args)
@_interruptible
def cmd_import_stock(db: Database, actor: Actor, args: argparse.Namespace) -> Report:
    if args.receipt is not None and not args.receive:
        raise ValidationFailed("--receipt goes with --receive")
    counts = read_stock(args.file, receive=args.receive, receipt=args.receipt)
    if args.receive:
        change = receive_and_allocate(db, actor, counts)
        summary = f"received {change.units_in} units in {change.moves} moves; "
        summary += "backorders allocated"
        if change.already_received and not change.receipts:
            summary = "nothing received: the file's receipts were received before"
    else:
        change = apply_counts(db, actor, counts)
        summary = (
            f"stock take: {len(counts)} counts, {change.moves} changed "
            f"(+{change.units_in} / -{change.units_out} units)"
        )

    def report() -> int:
        print(summary)
        if change.receipts:
            print(f"  receipts: {', '.join(change.receipts)}")
        for seen in change.already_received:
            print(f"  {seen}")
        if change.locations_created:
            print(f"  new locations: {', '.join(change.locations_created)}")
        return 0

    return report


@command("import-orders", "orders from a shop export or a Shipshape file", configure=_orders_args)
@_interruptible
def cmd_import_orders(db: Database, actor: Actor, args: argparse.Namespace) -> Report:
    if args.rejects and not args.partial:
        raise ValidationFailed("--rejects goes with --partial")
    if args.channel is not None and not 0 < len(args.channel) <= 32:
        raise ValidationFailed("--channel takes a code of 1 to 32 characters")
    file = read_order_file(args.file, args.format, args.channel)
    done = import_orders(
        db,
        actor,
        file,
        partial=args.partial,
        progress=progress_line(sys.stderr),
        rejects_to=lambda: rejects_path(file, args.rejects),  # checked at the first reject
    )
    rejects = done.rejects_file

    def report() -> int:
        _report(file, done, rejects)
        if rejects is None:
            return 0
        try:
            write_rejects(file, rejects, done.rejected)
        except ValidationFailed as exc:
            print(f"error: the orders above were imported, but {exc}", file=sys.stderr)
            return 1
        return 0

    return report


def progress_line(stream: TextIO) -> Progress | None:
    """On a terminal, one line that counts the orders read so far, rewritten in place
    (and ended once the file is read); nothing when the output goes to a file."""
    if not stream.isatty():
        return None

    def show(orders: int, line: int, lines: int) -> None:
        share = f" ({100 * line // lines}% of {lines:,} lines)" if lines else ""
        end = "\n" if lines and line >= lines else ""
        stream.write(f"\r  reading: {orders:,} orders{share}{end}")
        stream.flush()

    return show


def _report(file: OrderFile, done: OrderImport, rejects: Path | None) -> None:
    intake, news, skipped = done.intake, done.intake.news, done.not_imported
    summary = (
        f"imported {len(intake.created)} orders ({len(intake.held)} on hold), "
        f"{len(intake.already_present)} already present"
    )
    if skipped:
        summary += f", {len(skipped)} skipped"
    if rejects is not None:
        summary += f", {len(done.rejected)} rejected"
    print(summary)
    if news.count:
        print(f"  already here: {news.summary()}")
    for warning in file.warnings:
        print(f"  warning: {warning}")
    for code in done.channels_created:
        print(f"  new channel: {code}")
    for number, reason in intake.held.items():
        print(f"  on hold: {number} ({done.refs[number]}): {reason}")
    for change in news.changes():
        print(f"  {change}")
    for ref, reason in skipped:
        print(f"  skipped: {ref}: {reason}")
    if rejects is not None:
        print(f"  rejected orders written to {rejects}; fix them and import that file again")
        for candidate in done.rejected:
            for problem in candidate.problems:
                print(f"  {problem}", file=sys.stderr)


@command(
    "export-availability", "available to sell per channel and SKU", configure=_availability_args
)
def cmd_export_availability(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    fmt = args.format or ("json" if args.out.suffix.lower() == ".json" else "csv")
    if not args.out.parent.is_dir():
        raise ValidationFailed(f"no folder {args.out.parent} for {args.out.name}")
    rows = availability(db, args.channel)
    if fmt == "json":
        write_json(args.out, [asdict(r) for r in rows])
    else:
        write_csv(
            args.out,
            ("channel", "sku", "available"),
            ((r.channel, r.sku, str(r.available)) for r in rows),
            safe=True,
        )
    print(f"wrote {len(rows)} rows to {args.out}")
    return 0
