"""`report` on the command line counts what `stats` and the report services count, on
the hand-made week of tests/services/reports/history.py (SQLite and PostgreSQL)."""

from __future__ import annotations

import json
from pathlib import Path

import pypdfium2
import pytest

from app.cli import run
from app.services.reports import KINDS
from db.engine import Database
from tests.services.reports.history import DAILY_WEEK, build


def url(db: Database) -> str:
    return db.url.render_as_string(hide_password=False)


def cli_json(capsys: pytest.CaptureFixture[str], db: Database, *args: str) -> object:
    capsys.readouterr()
    assert run(["--db", url(db), *args]) == 0
    return json.loads(capsys.readouterr().out)


def test_report_daily_json_is_a_list_of_days_and_the_backlog_agrees_with_stats(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    build(db)
    days = cli_json(
        capsys,
        db,
        "report",
        "daily",
        "--from",
        "2026-10-24",
        "--to",
        "2026-10-26",
        "--format",
        "json",
    )
    assert days == DAILY_WEEK
    stats = cli_json(capsys, db, "stats", "--json")
    backlog = cli_json(capsys, db, "report", "backlog", "--format", "json")
    assert isinstance(stats, dict) and isinstance(backlog, list)
    assert {row["status"]: row["total"] for row in backlog} == {
        status: count
        for status, count in stats["orders_by_status"].items()
        if count and status not in ("shipped", "delivered", "cancelled")
    }
    to_today = cli_json(capsys, db, "report", "daily", "--from", "2026-10-24", "--format", "json")
    assert isinstance(to_today, list)
    assert to_today[-1]["backlog"] == sum(row["total"] for row in backlog)


def test_report_csv_and_the_pdf_pack(
    db: Database, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    build(db)
    capsys.readouterr()
    assert (
        run(
            [
                "--db",
                db.url,
                "report",
                "stations",
                "--from",
                "2026-10-24",
                "--to",
                "2026-10-26",
                "--format",
                "csv",
            ]
        )
        == 0
    )
    assert capsys.readouterr().out.splitlines() == [
        "Station,User,Orders picked,Orders packed,Scans,Rejected,Typed by hand,Accuracy %",
        "pack-1,ben,0,2,4,0,1,100",
        "pick-1,anna,2,0,5,1,0,80",
    ]
    out = tmp_path / "weekly.pdf"
    assert (
        run(
            [
                "--db",
                db.url,
                "report",
                "all",
                "--format",
                "pdf",
                "--out",
                str(out),
                "--from",
                "2026-10-24",
                "--to",
                "2026-10-26",
            ]
        )
        == 0
    )
    pdf = pypdfium2.PdfDocument(str(out))
    assert len(pdf) == len(KINDS)  # one page per report
    first = pdf[0].get_textpage().get_text_range()
    assert "Orders received and shipped per day" in first and "2026-10-25" in first
    pdf.close()
