"""Reports written to the files the user named (whole or not at all, app.output_file)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from app.context import Actor
from app.output_file import write_file, write_text_file
from app.services.reports import NoData, Report, ReportQuery, run_report
from app.services.reports.export import to_csv, to_pdf
from db.engine import Database


def save_pdf(
    db: Database, actor: Actor, kinds: Iterable[str], query: ReportQuery, path: Path
) -> int:
    """One page per report; a report with nothing in the range gets a page saying so.
    Returns the number of pages."""
    pages: list[Report | tuple[str, str]] = []
    for kind in kinds:
        try:
            pages.append(run_report(db, actor, kind, query))
        except NoData as exc:
            pages.append((kind, str(exc)))
    write_file(path, to_pdf(pages))
    return len(pages)


def save_csv(db: Database, actor: Actor, kind: str, query: ReportQuery, path: Path) -> None:
    write_text_file(path, to_csv(run_report(db, actor, kind, query)))
