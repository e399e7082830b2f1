"""A small hand-made week of a warehouse in London, around the October clock change,
written straight into the tables with exact times, so every report has answers that
were worked out by hand (see the comments) rather than by running the same query.

2026-10-25 is the day the clocks go back in London: it lasts 25 hours, from
2026-10-24 23:00 UTC to 2026-10-26 00:00 UTC.

order placed (UTC)  channel ship by (UTC) milestones (UTC)                            now
o1    24 Oct 10:00  web     25 Oct 12:00  alloc 24 11:00, picked 24 13:00 (pick-1,      shipped
                                          anna), packed 24 15:00 (pack-1, ben),
                                          shipped 25 09:00 (on time)
o2    24 Oct 23:30  web     25 Oct 20:00  alloc 25 01:00, picked 25 05:00, packed       shipped
      (00:30 London)                      25 08:00, shipped 26 10:00 (late)
o3    25 Oct 23:30  shop    26 Oct 12:00  none: still new, so late by now               new
o4    26 Oct 09:00  web     26 Oct 18:00  cancelled 26 10:00                            cancelled
o5    20 Oct 09:00  web     21 Oct 09:00  waiting for 4 x B                             backordered
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from db.engine import Database
from db.models import (
    AuditEvent,
    Channel,
    Location,
    Order,
    OrderLine,
    Product,
    Return,
    ReturnLine,
    ScanEvent,
    Setting,
    StockLevel,
    User,
    Warehouse,
)
from db.uow import run_in_transaction

NOW = datetime(2026, 10, 27, 12, 0, tzinfo=UTC)
# `report daily` for 24-26 October, worked out from the table above: received by the
# London day placed, shipped/cancelled by the day reached, late by the day due, and
# the backlog open at each day's end (o5 from before, then o1; o2, o3; o4 cancelled).
DAILY_WEEK = [
    {"date": "2026-10-24", "received": 1, "shipped": 0, "cancelled": 0, "late": 0, "backlog": 2},
    {"date": "2026-10-25", "received": 2, "shipped": 1, "cancelled": 0, "late": 1, "backlog": 3},
    {"date": "2026-10-26", "received": 1, "shipped": 1, "cancelled": 1, "late": 1, "backlog": 2},
]


def at(day: int, hour: int, minute: int = 0, month: int = 10) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def _order(
    number: str,
    channel: Channel,
    placed: datetime,
    ship_by: datetime,
    status: str,
    warehouse: Warehouse,
) -> Order:
    return Order(
        number=number,
        channel=channel,
        external_ref=f"#{number}",
        status=status,
        placed_at=placed,
        ship_by=ship_by,
        warehouse_id=warehouse.id,
    )


def _line(
    order: Order, no: int, sku: str, ordered: int, *, allocated: int | None = None, shipped: int = 0
) -> OrderLine:
    alloc = ordered if allocated is None else allocated
    return OrderLine(
        order=order,
        line_no=no,
        sku=sku,
        name=f"Product {sku}",
        qty_ordered=ordered,
        qty_allocated=alloc,
        qty_picked=shipped,
        qty_packed=shipped,
        qty_shipped=shipped,
    )


def _event(
    order: Order, status: str, when: datetime, station: str = "desk", user: str = "system"
) -> AuditEvent:
    return AuditEvent(
        occurred_at=when,
        username=user,
        station=station,
        entity="order",
        entity_id=order.id,
        action=status,
        to_status=status,
    )


def build(db: Database) -> dict[str, Any]:
    """Write the week; returns the orders by name."""

    def work(session: Session) -> dict[str, Any]:
        session.add(Setting(key="company.timezone", value="Europe/London"))
        main = Warehouse(code="MAIN", name="Main")
        web = Channel(code="web", name="Web shop", kind="csv")
        shop = Channel(code="shop", name="Shopify", kind="shopify")
        anna = User(username="anna", display_name="Anna", role="picker")
        ben = User(username="ben", display_name="Ben", role="packer")
        session.add_all([main, web, shop, anna, ben])
        session.flush()
        o = {
            "o1": _order("SO-1", web, at(24, 10), at(25, 12), "shipped", main),
            "o2": _order("SO-2", web, at(24, 23, 30), at(25, 20), "shipped", main),
            "o3": _order("SO-3", shop, at(25, 23, 30), at(26, 12), "new", main),
            "o4": _order("SO-4", web, at(26, 9), at(26, 18), "cancelled", main),
            "o5": _order("SO-5", web, at(20, 9), at(21, 9), "backordered", main),
        }
        session.add_all(o.values())
        lines = [
            _line(o["o1"], 1, "A", 2, shipped=2),
            _line(o["o2"], 1, "A", 1, shipped=1),
            _line(o["o2"], 2, "B", 1, shipped=1),
            _line(o["o3"], 1, "A", 1, allocated=0),
            _line(o["o4"], 1, "A", 3, allocated=0),
            _line(o["o5"], 1, "B", 4, allocated=0),
        ]
        session.add_all(lines)
        session.flush()
        session.add_all(
            [
                _event(o["o1"], "allocated", at(24, 11)),
                _event(o["o1"], "picking", at(24, 12), "pick-1", "anna"),
                _event(o["o1"], "picked", at(24, 13), "pick-1", "anna"),
                _event(o["o1"], "packed", at(24, 15), "pack-1", "ben"),
                _event(o["o1"], "shipped", at(25, 9), "pack-1", "ben"),
                _event(o["o2"], "allocated", at(25, 1)),
                _event(o["o2"], "picked", at(25, 5), "pick-1", "anna"),
                _event(o["o2"], "packed", at(25, 8), "pack-1", "ben"),
                _event(o["o2"], "shipped", at(26, 10), "pack-1", "ben"),
                _event(o["o4"], "cancelled", at(26, 10)),
                _event(o["o5"], "backordered", at(20, 9, 5)),
            ]
        )
        # Scans: anna 5 at pick-1 (1 refused), ben 4 at pack-1 (1 typed by hand).
        for minute, outcome in enumerate(["accepted"] * 4 + ["rejected"]):
            session.add(
                ScanEvent(
                    occurred_at=at(24, 12, minute),
                    station="pick-1",
                    user_id=anna.id,
                    raw="x",
                    reading="sku",
                    outcome=outcome,
                )
            )
        for minute in range(4):
            session.add(
                ScanEvent(
                    occurred_at=at(24, 14, minute),
                    station="pack-1",
                    user_id=ben.id,
                    raw="x",
                    reading="sku",
                    outcome="accepted",
                    manual=minute == 0,
                )
            )
        # A scan outside the range (19 Oct) must not count.
        session.add(
            ScanEvent(
                occurred_at=at(19, 12),
                station="pick-1",
                user_id=anna.id,
                raw="x",
                reading="sku",
                outcome="rejected",
            )
        )
        # Returns: 1 x A from o1 (damaged), 1 x B from o2 (doesnt_fit).
        r1 = Return(number="RMA-1", order_id=o["o1"].id, reason="damaged", created_at=at(26, 8))
        r2 = Return(number="RMA-2", order_id=o["o2"].id, reason="doesnt_fit", created_at=at(26, 11))
        session.add_all([r1, r2])
        session.flush()
        session.add_all(
            [
                ReturnLine(
                    return_id=r1.id, order_line_id=lines[0].id, qty_authorised=1, qty_received=1
                ),
                ReturnLine(return_id=r2.id, order_line_id=lines[2].id, qty_authorised=1),
            ]
        )
        # Stock: A 10 on the shelf, B none.
        pick = Location(warehouse_id=main.id, code="A-01", kind="pick")
        products = {sku: Product(sku=sku, name=f"Product {sku}") for sku in "AB"}
        session.add_all([pick, *products.values()])
        session.flush()
        session.add_all(
            [
                StockLevel(product_id=products["A"].id, location_id=pick.id, on_hand=10),
                StockLevel(product_id=products["B"].id, location_id=pick.id, on_hand=0),
            ]
        )
        return {name: order.id for name, order in o.items()}

    return run_in_transaction(db, work)
