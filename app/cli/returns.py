"""Commands for returns: authorise, receive, show, list, refund, and their documents."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from app.cli.registry import at_least, command, emit_json, json_flag
from app.context import Actor
from app.domain.returns import Resolution, parse_receipt_item
from app.errors import ValidationFailed
from app.output_file import write_file
from app.services.refunds import issue_refund
from app.services.return_documents import return_label, return_slip_pdf
from app.services.return_views import ReturnView, list_returns, return_detail
from app.services.returns import authorise_return, receive_return
from db.engine import Database

MAX_UNITS = 99_999
_AUTHORISE_ITEM = re.compile(r"\s*([^=\s]+)\s*=\s*(\d{1,9})\s*")


def _rma_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("rma", help="the return number, RMA-100001 (or R:RMA-100001)")


def _create_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("order_number", help="SO-100001, or the channel reference such as #1001")
    p.add_argument("--item", action="append", default=[], metavar="SKU=QTY", help="units to return")
    p.add_argument("--reason", required=True, help="a code of the setting returns.reasons")
    p.add_argument(
        "--resolution", choices=[r.value for r in Resolution], default=Resolution.REFUND.value
    )
    json_flag(p)


def _items(texts: list[str]) -> dict[str, int]:
    items: dict[str, int] = {}
    for i, text in enumerate(texts, 1):
        match = _AUTHORISE_ITEM.fullmatch(text)
        if match is None:
            raise ValidationFailed(f"--item {i}: {text!r} is not SKU=QTY (e.g. TSHIRT-M=1)")
        sku, qty = match.group(1), int(match.group(2))
        if not 1 <= qty <= MAX_UNITS:
            raise ValidationFailed(f"--item {i}: {sku}: quantity must be 1 to {MAX_UNITS:,}")
        if sku.upper() in (known.upper() for known in items):
            raise ValidationFailed(f"--item {i}: {sku} is named twice; give its total once")
        items[sku] = qty
    return items


@command("return-create", "authorise a return (RMA) of a shipped order", configure=_create_args)
def cmd_return_create(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    view = authorise_return(
        db, actor, args.order_number, _items(args.item), args.reason, args.resolution
    )
    if args.json:
        emit_json(view.to_json())
        return 0
    print(f"{view.number} authorised for {view.order}: " + _units(view, received=False))
    return 0


def _receive_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "ref", help="RMA-100001, the order number or channel reference, or a tracking number"
    )
    p.add_argument(
        "--item",
        action="append",
        default=[],
        metavar="SKU=QTY:CONDITION:DISPOSITION[@LOCATION]",
        help="CONDITION sellable|opened|damaged|wrong_item; "
        "DISPOSITION restock|quarantine|scrap|vendor",
    )
    json_flag(p)


@command("return-receive", "receive a returned parcel", configure=_receive_args)
def cmd_return_receive(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    items = [parse_receipt_item(text, f"--item {i}") for i, text in enumerate(args.item, 1)]
    for item in items:
        if item.quantity > MAX_UNITS:
            raise ValidationFailed(f"{item.source}: quantity must be 1 to {MAX_UNITS:,}")
    result = receive_return(db, actor, args.ref, items)
    if args.json:
        emit_json(result.ret.to_json() | {"allocated": result.allocated})
        return 0
    view = result.ret
    print(f"{view.number} ({view.order}) {view.status}: {_units(view, received=True)}")
    if result.allocated:
        print(f"  restocked units allocated to {', '.join(result.allocated)}")
    if view.refunds:
        print(f"  refund {view.refund_total} {view.currency} {view.refund_status}")
    if view.exchange_order:
        print(f"  exchange order {view.exchange_order}")
    return 0


def _units(view: ReturnView, *, received: bool) -> str:
    return ", ".join(
        f"{line.qty_received if received else line.qty_authorised} x {line.sku}"
        + (f" of {line.qty_authorised}" if received else "")
        for line in view.lines
    )


def _show_args(p: argparse.ArgumentParser) -> None:
    _rma_arg(p)
    json_flag(p)


@command("show-return", "a return, its lines, receipts and refund", configure=_show_args)
def cmd_show_return(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    view = return_detail(db, args.rma)
    if args.json:
        emit_json(view.to_json())
        return 0
    kind = "unexpected return" if view.unexpected else f"{view.reason}, {view.resolution}"
    print(f"{view.number}  order {view.order}  {view.status}  ({kind})")
    for line in view.lines:
        print(
            f"  {line.sku:<14} {line.name[:32]:<32} authorised {line.qty_authorised} "
            f"received {line.qty_received}"
        )
        for r in line.receipts:
            print(
                f"    {r.quantity} {r.condition} -> {r.disposition} {r.location} "
                f"({r.username}@{r.station or '-'} {r.received_at:%Y-%m-%d %H:%M})"
            )
    for refund in view.refunds:
        by = f" by {refund.issued_by}" if refund.issued_by else ""
        print(
            f"  {refund.method} {refund.amount} {refund.currency} {refund.status}{by} "
            f"(goods {refund.goods}, fee {refund.fee}, shipping {refund.shipping})"
        )
    if view.exchange_order:
        print(f"  exchange order {view.exchange_order}")
    return 0


def _list_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--status", help="authorised, received, closed or cancelled")
    p.add_argument("--limit", type=at_least(1), default=200)
    json_flag(p)


@command("returns", "list returns, newest first", configure=_list_args)
def cmd_returns(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    rows = list_returns(db, status=args.status, limit=args.limit)
    if args.json:
        emit_json([row.to_json() for row in rows])
        return 0
    for row in rows:
        reason = row.reason or "(unexpected)"
        print(
            f"{row.number:<11} {row.order:<12} {row.status:<10} {reason:<17} "
            f"{row.units_received}/{row.units_authorised} {row.created_at:%Y-%m-%d} "
            f"{row.customer[:28]}"
        )
    return 0


@command("refund-issue", "mark a return's pending refund as issued", configure=_rma_arg)
def cmd_refund_issue(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    view = issue_refund(db, actor, args.rma)
    issued = [r for r in view.refunds if r.status == "issued"][-1]
    print(f"{view.number}: {issued.method} of {issued.amount} {issued.currency} issued")
    return 0


def _document_args(p: argparse.ArgumentParser) -> None:
    _rma_arg(p)
    p.add_argument("--format", choices=["pdf", "zpl"], default="pdf")
    p.add_argument("--out", required=True, type=Path, help="file to write")


@command("return-label", "write a return's label to a file", configure=_document_args)
def cmd_return_label(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    data = return_label(db, args.rma, args.format)
    write_file(args.out, data)
    print(f"wrote {args.out} ({len(data):,} bytes, {args.format})")
    return 0


def _slip_args(p: argparse.ArgumentParser) -> None:
    _rma_arg(p)
    p.add_argument("--out", required=True, type=Path, help="PDF file to write")


@command("return-slip", "write a return's slip (PDF) to a file", configure=_slip_args)
def cmd_return_slip(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    data = return_slip_pdf(db, args.rma)
    write_file(args.out, data)
    print(f"wrote {args.out} ({len(data):,} bytes, pdf)")
    return 0
