"""A return's label (PDF or ZPL, drawn by the shipping label code with an `R:` barcode)
and its return slip."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.documents import label_pdf, label_zpl, return_slip
from app.documents.data import LabelData
from app.domain.returns import rma_of
from app.errors import ValidationFailed
from app.output_file import write_file
from app.services.document_data import return_address, ship_to
from app.services.notifications import Attachment
from app.services.return_views import ReturnView, find_return, load_return
from app.services.settings import effective_settings
from app.services.site_readiness import SetupIncomplete
from db.engine import Database
from db.models import Carrier, Channel, Order, OrderLine, Product, Return, ReturnLine, Shipment
from db.uow import read

FORMATS = ("pdf", "zpl")


def return_label(db: Database, reference: str, fmt: str) -> bytes:
    """The return label of an RMA as `fmt` (pdf or zpl) on the site's label stock."""
    if fmt not in FORMATS:
        raise ValidationFailed(f"unknown label format {fmt!r} (pdf or zpl)")

    def work(session: Session) -> bytes:
        site = effective_settings(session)
        label = _label_data(session, find_return(session, reference))
        if fmt == "zpl":
            return label_zpl.render([label], int(site["label.dpi"]), site["label.size"])
        return label_pdf.render([label], site["label.size"])

    return read(db, work)


def return_label_attachment(session: Session, view: ReturnView) -> Attachment | None:
    """The PDF label for the "return authorised" e-mail; None until the site has a sender
    address (the mail then asks the customer to write the number on the parcel)."""
    ret = session.scalars(select(Return).where(Return.number == view.number)).one()
    try:
        label = _label_data(session, ret)
    except SetupIncomplete:
        return None
    site = effective_settings(session)
    data = label_pdf.render([label], site["label.size"])
    return Attachment(f"{view.number}-label.pdf", "application/pdf", data)


def _label_data(session: Session, ret: Return) -> LabelData:
    order = session.get_one(Order, ret.order_id)
    site = effective_settings(session)
    shipment = session.scalars(
        select(Shipment).where(Shipment.order_id == order.id).order_by(Shipment.id.desc())
    ).first()
    carrier = (
        session.scalar(select(Carrier.name).where(Carrier.code == shipment.carrier))
        or shipment.carrier
        if shipment is not None
        else ""
    )
    weight = session.scalar(
        select(func.coalesce(func.sum(ReturnLine.qty_authorised * Product.weight_g), 0))
        .join(OrderLine, OrderLine.id == ReturnLine.order_line_id)
        .join(Product, Product.id == OrderLine.product_id)
        .where(ReturnLine.return_id == ret.id)
    )
    return LabelData(
        order_number=order.number,
        external_ref=ret.number,
        ship_from=ship_to(order),
        ship_to=return_address(site),
        carrier=carrier,
        service_level="RETURN",
        weight_g=int(weight or 0),
        package_index=1,
        package_count=1,
        tracking_number="",
        sscc="",
        weight_unit=site["units.weight"],
        return_code=f"R:{ret.number}",
    )


def return_slip_pdf(db: Database, reference: str) -> bytes:
    """The printable return slip of an RMA (A4 or Letter as the site prints)."""

    def work(session: Session) -> bytes:
        ret = find_return(session, reference)
        view = load_return(session, ret)
        order = session.get_one(Order, ret.order_id)
        site = effective_settings(session)
        sender = session.scalar(select(Channel.sender_name).where(Channel.id == order.channel_id))
        slip = return_slip.ReturnSlipData(
            number=view.number,
            order_number=view.order,
            external_ref=view.order_ref,
            customer=ship_to(order),
            return_to=return_address(site),
            reason=view.reason or "unexpected",
            resolution=view.resolution,
            lines=tuple(
                return_slip.ReturnSlipLine(line.sku, line.name, line.qty_authorised)
                for line in view.lines
            ),
            sender=sender or site["company.name"],
        )
        return return_slip.render(slip)

    return read(db, work)


def save_return_documents(db: Database, reference: str, folder: Path) -> list[Path]:
    """The RMA's label (PDF) and slip written whole into `folder`; the files written."""
    label, slip = return_label(db, reference, "pdf"), return_slip_pdf(db, reference)
    number = rma_of(reference) or reference
    paths = [folder / f"{number}-label.pdf", folder / f"{number}-slip.pdf"]
    for path, data in zip(paths, (label, slip), strict=True):
        write_file(path, data)
    return paths
