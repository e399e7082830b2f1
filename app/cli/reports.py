"""`report KIND`: the supervisor's reports as a table, CSV, JSON or PDF pages."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.registry import command
from app.context import Actor
from app.errors import ValidationFailed
from app.output_file import write_text_file
from app.services.reports import KINDS, Report, ReportQuery, run_report
from app.services.reports.export import cell_text, to_csv, to_json
from app.services.reports.files import save_pdf
from app.services.reports.period import parse_date
from db.engine import Database

ALL = "all"


def _service_level(text: str) -> float:
    try:
        value = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a service level (e.g. 0.95 or 95%)"
        ) from None
    if not 0.5 <= value < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: a service level is from 50% up to 99.9%")
    return value


def _lead_time(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 365:
        raise argparse.ArgumentTypeError(f"{text[:20]!r}: a lead time is 1 to 365 days")
    return int(text)


def _args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "kind",
        choices=[*KINDS, ALL],
        metavar="KIND",
        help=f"one of {', '.join(KINDS)}; {ALL} = every report (PDF only)",
    )
    p.add_argument(
        "--from",
        dest="start",
        metavar="DATE",
        help="first day, YYYY-MM-DD (default: 30 days before --to)",
    )
    p.add_argument("--to", dest="end", metavar="DATE", help="last day (default: today)")
    p.add_argument("--format", choices=["table", "csv", "json", "pdf"], default="table")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of the terminal")
    p.add_argument("--warehouse", metavar="CODE", help="only this warehouse's orders")
    p.add_argument("--channel", metavar="CODE", help="only this channel's orders")
    p.add_argument(
        "--lead-time",
        type=_lead_time,
        default=7,
        metavar="DAYS",
        help="replenishment: supplier lead time in days (default 7)",
    )
    p.add_argument(
        "--service-level",
        type=_service_level,
        default=0.95,
        metavar="LEVEL",
        help="replenishment: chance of not running out, e.g. 0.95 or 98%%",
    )


@command(
    "report",
    "daily, cycle-times, stations, returns, stock-outs, replenishment ...",
    configure=_args,
)
def cmd_report(db: Database, actor: Actor, args: argparse.Namespace) -> int:
    query = ReportQuery(
        start=parse_date(args.start, "--from") if args.start else None,
        end=parse_date(args.end, "--to") if args.end else None,
        warehouse=args.warehouse,
        channel=args.channel,
        lead_time_days=args.lead_time,
        service_level=args.service_level,
    )
    if args.format == "pdf":
        if not args.out:
            raise ValidationFailed("a PDF report needs --out FILE")
        kinds = list(KINDS) if args.kind == ALL else [args.kind]
        pages = save_pdf(db, actor, kinds, query, Path(args.out))
        print(f"wrote {pages} page{'s' if pages > 1 else ''} to {args.out}")
        return 0
    if args.kind == ALL:
        raise ValidationFailed(f"{ALL} makes a PDF pack: add --format pdf --out FILE")
    report = run_report(db, actor, args.kind, query)
    text = {"csv": to_csv, "json": to_json, "table": _table}[args.format](report)
    if args.out:
        write_text_file(Path(args.out), text)
    else:
        for line in text.splitlines():  # the terminal filter keeps one newline per write
            print(line)
    return 0


def _table(report: Report) -> str:
    cells = [[c.title for c in report.columns]] + [
        [cell_text(row[c.key], c) for c in report.columns] for row in report.rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(report.columns))]
    lines = [report.title, report.period, ""]
    for row in cells:
        lines.append(
            "  ".join(text.ljust(width) for text, width in zip(row, widths, strict=True)).rstrip()
        )
    lines.extend(f"note: {note}" for note in report.notes)
    return "\n".join(lines) + "\n"
