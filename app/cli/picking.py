"""Commands for picking without a station: build pick lists, print one as a PDF."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.registry import command
from app.context import Actor
from app.errors import ValidationFailed
from app.services.pick_lists import create_pick_lists, pick_list_by_number, pick_list_document
from db.engine import Database


def _lists_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--batch-size", type=int, default=8, help="small orders per batch list")
    p.add_argument(
        "--small-order-units",
        type=int,
        default=3,
        help="orders of up to this many units are batched (default 3)",
    )


def _list_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("number", help="pick list number, e.g. PL-000001")
    p.add_argument("--out", required=True, help="PDF file to write")


@command("pick-lists", "build pick lists for allocated orders", configure=_lists_args)
def cmd_pick_lists(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    views = create_pick_lists(
        db, actor, batch_size=args.batch_size, small_order_units=args.small_order_units
    )
    for view in views:
        print(
            f"{view.number}  {view.kind:<6}  {len(view.tasks)} stops, {view.units} units: "
            f"{', '.join(view.orders)}"
        )
    orders = sum(len(view.orders) for view in views)
    print(f"created {len(views)} pick lists for {orders} orders")
    return 0


@command("pick-list", "write a pick list as a PDF", configure=_list_args)
def cmd_pick_list(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    view = pick_list_by_number(db, args.number)
    pdf = pick_list_document(db, view.id)
    try:
        Path(args.out).write_bytes(pdf)
    except OSError as exc:
        raise ValidationFailed(f"cannot write {args.out}: {exc.strerror}") from exc
    print(f"wrote {view.number} ({len(view.tasks)} stops) to {args.out}")
    return 0
