"""Rich text for the order detail panel: address, shipments and the timeline."""

from __future__ import annotations

from html import escape

from app.dto import EventView, OrderDetail, ShipmentView
from ui.status_style import local_time, status_label

_MUTED = "#667085"


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


def _event_html(event: EventView) -> str:
    title = escape(event.action.replace("_", " ").capitalize())
    if event.to_status and event.from_status:
        change = f"{status_label(event.from_status)} → {status_label(event.to_status)}"
        title += f" <span style='color:{_MUTED}'>·</span> {escape(change)}"
    elif event.to_status and event.to_status != event.action:
        title += f" <span style='color:{_MUTED}'>·</span> {escape(status_label(event.to_status))}"
    who = escape(event.username + (f" @ {event.station}" if event.station else ""))
    when = escape(local_time(event.occurred_at, "%d %b %Y %H:%M:%S"))
    html = f"<b>{title}</b><br><span style='color:{_MUTED}'>{when} · {who}</span>"
    if event.reason:
        html += f"<br>{escape(event.reason)}"
    return f"<p style='margin-bottom:8px'>{html}</p>"


def timeline_html(detail: OrderDetail) -> str:
    """Newest first: what happened, when, who and where, and why."""
    events = "".join(_event_html(e) for e in reversed(detail.events))
    notes = "".join(f"<p>{escape(note)}</p>" for note in detail.notes)
    return events + (f"<h4>Notes</h4>{notes}" if notes else "")
