"""Turn shipments and orders into the plain data the document renderers draw."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.documents.data import Address, LabelData, SlipData, SlipLine
from app.domain.site_settings import missing_sender_fields
from app.errors import NotFound
from app.services.settings import effective_settings
from app.services.site_readiness import SetupIncomplete
from db.models import Carrier, Channel, Order, OrderLine, Package, PackageItem, Shipment


def ship_to(order: Order) -> Address:
    return Address(
        name=order.ship_name,
        company=order.ship_company or "",
        address1=order.ship_address1,
        address2=order.ship_address2 or "",
        city=order.ship_city,
        postcode=order.ship_postcode,
        region=order.ship_region or "",
        country=order.ship_country,
        phone=order.ship_phone or "",
    )


def _address_from(values: dict[str, str], prefix: str) -> Address:
    return Address(
        name=values[f"{prefix}.name"],
        address1=values[f"{prefix}.address1"],
        address2=values[f"{prefix}.address2"],
        city=values[f"{prefix}.city"],
        postcode=values[f"{prefix}.postcode"],
        region=values[f"{prefix}.region"],
        country=values[f"{prefix}.country"],
    )


def return_address(values: dict[str, str]) -> Address:
    """Where returns go: the sender, with whatever return.* fields the site set instead
    (a returns dock at the same site needs only its own first line)."""
    merged = {
        f"return.{name}": values[f"return.{name}"] or values[f"company.{name}"]
        for name in ("name", "address1", "address2", "postcode", "city", "region", "country")
    }
    if not values["return.address1"]:
        return ship_from(values)
    return _address_from(merged, "return")


def ship_from(values: dict[str, str]) -> Address:
    """The sender from the site's settings; SetupIncomplete names what is missing."""
    missing = missing_sender_fields(values)
    if missing:
        raise SetupIncomplete(
            f"the sender address lacks {', '.join(missing)} - set it in Settings > Company "
            "before printing labels"
        )
    return _address_from(values, "company")


def labels_for_shipment(session: Session, shipment_id: int) -> list[LabelData]:
    shipment = session.get(Shipment, shipment_id)
    if shipment is None:
        raise NotFound(f"no shipment {shipment_id}")
    order = session.get_one(Order, shipment.order_id)
    packages = session.scalars(
        select(Package).where(Package.shipment_id == shipment.id).order_by(Package.seq)
    ).all()
    site = effective_settings(session)
    sender = ship_from(site)
    prefix_length = len(site["gs1.company_prefix"]) or 7
    unit = site["units.weight"]
    carrier_name = session.scalar(select(Carrier.name).where(Carrier.code == shipment.carrier))
    return [
        LabelData(
            order_number=order.number,
            external_ref=order.external_ref,
            ship_from=sender,
            ship_to=ship_to(order),
            carrier=carrier_name or shipment.carrier,
            service_level=shipment.service_level,
            weight_g=package.weight_g or 0,
            package_index=package.seq,
            package_count=len(packages),
            tracking_number=package.tracking_number or shipment.tracking_number or "",
            sscc=package.sscc,
            sscc_prefix_length=prefix_length,
            weight_unit=unit,
        )
        for package in packages
    ]


def slip_for_shipment(session: Session, shipment_id: int) -> SlipData:
    shipment = session.get(Shipment, shipment_id)
    if shipment is None:
        raise NotFound(f"no shipment {shipment_id}")
    in_this = dict(
        session.execute(
            select(PackageItem.order_line_id, PackageItem.quantity)
            .join(Package, Package.id == PackageItem.package_id)
            .where(Package.shipment_id == shipment.id)
        ).all()
    )
    return _slip(session, session.get_one(Order, shipment.order_id), in_this, packed=True)


def slip_for_order(session: Session, order_id: int) -> SlipData:
    """The slip of an order not packed yet: its reserved units go in the parcel."""
    order = session.get_one(Order, order_id)
    in_this = {line.id: line.qty_allocated - line.qty_packed for line in order.lines}
    return _slip(session, order, in_this, packed=False)


def _slip(session: Session, order: Order, in_this: dict[int, int], *, packed: bool) -> SlipData:
    """`packed`: the units `in_this` parcel are among the lines' packed ones already."""
    lines = session.scalars(
        select(OrderLine).where(OrderLine.order_id == order.id).order_by(OrderLine.line_no)
    ).all()
    site = effective_settings(session)
    return SlipData(
        order_number=order.number,
        external_ref=order.external_ref,
        placed_at=order.placed_at.astimezone(ZoneInfo(site["company.timezone"])),
        ship_to=ship_to(order),
        lines=[
            SlipLine(
                sku=line.sku,
                name=line.name,
                qty_ordered=line.qty_ordered,
                qty_in_this_shipment=in_this.get(line.id, 0),
                qty_to_follow=max(
                    line.qty_to_fulfil
                    - line.qty_packed
                    - (0 if packed else in_this.get(line.id, 0)),
                    0,
                ),
            )
            for line in lines
        ],
        return_code=f"R:{order.number}",
        sender=session.scalar(select(Channel.sender_name).where(Channel.id == order.channel_id))
        or site["company.name"],
        return_to=return_address(site),
    )
