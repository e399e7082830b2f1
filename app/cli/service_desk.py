"""The service desk's order changes on the command line: address, lines, split,
replacement, and putting away what an intercept left to unpack."""

from __future__ import annotations

import argparse
import re
from dataclasses import asdict, replace

from app.cli.registry import LARGEST_WHOLE, at_least, command, emit_json, json_flag
from app.context import Actor
from app.domain.contact_details import FIELDS
from app.domain.new_order import SERVICE_PRIORITY
from app.dto import jsonable
from app.errors import ValidationFailed
from app.services.intercepts import put_away, unpack_tasks
from app.services.order_contact import current_contact, edit_contact
from app.services.order_copies import OrderCopy, create_replacement, split_order
from app.services.order_lines import MAX_QUANTITY, LineEdit, edit_lines
from app.services.orders import order_detail
from db.engine import Database

_PAIR = re.compile(r"([^=\s]{1,64})=(\d{1,9})")
_SWAP = re.compile(r"([^=\s]{1,64})=([^=\s]{1,64})")


def pairs(texts: list[str], flag: str, minimum: int) -> dict[str, int]:
    """`SKU=QTY` arguments as SKU -> quantity; one sentence naming the bad one otherwise."""
    found: dict[str, int] = {}
    for i, text in enumerate(texts, 1):
        match = _PAIR.fullmatch(text)
        if match is None:
            raise ValidationFailed(f"{flag} {i}: {text!r} is not SKU=QTY (e.g. MUG-01=2)")
        sku, qty = match.group(1), int(match.group(2))
        if not minimum <= qty <= MAX_QUANTITY:
            raise ValidationFailed(
                f"{flag} {i}: {sku}: quantity must be {minimum} to {MAX_QUANTITY}"
            )
        if sku.upper() in (known.upper() for known in found):
            raise ValidationFailed(f"{flag} {i}: {sku} is named twice")
        found[sku] = qty
    return found


def _order_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("order_number", help="SO-100001, or the channel reference such as #1001")


def _version_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--expect-version",
        type=at_least(1, LARGEST_WHOLE),
        help="refuse if the order changed since you read it at this version (show-order --json)",
    )


def _address_args(p: argparse.ArgumentParser) -> None:
    _order_arg(p)
    for name, (label, _, _) in FIELDS.items():
        p.add_argument(f"--{name}", help=f"new {label} (empty to clear an optional one)")
    p.add_argument("--service-level", choices=list(SERVICE_PRIORITY))
    _version_arg(p)
    json_flag(p)


@command(
    "edit-address",
    "change an order's ship-to address, phone, e-mail or service level until packing starts",
    configure=_address_args,
)
def cmd_edit_address(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    details, version = current_contact(db, args.order_number)
    given = {name: getattr(args, name) for name in FIELDS if getattr(args, name) is not None}
    if args.service_level:
        given["service_level"] = args.service_level
    if not given:
        raise ValidationFailed("nothing to change: give at least one of --name, --address1, ...")
    seen = args.expect_version or version
    new_version = edit_contact(db, actor, args.order_number, seen, replace(details, **given))
    return _report(db, args, f"{args.order_number}: address saved (version {new_version})")


def _lines_args(p: argparse.ArgumentParser) -> None:
    _order_arg(p)
    p.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="SKU=QTY",
        help="new quantity of a line (0 removes it); a SKU not on the order is added",
    )
    p.add_argument("--substitute", action="append", default=[], metavar="OLD=NEW",
                   help="put SKU NEW in the place of line OLD")  # fmt: skip
    _version_arg(p)
    json_flag(p)


@command(
    "edit-lines",
    "change quantities, add, remove or substitute lines before picking; allocates again",
    configure=_lines_args,
)
def cmd_edit_lines(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    quantities = pairs(args.set, "--set", 0)
    edits = [LineEdit(sku, qty) for sku, qty in quantities.items()]
    for i, text in enumerate(args.substitute, 1):
        match = _SWAP.fullmatch(text)
        if match is None:
            raise ValidationFailed(
                f"--substitute {i}: {text!r} is not OLD=NEW (e.g. MUG-01=MUG-02)"
            )
        old, new = match.groups()
        detail = order_detail(db, args.order_number)
        current = next((li.qty_ordered for li in detail.lines if li.sku.upper() == old.upper()), 0)
        edits = [e for e in edits if e.sku.upper() != old.upper()]
        edits.append(LineEdit(old, quantities.get(old, current) or 1, new))
    if not edits:
        raise ValidationFailed("nothing to change: give --set SKU=QTY or --substitute OLD=NEW")
    version = args.expect_version or order_detail(db, args.order_number).version
    result = edit_lines(db, actor, args.order_number, version, edits)
    return _report(db, args, f"{result.number}: {result.summary}; now {result.status}")


def _split_args(p: argparse.ArgumentParser) -> None:
    _order_arg(p)
    p.add_argument("--item", action="append", default=[], metavar="SKU=QTY",
                   help="units to move to the new order", required=True)  # fmt: skip
    _version_arg(p)
    json_flag(p)


@command("split-order", "move units of an order to a new linked order", configure=_split_args)
def cmd_split_order(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    items = pairs(args.item, "--item", 1)
    version = args.expect_version or order_detail(db, args.order_number).version
    return _copied(db, args, split_order(db, actor, args.order_number, version, items), "split")


def _replace_args(p: argparse.ArgumentParser) -> None:
    _order_arg(p)
    p.add_argument("--reason", required=True, help="why: parcel lost, arrived damaged ...")
    p.add_argument("--item", action="append", default=[], metavar="SKU=QTY",
                   help="units to send again (default: everything shipped)")  # fmt: skip
    json_flag(p)


@command(
    "replace-order",
    "send a shipped order again at no charge (lost, damaged), linked and audited",
    configure=_replace_args,
)
def cmd_replace_order(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    items = pairs(args.item, "--item", 1) if args.item else None
    copy = create_replacement(db, actor, args.order_number, args.reason, items)
    return _copied(db, args, copy, "replacement")


def _put_away_args(p: argparse.ArgumentParser) -> None:
    _order_arg(p)
    p.add_argument("--item", required=True, metavar="SKU=QTY", help="SKU or barcode, and units")
    p.add_argument("--location", required=True, help="where the units go, e.g. A-01-02-B")
    json_flag(p)


@command(
    "put-away",
    "put units of an intercepted order back into stock at a location",
    configure=_put_away_args,
)
def cmd_put_away(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    [(code, quantity)] = pairs([args.item], "--item", 1).items()
    done = put_away(db, actor, args.order_number, code, quantity, args.location)
    if args.json:
        emit_json(jsonable(asdict(done)))
    else:
        served = f"; allocated to {', '.join(done.allocated)}" if done.allocated else ""
        print(
            f"{done.quantity} × {done.sku} of {done.order} back in stock at {done.location}; "
            f"{done.remaining} still to put away{served}"
        )
    return 0


@command("unpack-tasks", "units of intercepted orders waiting to be put away", configure=json_flag)
def cmd_unpack_tasks(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    tasks = unpack_tasks(db)
    if args.json:
        emit_json([{**jsonable(asdict(t)), "remaining": t.remaining} for t in tasks])
        return 0
    if not tasks:
        print("nothing waits to be put away")
    for t in tasks:
        print(f"{t.order}  {t.sku}  {t.remaining} of {t.quantity}  from {t.from_location or '-'}")
    return 0


def _copied(db: Database, args: argparse.Namespace, copy: OrderCopy, kind: str) -> int:
    if args.json:
        emit_json({**jsonable(asdict(copy)), "kind": kind})
    else:
        print(
            f"{copy.number} created ({copy.status}) as a {kind} of {copy.original}, "
            f"which is {copy.original_status.replace('_', ' ')}"
        )
    return 0


def _report(db: Database, args: argparse.Namespace, text: str) -> int:
    if args.json:
        emit_json(order_detail(db, args.order_number).to_json())
    else:
        print(text)
    return 0
