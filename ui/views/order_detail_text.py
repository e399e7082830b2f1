"""Rich text for the order detail panel: address, shipments, payments and the timeline."""

from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from app.dto import OrderDetail, ShipmentView
from app.services.order_timeline import OrderHistory, TimelineEntry

_MUTED = "#667085"
TIME_FORMAT = "%d %b %Y %H:%M:%S"


def address_html(detail: OrderDetail) -> str:
    to = detail.ship_to
    city = " ".join(part for part in (to["postcode"], to["city"]) if part)
    lines = [
        f"<b>{escape(to['name'] or detail.customer)}</b>",
        *(escape(value) for value in (to["company"], to["address1"], to["address2"]) if value),
        escape(city),
        *(escape(value) for value in (to["region"], to["country"]) if value),
    ]
    contact = [escape(value) for value in (to["phone"], detail.email) if value]
    if contact:
        lines.append(f"<span style='color:{_MUTED}'>{'<br>'.join(contact)}</span>")
    return "<br>".join(lines)


def _shipment_html(shipment: ShipmentView) -> str:
    tracking = escape(shipment.tracking_number or "no tracking number yet")
    packages = ", ".join(
        escape(f"#{p.seq} {p.box or ''} {p.sscc}".replace("  ", " ")) for p in shipment.packages
    )
    parts = [
        f"<b>{escape(shipment.carrier)}</b> {escape(shipment.service_level)} · "
        f"{escape(shipment.status)}",
        tracking,
    ]
    if packages:
        parts.append(f"<span style='color:{_MUTED}'>{packages}</span>")
    return "<br>".join(parts)


def shipments_html(detail: OrderDetail) -> str:
    if not detail.shipments:
        return f"<span style='color:{_MUTED}'>Nothing shipped yet</span>"
    return "<br><br>".join(_shipment_html(s) for s in detail.shipments)


def payments_html(history: OrderHistory) -> str:
    """The payment, then each refund, with its date in the site's time zone."""
    zone = ZoneInfo(history.zone)
    return "<br>".join(
        f"{escape(p.text)}<br><span style='color:{_MUTED}'>{p.at.astimezone(zone):%d %b %Y}</span>"
        for p in history.payments
    )


def _entry_html(entry: TimelineEntry, zone: ZoneInfo) -> str:
    who = " @ ".join(part for part in (entry.who, entry.station) if part) or "Shipshape"
    when = escape(entry.at.astimezone(zone).strftime(TIME_FORMAT))
    return (
        f"<p style='margin-bottom:8px'><b>{escape(entry.text)}</b><br>"
        f"<span style='color:{_MUTED}'>{when} · {escape(who)} · {entry.kind.value}</span></p>"
    )


def timeline_html(history: OrderHistory) -> str:
    """Newest first: what happened, when (site time), who and where."""
    zone = ZoneInfo(history.zone)
    return "".join(_entry_html(e, zone) for e in reversed(history.timeline))
