"""Commands for picking without a station: build pick lists (filtered, printed if asked),
write one as a PDF."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.printing import report_printing
from app.cli.registry import at_least, command
from app.context import Actor
from app.output_file import write_file
from app.services.pick_list_builder import DEFAULT_TOTES, PickListRequest, build_pick_lists
from app.services.pick_lists import pick_list_by_number, pick_list_document
from app.services.printing import print_job, printer_for
from app.wording import counted
from db.engine import Database


def _lists_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--service-level", help="only orders of this service level (e.g. express)")
    urgency = p.add_mutually_exclusive_group()
    urgency.add_argument(
        "--max-priority", type=at_least(1), help="only orders this urgent or more (1 = most)"
    )
    urgency.add_argument("--priority", type=at_least(1), help="only orders of this priority")
    p.add_argument("--zone", help="only orders reserved wholly in this zone, e.g. A or A-01")
    p.add_argument("--max-orders", type=at_least(1), help="list at most this many orders")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument(
        "--totes",
        "--batch-size",
        dest="totes",
        type=at_least(1),
        default=DEFAULT_TOTES,
        help=f"orders (one tote each) per batch list (default {DEFAULT_TOTES})",
    )
    mode.add_argument("--single", action="store_true", help="one list per order, no batches")
    p.add_argument(
        "--small-order-units",
        type=at_least(0),
        default=3,
        help="batch orders of up to this many units; bigger ones get their own list (default 3)",
    )
    p.add_argument(
        "--print",
        metavar="PRINTER",
        dest="printer",
        help="print the lists: folder[:PATH], tcp://HOST:9100 or cups:QUEUE",
    )


def _list_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("number", help="pick list number, e.g. PL-000001")
    p.add_argument("--out", required=True, type=Path, help="PDF file to write")


@command("pick-lists", "build pick lists for allocated orders", configure=_lists_args)
def cmd_pick_lists(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    request = PickListRequest(
        service_level=args.service_level,
        priority=args.priority or args.max_priority,
        exact_priority=args.priority is not None,
        zone=args.zone,
        max_orders=args.max_orders,
        single=args.single,
        totes=args.totes,
        small_order_units=args.small_order_units,
    )
    if args.printer is not None:
        printer_for(args.printer)  # an unknown printer is refused before anything is built
    build = build_pick_lists(db, actor, request, printer=args.printer)
    for built in build.lists:
        print(
            f"{built.number}  {built.kind:<6}  {counted(built.stops, 'stop')}, "
            f"{counted(built.units, 'unit')}: "
            f"{', '.join(built.orders)}"
        )
    print(build.summary())
    outcomes = [print_job(db, job_id) for job_id in build.print_jobs]
    return 0 if report_printing(outcomes) == len(outcomes) else 1


@command("pick-list", "write a pick list as a PDF", configure=_list_args)
def cmd_pick_list(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    view = pick_list_by_number(db, args.number)
    write_file(args.out, pick_list_document(db, view.id))
    print(f"wrote {view.number} ({len(view.tasks)} stops) to {args.out}")
    return 0
