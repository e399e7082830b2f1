"""Commands of the warehouse floor that need no scanner: pack and ship."""

from __future__ import annotations

import argparse

from app.cli.registry import at_least, command
from app.context import Actor
from app.services.pack_completion import pack_unverified
from app.services.shipping import ship_order
from db.engine import Database

MAX_PARCEL_G = 1_000_000  # a loaded pallet stays well below a tonne


def _pack_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("order_number", help="SO-100001, or the channel reference such as #1001")
    p.add_argument("--box", help="box type code, e.g. M")
    p.add_argument(
        "--weight-g",
        type=at_least(1, MAX_PARCEL_G),
        help="parcel weight in grams, up to 1 t (default: estimated)",
    )
    p.add_argument(
        "--accept-weight",
        action="store_true",
        help="take a weight outside the tolerance on your word (audited)",
    )
    p.add_argument(
        "--label-format", choices=["pdf", "zpl"], help="default: the site's label.format"
    )
    p.add_argument(
        "--ship",
        action="store_true",
        help="dispatch the parcel in the same transaction (needs the right to ship)",
    )


@command("pack", "pack an allocated order without scanning (unverified)", configure=_pack_args)
def cmd_pack(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    result = pack_unverified(
        db,
        actor,
        args.order_number,
        box_code=args.box,
        weight_g=args.weight_g,
        label_format=args.label_format,
        accept_weight=args.accept_weight,
        dispatch=args.ship,
    )
    ssccs = ", ".join(p.sscc for p in result.packages)
    print(
        f"packed {result.order_number} (unverified): tracking {result.tracking_number}, "
        f"SSCC {ssccs}; label and packing slip queued" + ("; shipped" if args.ship else "")
    )
    return 0


def _ship_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("order_number")


@command("ship", "dispatch a packed order: its stock leaves the ledger", configure=_ship_args)
def cmd_ship(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    status = ship_order(db, actor, args.order_number)
    print(f"{args.order_number}: {status.replace('_', ' ')}")
    return 0
