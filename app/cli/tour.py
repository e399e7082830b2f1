"""`demo`: a headless tour of the whole flow, through the same services as the GUI."""

from __future__ import annotations

import argparse

from app.cli.registry import command
from app.context import Actor
from app.services.demo_data import load_demo
from app.services.integrity import verify
from app.services.orders import list_orders, order_detail
from app.services.pack_completion import PackageSpec, complete_packing
from app.services.packing import open_for_packing, record_pack_scan
from app.services.printing import print_pending
from app.services.shipping import ship_order
from app.services.stats import stats
from db.engine import Database
from db.schema import SchemaState, schema_state, upgrade


def _say(step: str, text: str) -> None:
    print(f"[{step}] {text}")


@command(
    "demo", "a headless tour: intake, allocation, scan-packing, label, dispatch", needs_schema=False
)
def cmd_demo(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    if schema_state(db) is SchemaState.EMPTY:
        upgrade(db)
        _say("setup", f"created the schema in {db.describe()}")
    if stats(db).orders_total == 0:
        summary = load_demo(db, actor, orders=60, skus=30)
        _say(
            "intake",
            f"{summary.orders} orders from 4 channels; {summary.held} held by risk "
            "rules or unknown SKUs",
        )
        _say(
            "allocate",
            f"{summary.allocated} reserved in priority order, "
            f"{summary.backordered} waiting for stock",
        )
    candidates = list_orders(db, status="allocated", limit=1)
    if not candidates:
        _say("pack", "no allocated order to pack; run demo-data or import stock")
        return 1
    packer = Actor(username="pat", station="pack-demo")
    state = open_for_packing(db, packer, f"O:{candidates[0].number}")
    _say(
        "pack",
        f"station {packer.station} opened {state.number} for {state.ship_to_name}: "
        f"{state.units_expected} items to scan",
    )
    wrong = record_pack_scan(db, packer, state.order_id, "4006381333932")
    _say("scan", f"a mistyped EAN is refused: {wrong.message}")
    for line in state.lines:
        for _ in range(line.expected):
            outcome = record_pack_scan(db, packer, state.order_id, line.gtin or line.sku)
        _say("scan", f"{line.sku} x{line.expected}: {outcome.message}")
    result = complete_packing(db, packer, state.order_id, [PackageSpec(box_code="M")])
    _say("label", f"shipment {result.tracking_number}, SSCC {result.packages[0].sscc}")
    for printed in print_pending(db, station=packer.station):
        _say("print", printed.message)
    _say("ship", f"{result.order_number} is now {ship_order(db, actor, result.order_number)}")
    timeline = order_detail(db, result.order_number).events
    for event in timeline:
        _say(
            "timeline",
            f"{event.occurred_at:%H:%M:%S} {event.username}@{event.station}: "
            f"{event.action} {event.from_status or ''} -> {event.to_status or ''}",
        )
    problems = verify(db)
    _say("verify", "ledger, stock and orders agree" if not problems else "; ".join(problems))
    return 0 if not problems else 1
