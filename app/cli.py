"""The headless command line (DESIGN.md's contract): one function per command.

Every command prints one human line on stderr and exits non-zero on bad input,
and changes nothing in that case.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.exc import DBAPIError

from app.config import database_url
from app.context import Actor, system_actor
from app.domain.order_workflow import OrderStatus
from app.errors import OmsError, ValidationFailed
from app.services import demo_data, integrity, orders, stats
from app.services.allocation import allocate
from db.engine import Database, DatabaseConfigError, open_database
from db.schema import SchemaError, SchemaState, require_current, schema_state, upgrade
from db.uow import DatabaseUnavailable

Handler = Callable[[Database, Actor, argparse.Namespace], int]
COMMANDS: dict[str, tuple[Handler, bool]] = {}  # name -> (handler, needs current schema)


def command(name: str, *, needs_schema: bool = True) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        COMMANDS[name] = (fn, needs_schema)
        return fn

    return register


def emit_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


@command("init-db", needs_schema=False)
def cmd_init_db(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    state = schema_state(db)
    if state is SchemaState.CURRENT:
        print(f"database {db.describe()} is ready (schema up to date)")
        return 0
    if state is not SchemaState.EMPTY:
        require_current(db)
    upgrade(db)
    print(f"created the Shipshape schema in {db.describe()}")
    return 0


@command("migrate", needs_schema=False)
def cmd_migrate(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    before = schema_state(db)
    upgrade(db)
    print("schema already up to date" if before is SchemaState.CURRENT else "schema upgraded")
    return 0


@command("demo-data")
def cmd_demo_data(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    summary = demo_data.load_demo(db, actor, orders=args.orders, skus=args.skus, seed=args.seed)
    print(
        f"demo warehouse: {summary.products} products in {summary.locations} locations; "
        f"{summary.orders} new orders ({summary.allocated} allocated, "
        f"{summary.backordered} backordered, {summary.held} on hold)"
    )
    return 0


@command("allocate")
def cmd_allocate(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    result = allocate(db, actor)
    print(
        f"allocated {len(result.allocated)} orders, {len(result.partially_allocated)} partly; "
        f"{len(result.backordered)} backordered"
    )
    return 0


@command("orders")
def cmd_orders(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    if args.status and args.status not in {s.value for s in OrderStatus}:
        raise ValidationFailed(
            f"unknown status {args.status!r} (one of {', '.join(s.value for s in OrderStatus)})"
        )
    rows = orders.list_orders(db, status=args.status, search=args.search, limit=args.limit)
    if args.json:
        emit_json(
            [
                {
                    "number": r.number,
                    "external_ref": r.external_ref,
                    "status": r.status,
                    "channel": r.channel,
                    "priority": r.priority,
                    "customer": r.customer,
                    "total": str(r.total),
                    "currency": r.currency,
                    "placed_at": r.placed_at.isoformat(),
                }
                for r in rows
            ]
        )
        return 0
    for r in rows:
        print(
            f"{r.number:<12} {r.external_ref:<16} {r.status:<18} {r.channel:<8} "
            f"{r.customer[:28]:<28} {r.total:>9} {r.currency}"
        )
    return 0


@command("show-order")
def cmd_show_order(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    detail = orders.order_detail(db, args.order_number)
    if args.json:
        emit_json(detail.to_json())
        return 0
    print(f"{detail.number}  ({detail.channel} {detail.external_ref})  {detail.status}")
    if detail.hold_reason:
        print(f"  on hold: {detail.hold_reason}")
    to = detail.ship_to
    print(
        f"  ship to: {to['name']}, {to['address1']}, {to['postcode']} {to['city']}, {to['country']}"
    )
    for line in detail.lines:
        print(
            f"  {line.sku:<12} {line.name[:36]:<36} ordered {line.qty_ordered} "
            f"allocated {line.qty_allocated} picked {line.qty_picked} "
            f"packed {line.qty_packed} shipped {line.qty_shipped}"
        )
    for event in detail.events:
        moved = f"{event.from_status or '-'} -> {event.to_status}" if event.to_status else ""
        print(
            f"  {event.occurred_at:%Y-%m-%d %H:%M:%S} {event.username}@{event.station} "
            f"{event.action} {moved} {event.reason or ''}".rstrip()
        )
    return 0


@command("stats")
def cmd_stats(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    result = stats.stats(db)
    if args.json:
        emit_json(result.to_json())
        return 0
    print(f"orders: {result.orders_total}")
    for status, count in result.orders_by_status.items():
        print(f"  {status:<18} {count}")
    s = result.stock
    print(f"stock: on hand {s.on_hand}, reserved {s.reserved}, available {s.available}")
    return 0


@command("verify")
def cmd_verify(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    problems = integrity.verify(db)
    for problem in problems:
        print(problem)
    if problems:
        print(f"verify: {len(problems)} problem(s) found", file=sys.stderr)
        return 1
    print("verify: ledger, stock, allocations and line quantities agree")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="shipshape", description=__doc__)
    parser.add_argument("--db", help="database URL (default: $SHIPSHAPE_DB or a local file)")
    parser.add_argument("--station", help="open a station screen: pack, pick or returns")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("init-db", help="create the schema")
    sub.add_parser("migrate", help="upgrade the schema")
    p = sub.add_parser("demo-data", help="load a realistic demo warehouse")
    p.add_argument("--orders", type=int, default=300)
    p.add_argument("--skus", type=int, default=120)
    p.add_argument("--seed", type=int, default=7)
    sub.add_parser("allocate", help="reserve stock for waiting orders")
    p = sub.add_parser("orders", help="find orders")
    p.add_argument("--status")
    p.add_argument("--search")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("show-order", help="an order, its lines and history")
    p.add_argument("order_number")
    p.add_argument("--json", action="store_true")
    p = sub.add_parser("stats", help="counts by status, stock totals")
    p.add_argument("--json", action="store_true")
    sub.add_parser("verify", help="check ledger, stock and line quantities agree")
    return parser


def describe_db_error(exc: DBAPIError, db_url: str) -> str:
    text = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    if "readonly" in text or "read-only" in text:
        return f"the database file is read-only: {text}"
    if "not a database" in text or "malformed" in text:
        return f"the database file is damaged or not a Shipshape database: {text}"
    return f"database error: {text}"


def run(argv: Sequence[str], db_url: str | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        print("no command given; try --help", file=sys.stderr)
        return 2
    handler, needs_schema = COMMANDS[args.command]
    url = database_url(args.db or db_url)
    db: Database | None = None
    try:
        db = open_database(url, station=system_actor().station)
        if needs_schema:
            require_current(db)
        return handler(db, system_actor(), args)
    except ValidationFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    except (OmsError, DatabaseConfigError, SchemaError, DatabaseUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except DBAPIError as exc:
        print(f"error: {describe_db_error(exc, url)}", file=sys.stderr)
        return 1
    finally:
        if db is not None:
            db.dispose()
