"""Commands of the foundation: schema, demo data, finding orders, stats, verify."""

from __future__ import annotations

import argparse
import sys

from app.cli.registry import at_least, command, emit_json, json_flag
from app.context import Actor
from app.domain.order_workflow import OrderStatus
from app.errors import ValidationFailed
from app.services import demo_data, integrity, orders, search_index, stats
from app.services.allocation import allocate
from app.services.demo_logins import give_demo_logins
from app.services.order_timeline import desk_order
from app.wording import counted
from db.engine import Database
from db.schema import SchemaState, require_current, schema_state, upgrade

# Ten times the largest demo anyone runs (1,000,000 orders), written a chunk at a time.
MAX_DEMO_ORDERS = 10_000_000
MAX_DEMO_SKUS = 100_000


def _demo_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--orders",
        type=at_least(0, MAX_DEMO_ORDERS),
        default=300,
        help="orders to create (default 300); run again with the same arguments to finish "
        "an interrupted load: no order is loaded twice",
    )
    p.add_argument(
        "--skus", type=at_least(1, MAX_DEMO_SKUS), default=120, help="products in the catalogue"
    )
    p.add_argument("--seed", type=at_least(0), default=7, help="random seed, for repeatable data")
    p.add_argument(
        "--logins",
        action="store_true",
        help="give the demo users the passwords and PINs the README lists (then everyone logs in)",
    )


def _orders_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--status", help="only orders in this status")
    p.add_argument("--search", help="number, reference, e-mail, name, phone, tracking or SKU")
    p.add_argument("--limit", type=at_least(1), default=50)
    json_flag(p)


def _show_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("order_number", help="SO-100001, or the channel reference such as #1001")
    json_flag(p)


@command("init-db", "create the schema", needs_schema=False)
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


@command("migrate", "upgrade the schema to this version", needs_schema=False)
def cmd_migrate(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    before = schema_state(db)
    upgrade(db)
    indexed = search_index.index_missing(db)
    print("schema already up to date" if before is SchemaState.CURRENT else "schema upgraded")
    if indexed:
        print(f"search index written for {indexed} existing orders")
    return 0


@command("demo-data", "load a realistic demo warehouse", configure=_demo_args)
def cmd_demo_data(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    summary = demo_data.load_demo(db, actor, orders=args.orders, skus=args.skus, seed=args.seed)
    earlier = f"; {summary.already_present} loaded before" if summary.already_present else ""
    earlier += f"; {summary.returns} returns in every state" if summary.returns else ""
    states = ", ".join(f"{n} {s.replace('_', ' ')}" for s, n in sorted(summary.by_status.items()))
    print(
        f"demo warehouse: {summary.products} products in {summary.locations} locations; "
        f"{counted(summary.orders, 'order')} loaded{f' ({states})' if states else ''}{earlier}"
    )
    if args.logins:
        named = give_demo_logins(db, actor)
        print(f"demo log-ins set for {', '.join(named)} (README: Users and roles)")
    return 0


@command("allocate", "reserve stock for waiting orders")
def cmd_allocate(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    result = allocate(db, actor)
    print(
        f"allocated {len(result.allocated)} orders, {len(result.partially_allocated)} partly; "
        f"{len(result.backordered)} backordered"
    )
    return 0


@command("orders", "find orders", configure=_orders_args)
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


@command("show-order", "an order, its lines and history", configure=_show_args)
def cmd_show_order(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    if args.json:  # the order, with its timeline, payments and the customer's other orders
        desk = desk_order(db, args.order_number)
        emit_json({**desk.detail.to_json(), **desk.history.to_json()})
        return 0
    detail = orders.order_detail(db, args.order_number)
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
            + (
                f" handled elsewhere {line.qty_handled_elsewhere}"
                if line.qty_handled_elsewhere
                else ""
            )
            + (f" returned {line.qty_returned}" if line.qty_returned else "")
        )
    if detail.returns:
        print(f"  returns: {', '.join(detail.returns)}")
    for event in detail.events:
        moved = f"{event.from_status or '-'} -> {event.to_status}" if event.to_status else ""
        print(
            f"  {event.occurred_at:%Y-%m-%d %H:%M:%S} {event.username}@{event.station} "
            f"{event.action} {moved} {event.reason or ''}".rstrip()
        )
    return 0


@command("stats", "counts by status, stock totals", configure=json_flag)
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


def _verify_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--rules", action="store_true", help="list the rules checked, and stop")


@command(
    "verify",
    "check every rule between orders, lines, parcels, returns, stock and ledger",
    configure=_verify_args,
)
def cmd_verify(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    if args.rules:
        for rule, meaning in integrity.RULES.items():
            print(f"{rule:<20} {meaning}")
        return 0
    problems = integrity.verify(db)
    for problem in problems:
        print(problem)
    if problems:
        print(f"verify: {len(problems)} problem(s) found", file=sys.stderr)
        return 1
    print(
        "verify: ledger, stock, allocations and line quantities agree "
        f"(all {len(integrity.RULES)} rules hold)"
    )
    return 0
