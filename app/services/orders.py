"""Finding and reading orders: the customer-service desk's queries."""

from __future__ import annotations

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from app.domain.order_query import OrderQuery, Queue
from app.dto import (
    EventView,
    LineView,
    OrderDetail,
    OrderRow,
    PackageView,
    PackingView,
    ShipmentView,
)
from app.errors import NotFound
from app.services import order_queue
from app.services.return_views import return_numbers
from db.base import table_of
from db.engine import Database
from db.models import (
    AuditEvent,
    Channel,
    Note,
    Order,
    OrderLine,
    PackingProgress,
    Shipment,
)
from db.uow import read


def like_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with % and _ taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


_ORDERS = table_of(Order)
_ID_BY_NUMBER = select(_ORDERS.c.id).where(_ORDERS.c.number == bindparam("number"))


def without_document_prefix(reference: str) -> str:
    """`O:SO-100001` as printed on a slip, or what was typed, without the `O:`."""
    ref = reference.strip()
    return ref[2:] if ref.upper().startswith("O:") else ref


def find_order_id(session: Session, reference: str) -> int:
    """An order's id by Shipshape number, or by the channel reference the customer quotes."""
    ref = without_document_prefix(reference)
    order_id = session.connection().execute(_ID_BY_NUMBER, {"number": ref.upper()}).scalar()
    if order_id is not None:
        return int(order_id)
    candidates = [ref, ref[1:]] if ref.startswith("#") else [ref, f"#{ref}"]
    matches = session.execute(
        select(Order.id, Order.number).where(Order.external_ref.in_(candidates)).order_by(Order.id)
    ).all()
    if len(matches) > 1:
        numbers = ", ".join(number for _, number in matches)
        raise NotFound(f"{reference} matches several orders ({numbers}); use the order number")
    if not matches:
        raise NotFound(f"no order {reference}")
    return int(matches[0][0])


def find_order(session: Session, reference: str, *, for_update: bool = False) -> Order:
    """The order behind `reference`, row-locked when `for_update`."""
    return session.get_one(
        Order, find_order_id(session, reference), with_for_update=for_update or None
    )


def list_orders(
    db: Database,
    *,
    status: str | None = None,
    search: str | None = None,
    limit: int = 100,
    before_id: int | None = None,
) -> list[OrderRow]:
    """Newest first; page with `before_id` = the last row's id (the queue's keyset)."""
    query = OrderQuery(queue=Queue(status) if status else None, text=search or "")
    after = (before_id, before_id) if before_id is not None else None
    return order_queue.page(db, query, limit=limit, after=after)


def order_detail(db: Database, reference: str) -> OrderDetail:
    return read(db, lambda session: load_detail(session, find_order(session, reference)))


def load_detail(session: Session, order: Order) -> OrderDetail:
    lines = session.scalars(
        select(OrderLine).where(OrderLine.order_id == order.id).order_by(OrderLine.line_no)
    ).all()
    shipments = session.scalars(
        select(Shipment).where(Shipment.order_id == order.id).order_by(Shipment.id)
    ).all()
    events = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity == "order", AuditEvent.entity_id == order.id)
        .order_by(AuditEvent.id)
    ).all()
    notes = session.scalars(select(Note).where(Note.order_id == order.id).order_by(Note.id)).all()
    return OrderDetail(
        id=order.id,
        number=order.number,
        external_ref=order.external_ref,
        channel=session.get_one(Channel, order.channel_id).code,
        status=order.status,
        priority=order.priority,
        service_level=order.service_level,
        hold_reason=order.hold_reason,
        placed_at=order.placed_at,
        ship_by=order.ship_by,
        email=order.email,
        customer=order.ship_name,
        ship_to={
            "name": order.ship_name,
            "company": order.ship_company,
            "address1": order.ship_address1,
            "address2": order.ship_address2,
            "city": order.ship_city,
            "postcode": order.ship_postcode,
            "region": order.ship_region,
            "country": order.ship_country,
            "phone": order.ship_phone,
        },
        currency=order.currency,
        grand_total=order.grand_total,
        lines=tuple(
            LineView(
                line.sku,
                line.name,
                line.qty_ordered,
                line.qty_allocated,
                line.qty_picked,
                line.qty_packed,
                line.qty_shipped,
                line.qty_returned,
                line.unit_price,
                line.qty_handled_elsewhere,
            )
            for line in lines
        ),
        shipments=tuple(
            ShipmentView(
                s.carrier,
                s.service_level,
                s.tracking_number,
                s.status,
                tuple(PackageView(p.seq, p.sscc, p.box_code, p.weight_g) for p in s.packages),
            )
            for s in shipments
        ),
        packing=_packing(session, order, {line.id: line.sku for line in lines}),
        events=tuple(
            EventView(
                e.occurred_at, e.username, e.station, e.action, e.from_status, e.to_status, e.reason
            )
            for e in events
        ),
        notes=tuple(f"{n.created_at:%Y-%m-%d %H:%M} {n.author}: {n.body}" for n in notes),
        version=order.version,
        returns=return_numbers(session, order.id),
    )


def _packing(session: Session, order: Order, skus: dict[int, str]) -> PackingView | None:
    if order.packing_station is None:
        return None
    scanned: dict[str, int] = {}
    for progress in session.scalars(
        select(PackingProgress).where(PackingProgress.order_id == order.id)
    ):
        sku = skus[progress.order_line_id]
        scanned[sku] = scanned.get(sku, 0) + progress.qty_scanned
    return PackingView(
        station=order.packing_station,
        user=order.packing_user or "unknown",
        scanned=scanned,
    )
