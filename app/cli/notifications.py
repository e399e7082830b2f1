"""Telling customers: send-notifications, outbox and import-tracking."""

from __future__ import annotations

import argparse
import os
import socket
import sys
import time
from collections.abc import Mapping
from pathlib import Path

from app.cli.registry import at_least, command, emit_json, json_flag
from app.context import Actor
from app.emails.transport import mail_config
from app.imports.tracking import read_tracking_file
from app.services.email_sender import SendReport, send_pass
from app.services.outbox import list_outbox, preview_message, resend_message
from app.services.settings import effective_settings
from app.services.tracking import import_tracking
from db.engine import Database
from db.uow import read

MAX_INTERVAL_S = 3600


def _send_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--once", action="store_true", help="send what is due now, then stop")
    p.add_argument(
        "--interval",
        type=at_least(1, MAX_INTERVAL_S),
        default=15,
        help="seconds between passes when running on (default 15)",
    )


def _summary(report: SendReport) -> str:
    return f"sent {report.sent}, retrying {report.retrying}, failed {report.failed}"


def _one_pass(
    db: Database, actor: Actor, worker: str, settings: Mapping[str, str] | None = None
) -> SendReport:
    report = send_pass(db, actor, worker=worker, settings=settings)
    for failure in report.failures:
        print(f"failed {failure}")
    return report


@command("send-notifications", "drain the e-mail outbox (SMTP or folder)", configure=_send_args)
def cmd_send_notifications(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    settings = read(db, effective_settings)
    config = mail_config(settings)  # a bad SHIPSHAPE_SMTP stops here
    worker = f"{socket.gethostname()}:{os.getpid()}"
    if args.once:
        report = _one_pass(db, actor, worker, settings)  # the settings just read
        print(f"{_summary(report)} via {config.describe()}")
        if report.server_down:
            print(f"error: {report.server_down}; the messages wait", file=sys.stderr)
            return 1
        return 0
    print(f"sending via {config.describe()} every {args.interval} s; Ctrl-C stops")
    try:
        while True:
            report = _one_pass(db, actor, worker)
            if report.sent or report.failed or report.retrying:
                print(_summary(report), flush=True)
            if report.server_down:
                print(f"waiting: {report.server_down}", file=sys.stderr, flush=True)
            time.sleep(args.interval)
    except KeyboardInterrupt:
        print("stopped")
        return 0


def _outbox_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--status", choices=["pending", "sending", "sent", "failed"])
    p.add_argument("--order", help="only this order's messages (SO-100001)")
    p.add_argument("--limit", type=at_least(1, 10_000), default=100)
    p.add_argument("--show", type=at_least(1), metavar="ID", help="one message in full")
    p.add_argument(
        "--resend", type=at_least(1), metavar="ID", help="send message ID again (a new message)"
    )
    json_flag(p)


@command("outbox", "customer e-mails: list, show one, resend one", configure=_outbox_args)
def cmd_outbox(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    if args.resend:
        new_id = resend_message(db, actor, args.resend)
        print(f"e-mail #{args.resend} queued again as #{new_id}")
        return 0
    if args.show:
        preview = preview_message(db, args.show)
        if args.json:
            emit_json(
                {
                    **preview.entry.to_json(),
                    "message_id": preview.message_id,
                    "from": preview.sender,
                    "to": preview.recipient,
                    "text": preview.text,
                    "html": preview.html,
                    "attachments": list(preview.attachments),
                }
            )
            return 0
        entry = preview.entry
        head = [
            f"#{entry.id} {entry.template} for {entry.order or '-'}: {entry.status}",
            f"From: {preview.sender}",
            f"To: {preview.recipient}",
            f"Subject: {entry.subject}",
            f"Message-ID: {preview.message_id}",
        ]
        if entry.last_error:
            head.append(f"Last error: {entry.last_error}")
        if preview.attachments:
            head.append(f"Attachments: {', '.join(preview.attachments)}")
        for line in [*head, "", *preview.text.splitlines()]:
            print(line)  # one write per line: the terminal filter keeps only its newline
        return 0
    entries = list_outbox(db, status=args.status, order=args.order, limit=args.limit)
    if args.json:
        emit_json([entry.to_json() for entry in entries])
        return 0
    if not entries:
        print("no e-mails" + (f" {args.status}" if args.status else ""))
    for e in entries:
        when = (e.sent_at or e.created_at).strftime("%Y-%m-%d %H:%M")
        problem = f"  ({e.last_error})" if e.last_error and e.status != "sent" else ""
        print(
            f"#{e.id:<6} {e.status:<8} {when}  {e.order or '-':<12} {e.template:<17} "
            f"{e.to_addr}{problem}"
        )
    return 0


def _tracking_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path, help="CSV or JSON: tracking_number, event, time, location")
    p.add_argument("--format", choices=["csv", "json"], help="default: from the file name")


@command("import-tracking", "carrier events: delivered, in transit ...", configure=_tracking_args)
def cmd_import_tracking(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    events = read_tracking_file(args.file, args.format)
    done = import_tracking(db, actor, events, source=args.file.name)
    print(
        f"{args.file.name}: {done.recorded} events recorded, {done.already_known} already known; "
        f"{len(done.delivered_shipments)} parcels delivered, "
        f"{len(done.delivered_orders)} orders delivered"
    )
    return 0
