"""Commands for documents: labels to a file, and sending the print queue."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.registry import command
from app.context import Actor
from app.services.printing import order_labels, print_job, print_pending
from db.engine import Database


def _label_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("order_number", help="SO-100001, or the channel reference such as #1001")
    p.add_argument("--format", choices=["pdf", "zpl"], default="pdf")
    p.add_argument("--out", required=True, type=Path, help="file to write")


@command("label", "write an order's shipping labels to a file", configure=_label_args)
def cmd_label(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    data = order_labels(db, args.order_number, args.format)
    out: Path = args.out
    tmp = out.with_name(f".{out.name}.part")
    tmp.write_bytes(data)
    tmp.replace(out)
    print(f"wrote {out} ({len(data):,} bytes, {args.format})")
    return 0


def _print_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--job", type=int, help="print (or reprint) this job only")
    p.add_argument("--printer", help="folder[:PATH], tcp://HOST:9100 or cups:QUEUE")
    p.add_argument("--station", help="only this station's pending jobs")


@command("print", "send pending print jobs to their printers", configure=_print_args)
def cmd_print(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    if args.job is not None:
        outcomes = [print_job(db, args.job, printer=args.printer)]
    else:
        outcomes = print_pending(db, station=args.station)
    for outcome in outcomes:
        print(f"job {outcome.job_id}: {outcome.message}")
    failed = sum(not o.printed for o in outcomes)
    print(f"{len(outcomes) - failed} printed, {failed} still pending")
    return 1 if failed else 0
