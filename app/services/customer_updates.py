"""What each change tells the customer: the context of every outbox message the
warehouse's own services queue (order received, shipped, delayed, delivered).

Called inside the change's transaction; each context is the snapshot of the facts of
that moment (what left in a parcel, the ship-by date missed); see
app.services.notifications.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, cast
from urllib.parse import quote

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from app.context import Actor
from app.services.audit import audit_row
from app.services.notifications import (
    MessageRequest,
    Recipient,
    order_snapshot,
    queue_messages,
)
from app.services.settings import site_zone
from db.bulk import insert_rows
from db.models import (
    AuditEvent,
    Carrier,
    Order,
    OrderLine,
    Package,
    PackageItem,
    Shipment,
)
from db.types import utcnow

DELAY_NOTICE = "customer told of delay"


def queue_order_received(session: Session, order_ids: Sequence[int], actor: Actor) -> None:
    queue_messages(
        session,
        [MessageRequest(oid, "order_received") for oid in order_ids],
        actor=actor,
        returning_ids=False,
    )


def queue_orders_received(
    session: Session,
    written: Sequence[tuple[int, Mapping[str, Any], Sequence[Mapping[str, Any]]]],
    actor: Actor,
) -> None:
    """`queue_order_received` for orders intake has just inserted: (order id, the
    order's row, its lines' rows) each, so that nothing is read back. Intake finds
    customers by the order's e-mail: an order without one has no customer, so no
    customer's address to fall back on."""
    queue_messages(
        session,
        [MessageRequest(oid, "order_received") for oid, _, _ in written],
        actor=actor,
        recipients={
            oid: Recipient(row["channel_id"], row["email"], None, row["ship_name"])
            for oid, row, _ in written
        },
        snapshots={oid: order_snapshot(row, lines) for oid, row, lines in written},
        returning_ids=False,
    )


def tracking_link(url_template: str, tracking_number: str | None) -> str:
    """The carrier's tracking page for this parcel: {tracking} replaced, web links only."""
    if not tracking_number or "{tracking}" not in url_template:
        return ""
    if not url_template.lower().startswith(("https://", "http://")):
        return ""
    return url_template.replace("{tracking}", quote(tracking_number, safe=""))


# Every parcel that just left with its carrier and the units of each line it holds: one
# statement for the whole dispatch (outer joins keep a parcel whose carrier is unknown).
_LEAVING = (
    select(
        Shipment.id,
        Shipment.carrier,
        Shipment.tracking_number,
        Carrier.name.label("carrier_name"),
        Carrier.tracking_url,
        OrderLine.sku,
        OrderLine.name,
        func.sum(PackageItem.quantity).label("qty"),
    )
    .outerjoin(Carrier, Carrier.code == Shipment.carrier)
    .outerjoin(Package, Package.shipment_id == Shipment.id)
    .outerjoin(PackageItem, PackageItem.package_id == Package.id)
    .outerjoin(OrderLine, OrderLine.id == PackageItem.order_line_id)
    .where(Shipment.id.in_(bindparam("shipment_ids", expanding=True)))
    .group_by(
        Shipment.id,
        Shipment.carrier,
        Shipment.tracking_number,
        Carrier.name,
        Carrier.tracking_url,
        OrderLine.line_no,
        OrderLine.sku,
        OrderLine.name,
    )
    .order_by(Shipment.id, OrderLine.line_no)
)


def queue_shipped_messages(
    session: Session, order_id: int, shipment_ids: Sequence[int], actor: Actor
) -> None:
    """One "shipped" e-mail per parcel that just left, with its tracking link."""
    if not shipment_ids:
        return
    contexts: dict[int, dict[str, Any]] = {}
    for row in session.connection().execute(_LEAVING, {"shipment_ids": list(shipment_ids)}):
        context = contexts.get(row.id)
        if context is None:
            known = row.carrier_name is not None
            context = contexts[row.id] = shipped_context(
                row.carrier_name if known else row.carrier,
                row.tracking_url if known else "",
                row.tracking_number,
            )
        if row.sku is not None:
            context["shipped_lines"].append(shipped_line(row.sku, row.name, row.qty))
    queue_messages(
        session,
        [MessageRequest(order_id, "shipped", context) for context in contexts.values()],
        actor=actor,
        returning_ids=False,
    )


def shipped_context(carrier: str, url_template: str, tracking_number: str | None) -> dict[str, Any]:
    """A "shipped" e-mail's facts for one parcel; add its `shipped_line`s."""
    return {
        "carrier": carrier,
        "tracking_number": tracking_number or "",
        "tracking_url": tracking_link(url_template, tracking_number),
        "shipped_lines": [],
    }


def shipped_line(sku: str, name: str, qty: int) -> dict[str, Any]:
    return {"sku": sku, "name": name, "qty": int(qty)}


def queue_delivered_messages(
    session: Session, deliveries: Sequence[tuple[Shipment, datetime, str]], actor: Actor
) -> None:
    """One "delivered" e-mail per (shipment, delivered at, location), all queued at once:
    a tracking file can deliver thousands of parcels."""
    if not deliveries:
        return
    zone = site_zone(session)
    codes = {shipment.carrier for shipment, _, _ in deliveries}
    names = dict(
        session.execute(select(Carrier.code, Carrier.name).where(Carrier.code.in_(codes))).all()
    )
    queue_messages(
        session,
        [
            MessageRequest(
                shipment.order_id,
                "delivered",
                {
                    "carrier": names.get(shipment.carrier, shipment.carrier),
                    "tracking_number": shipment.tracking_number or "",
                    "delivered_at": delivered_at.astimezone(zone).strftime("%d %b %Y %H:%M"),
                    "location": location,
                },
            )
            for shipment, delivered_at, location in deliveries
        ],
        actor=actor,
        returning_ids=False,
    )


def queue_delay_notices(session: Session, actor: Actor, now: datetime | None = None) -> int:
    """A "delayed" e-mail for each backordered order past its ship-by that has not had
    one yet; how many were queued."""
    now = now or utcnow()
    told = select(AuditEvent.id).where(
        AuditEvent.entity == "order",
        AuditEvent.entity_id == Order.id,
        AuditEvent.action == DELAY_NOTICE,
    )
    rows = session.execute(
        select(Order.id, Order.ship_by)
        .where(Order.status == "backordered", Order.ship_by < now, ~told.exists())
        .order_by(Order.id)
        .with_for_update(skip_locked=True)
    )
    missed = cast(dict[int, datetime], dict(rows.all()))  # ship_by < now: never NULL
    if not missed:
        return 0
    late = list(missed)
    waiting: dict[int, list[dict[str, Any]]] = {oid: [] for oid in late}
    for line in session.scalars(
        select(OrderLine)
        .where(OrderLine.order_id.in_(late), OrderLine.qty_allocated < OrderLine.qty_to_fulfil)
        .order_by(OrderLine.order_id, OrderLine.line_no)
    ):
        waiting[line.order_id].append(
            {"sku": line.sku, "name": line.name, "qty": line.qty_to_fulfil - line.qty_allocated}
        )
    queue_messages(
        session,
        [
            MessageRequest(
                oid,
                "delayed",
                {"waiting_lines": waiting[oid], "order": {"ship_by": missed[oid].isoformat()}},
            )
            for oid in late
        ],
        actor=actor,
        returning_ids=False,
    )
    reason = "backordered past its ship-by date"
    insert_rows(
        session,
        AuditEvent,
        [audit_row(actor, "order", oid, DELAY_NOTICE, reason=reason) for oid in late],
    )
    return len(late)
