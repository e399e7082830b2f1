"""Turn shipments and orders into the plain data the document renderers draw."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.documents.data import Address, LabelData, SlipData, SlipLine
from app.errors import NotFound
from db.models import Order, OrderLine, Package, PackageItem, Shipment, Warehouse


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


def ship_from(session: Session) -> Address:
    warehouse = session.scalars(select(Warehouse).order_by(Warehouse.id)).first()
    if warehouse is None:
        return Address(name="Shipshape warehouse")
    return Address(
        name=warehouse.company or warehouse.name,
        address1=warehouse.address1,
        address2=warehouse.address2 or "",
        city=warehouse.city,
        postcode=warehouse.postcode,
        region=warehouse.region or "",
        country=warehouse.country,
    )


def labels_for_shipment(session: Session, shipment_id: int) -> list[LabelData]:
    shipment = session.get(Shipment, shipment_id)
    if shipment is None:
        raise NotFound(f"no shipment {shipment_id}")
    order = session.get_one(Order, shipment.order_id)
    packages = session.scalars(
        select(Package).where(Package.shipment_id == shipment.id).order_by(Package.seq)
    ).all()
    sender = ship_from(session)
    warehouse = session.scalars(select(Warehouse).order_by(Warehouse.id)).first()
    prefix_length = len(warehouse.gs1_company_prefix) if warehouse else 7
    return [
        LabelData(
            order_number=order.number,
            external_ref=order.external_ref,
            ship_from=sender,
            ship_to=ship_to(order),
            carrier=shipment.carrier,
            service_level=shipment.service_level,
            weight_g=package.weight_g or 0,
            package_index=package.seq,
            package_count=len(packages),
            tracking_number=package.tracking_number or shipment.tracking_number or "",
            sscc=package.sscc,
            sscc_prefix_length=prefix_length,
        )
        for package in packages
    ]


def slip_for_shipment(session: Session, shipment_id: int) -> SlipData:
    shipment = session.get(Shipment, shipment_id)
    if shipment is None:
        raise NotFound(f"no shipment {shipment_id}")
    order = session.get_one(Order, shipment.order_id)
    in_this = dict(
        session.execute(
            select(PackageItem.order_line_id, PackageItem.quantity)
            .join(Package, Package.id == PackageItem.package_id)
            .where(Package.shipment_id == shipment.id)
        ).all()
    )
    lines = session.scalars(
        select(OrderLine).where(OrderLine.order_id == order.id).order_by(OrderLine.line_no)
    ).all()
    return SlipData(
        order_number=order.number,
        external_ref=order.external_ref,
        placed_at=order.placed_at,
        ship_to=ship_to(order),
        lines=[
            SlipLine(
                sku=line.sku,
                name=line.name,
                qty_ordered=line.qty_ordered,
                qty_in_this_shipment=in_this.get(line.id, 0),
                qty_to_follow=max(line.qty_ordered - line.qty_packed, 0),
            )
            for line in lines
        ],
        return_code=f"R:{order.number}",
    )
