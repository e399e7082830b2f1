"""Send queued print jobs to printers; a failure leaves the job pending with its error.

Rendering happens with no transaction open; the job row is only touched to mark
the outcome, so a printer that hangs never holds a database lock.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Protocol

from platformdirs import user_data_dir
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.documents.data import LabelData
from app.documents.render import render_label_pdf, render_label_zpl, render_packing_slip
from app.documents.samples import sample_label
from app.errors import NotFound, ValidationFailed
from app.printing import CupsPrinter, FolderPrinter, Printer, PrinterError, RawTcpPrinter
from app.services.document_data import labels_for_shipment, slip_for_order, slip_for_shipment
from app.services.orders import find_order
from app.services.pick_list_builder import PRINT_DOCUMENT, printed_list_number
from app.services.pick_lists import find_pick_list, pick_list_pdf
from app.services.settings import setting_value
from db.engine import Database
from db.models import Order, PrintJob, Shipment
from db.types import utcnow
from db.uow import read, run_in_transaction

PRINT_DIR_VAR = "SHIPSHAPE_PRINT_DIR"


class ProgressReporter(Protocol):
    def update(self, done: int, total: int, label: str) -> None: ...

    def cancelled(self) -> bool: ...


@dataclass(frozen=True)
class PrintOutcome:
    job_id: int
    printed: bool
    message: str
    document: str = ""  # label, packing_slip
    printer: str = ""  # where it went (or failed to go)
    error: str | None = None  # the printer's reason, when not printed


@dataclass(frozen=True)
class JobView:
    id: int
    order_number: str | None
    document: str
    format: str
    printer: str
    status: str
    attempts: int
    last_error: str | None


def default_print_folder() -> Path:
    configured = os.environ.get(PRINT_DIR_VAR)
    return Path(configured) if configured else Path(user_data_dir("shipshape")) / "printed"


def printer_for(spec: str) -> Printer:
    """`folder`, `folder:/path`, `tcp://host:9100` (raw ZPL) or `cups:QUEUE`;
    ValidationFailed for anything else, or a host, port or queue no printer can have."""
    if spec == "folder":
        return FolderPrinter(default_print_folder())
    if spec.startswith("folder:") and spec != "folder:":
        return FolderPrinter(spec.removeprefix("folder:"))
    if spec.startswith("tcp://"):
        return RawTcpPrinter(*_host_and_port(spec))
    if spec.startswith("cups:"):
        queue = spec.removeprefix("cups:")
        if not _CUPS_QUEUE.fullmatch(queue):
            raise ValidationFailed(f"printer {spec!r}: expected cups:QUEUE with a CUPS queue name")
        return CupsPrinter(queue)
    raise ValidationFailed(
        f"unknown printer {spec!r} (use folder, folder:/path, tcp://host:9100 or cups:QUEUE)"
    )


# CUPS queue names: printable, no space, slash, backslash or #; not an lp option.
_CUPS_QUEUE = re.compile(r"(?!-)[^\s/\\#\x00-\x1f\x7f]{1,127}")
_HOST_NAME = re.compile(
    r"(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?"
)


def _host_and_port(spec: str) -> tuple[str, int]:
    """The host (a name, an IPv4 address or a bracketed IPv6 address) and port 1-65535
    of `tcp://HOST[:PORT]`."""
    wrong = ValidationFailed(
        f"printer {spec!r}: expected tcp://HOST:PORT with a host name or address "
        "(IPv6 in brackets) and a port from 1 to 65535"
    )
    rest = spec.removeprefix("tcp://")
    if rest.startswith("["):
        address, bracket, after = rest[1:].partition("]")
        if not bracket or (after and not after.startswith(":")):
            raise wrong
        port = after[1:] if after else None
        try:
            host = str(ipaddress.IPv6Address(address))
        except ValueError:
            raise wrong from None
    else:
        host, colon, given = rest.partition(":")
        port = given if colon else None
        if not _HOST_NAME.fullmatch(host):
            raise wrong
    if port is None:
        return host, 9100
    if not (port.isascii() and port.isdigit() and len(port) <= 5 and 1 <= int(port) <= 65535):
        raise wrong
    return host, int(port)


def label_format_for(spec: str) -> str | None:
    """ZPL for a raw port (tcp://), which takes nothing else; None for any other printer,
    which then gets the site's `label.format`."""
    return "zpl" if spec.startswith("tcp://") else None


def print_test_label(printer_spec: str, fmt: str) -> str:
    """Send the sample label to `printer_spec` as `fmt`; what happened, for the screen.

    Raises ValidationFailed naming the printer and its error when it does not print.
    """
    if fmt not in ("pdf", "zpl"):
        raise ValidationFailed(f"unknown label format {fmt!r} (pdf or zpl)")
    label = sample_label()
    data = render_label_zpl([label]) if fmt == "zpl" else render_label_pdf([label])
    try:
        printer_for(printer_spec).send(data, fmt=fmt, job_name="test-label")
    except PrinterError as exc:
        raise ValidationFailed(f"test label NOT printed on {printer_spec}: {exc.message}") from exc
    return f"Test label sent to {printer_spec}"


def render_shipment_document(session: Session, shipment_id: int, document: str, fmt: str) -> bytes:
    if document == "label":
        labels = labels_for_shipment(session, shipment_id)
        size = setting_value(session, "label.size")
        if fmt == "zpl":
            return render_label_zpl(labels, int(setting_value(session, "label.dpi")), size)
        return render_label_pdf(labels, size)
    if document == "packing_slip":
        return render_packing_slip(slip_for_shipment(session, shipment_id))
    raise ValidationFailed(f"cannot render a {document!r}")


def _render_job(session: Session, job_id: int) -> tuple[bytes, str, str, str]:
    job = session.get(PrintJob, job_id)
    if job is None:
        raise NotFound(f"no print job {job_id}")
    if job.document == PRINT_DOCUMENT:
        data = pick_list_pdf(session, find_pick_list(session, printed_list_number(job)).id)
    elif job.shipment_id is not None:
        data = render_shipment_document(session, job.shipment_id, job.document, job.format)
    elif job.document == "packing_slip" and job.order_id is not None:  # not packed yet
        data = render_packing_slip(slip_for_order(session, job.order_id))
    else:
        raise ValidationFailed(f"print job {job_id} has nothing to render")
    return data, job.format, job.printer, job.document


def print_job(
    db: Database,
    job_id: int,
    *,
    printer: str | None = None,
    make_printer: Callable[[str], Printer] = printer_for,
) -> PrintOutcome:
    """Print (or reprint) one job; `printer` sends it somewhere else this time, and stays
    the job's printer only if the job printed there."""
    data, fmt, configured, document = read(db, lambda s: _render_job(s, job_id))
    target = printer or configured
    try:
        make_printer(target).send(data, fmt=fmt, job_name=f"{document}-{job_id}")
        error = None
    except PrinterError as exc:
        error = exc.message
    except ValidationFailed as exc:  # a printer name this station cannot use
        error = str(exc)

    def mark(session: Session) -> None:
        job = session.get_one(PrintJob, job_id, with_for_update=True)
        job.attempts += 1
        if error is None:
            job.printer = target  # a one-off printer that worked becomes the job's own
            job.status, job.printed_at, job.last_error = "printed", utcnow(), None
        else:
            job.status, job.last_error = "pending", error

    run_in_transaction(db, mark)
    if error is None:
        return PrintOutcome(job_id, True, f"sent to {target}", document, target)
    return PrintOutcome(
        job_id,
        False,
        f"NOT printed on {target}: {error} - job kept, reprint",
        document,
        target,
        error,
    )


def print_pending(
    db: Database,
    *,
    station: str | None = None,
    make_printer: Callable[[str], Printer] = printer_for,
) -> list[PrintOutcome]:
    """Try every pending job (of one station, or all) once."""

    def pending(session: Session) -> list[int]:
        stmt = select(PrintJob.id).where(PrintJob.status == "pending").order_by(PrintJob.id)
        if station is not None:
            stmt = stmt.where(PrintJob.station == station)
        return list(session.scalars(stmt))

    return [print_job(db, job_id, make_printer=make_printer) for job_id in read(db, pending)]


def list_jobs(db: Database, *, station: str | None = None, limit: int = 50) -> list[JobView]:
    def work(session: Session) -> list[JobView]:
        stmt = (
            select(PrintJob, Order.number)
            .outerjoin(Order, Order.id == PrintJob.order_id)
            .order_by(PrintJob.id.desc())
            .limit(limit)
        )
        if station is not None:
            stmt = stmt.where(PrintJob.station == station)
        return [
            JobView(
                j.id, number, j.document, j.format, j.printer, j.status, j.attempts, j.last_error
            )
            for j, number in session.execute(stmt)
        ]

    return read(db, work)


def order_labels(db: Database, reference: str, fmt: str) -> bytes:
    """The labels of an order's latest shipment, for `label ORDER --format pdf|zpl`."""
    if fmt not in ("pdf", "zpl"):
        raise ValidationFailed(f"unknown label format {fmt!r} (pdf or zpl)")

    def work(session: Session) -> bytes:
        order = find_order(session, reference)
        shipment_id = session.scalars(
            select(Shipment.id)
            .where(Shipment.order_id == order.id, Shipment.status != "voided")
            .order_by(Shipment.id.desc())
        ).first()
        if shipment_id is None:
            raise NotFound(f"{order.number} has no shipment yet: pack it first")
        return render_shipment_document(session, shipment_id, "label", fmt)

    return read(db, work)


def label_batch(
    db: Database,
    shipment_ids: Sequence[int],
    fmt: str,
    progress: ProgressReporter,
    *,
    chunk: int = 50,
) -> bytes | None:
    """Many shipments' labels in one document, or None if cancelled part-way."""
    labels: list[LabelData] = []
    for start in range(0, len(shipment_ids), chunk):
        if progress.cancelled():
            return None
        part = shipment_ids[start : start + chunk]
        labels += read(db, partial(_labels_of, shipment_ids=part))
        progress.update(
            min(start + chunk, len(shipment_ids)), len(shipment_ids), "Collecting labels"
        )
    if not labels:
        raise ValidationFailed("no labels to print")
    return render_label_zpl(labels) if fmt == "zpl" else render_label_pdf(labels)


def _labels_of(session: Session, shipment_ids: Sequence[int]) -> list[LabelData]:
    return [label for sid in shipment_ids for label in labels_for_shipment(session, sid)]
