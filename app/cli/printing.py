"""Commands for documents: labels to a file, and sending the print queue."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from app.cli.registry import at_least, command
from app.context import Actor
from app.errors import ValidationFailed
from app.output_file import write_file
from app.services.printing import PrintOutcome, order_labels, print_job, print_pending, printer_for
from db.engine import Database


def _label_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("order_number", help="SO-100001, or the channel reference such as #1001")
    p.add_argument("--format", choices=["pdf", "zpl"], default="pdf")
    p.add_argument("--out", required=True, type=Path, help="file to write")


@command("label", "write an order's shipping labels to a file", configure=_label_args)
def cmd_label(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    data = order_labels(db, args.order_number, args.format)
    write_file(args.out, data)
    print(f"wrote {args.out} ({len(data):,} bytes, {args.format})")
    return 0


def _print_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--job", type=at_least(1), help="print (or reprint) this job only")
    p.add_argument("--printer", help="with --job: folder[:PATH], tcp://HOST:9100 or cups:QUEUE")
    p.add_argument("--station", help="only this station's pending jobs")


@command("print", "send pending print jobs to their printers", configure=_print_args)
def cmd_print(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    if args.printer is not None:
        if args.job is None:
            raise ValidationFailed("--printer goes with --job: pending jobs go to their own")
        printer_for(args.printer)  # a printer no one can use is refused before any attempt
    if args.job is not None:
        outcomes = [print_job(db, args.job, printer=args.printer)]
    else:
        outcomes = print_pending(db, station=args.station)
    printed = report_printing(outcomes)
    print(f"{printed} printed, {len(outcomes) - printed} still pending")
    return 0 if printed == len(outcomes) else 1


def report_printing(outcomes: Sequence[PrintOutcome]) -> int:
    """Jobs sent on stdout; jobs that did not print on stderr, as one error line with one
    indented line each. Returns how many printed."""
    failed = [o for o in outcomes if not o.printed]
    for outcome in outcomes:
        if outcome.printed:
            print(f"job {outcome.job_id}: {outcome.message}")
    if failed:
        print(
            f"error: {len(failed)} of {len(outcomes)} print jobs NOT printed; they stay "
            "pending for a reprint",
            file=sys.stderr,
        )
        for outcome in failed:
            print(f"  job {outcome.job_id}: {outcome.message}", file=sys.stderr)
    return len(outcomes) - len(failed)
