"""A report as the buyer's CSV, JSON for tools, or PDF pages for the weekly meeting.

The PDF gives each report one landscape A4 page: title and range, a bar chart of the
chart's series, the table (the first rows that fit, with a line saying how many more
the CSV holds) and the notes that explain the figures.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, SimpleDocTemplate, Spacer, Table

from app.documents.fonts import REGULAR, register_fonts
from app.documents.sheets import GRID, HEADING, SMALL, TITLE, para
from app.imports.common import spreadsheet_safe
from app.services.reports.report import Report, ReportColumn

PAGE = landscape(A4)
MARGIN = 12 * mm
TABLE_ROWS = 15  # what fits under the chart on one page
SERIES_COLOURS = (
    colors.HexColor("#2563eb"),
    colors.HexColor("#16a34a"),
    colors.HexColor("#dc2626"),
    colors.HexColor("#d97706"),
    colors.HexColor("#7c3aed"),
)


def cell_text(value: Any, column: ReportColumn) -> str:
    """A value as a person reads it in a table or CSV."""
    if value is None:
        return ""
    if column.kind == "date":
        return value.isoformat() if hasattr(value, "isoformat") else str(value)
    if column.kind in ("percent", "hours", "days", "number") and isinstance(value, float):
        return f"{value:g}"
    return str(value)


def category_label(report: Report, row: dict[str, Any]) -> str:
    keys = (
        (report.chart.category,)
        if isinstance(report.chart.category, str)
        else report.chart.category
    )
    columns = {c.key: c for c in report.columns}
    return " · ".join(cell_text(row[key], columns[key]) for key in keys)


def to_csv(report: Report) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow([c.title for c in report.columns])
    for row in report.rows:
        writer.writerow([spreadsheet_safe(cell_text(row[c.key], c)) for c in report.columns])
    return out.getvalue()


def to_json(report: Report) -> str:
    return json.dumps(report.json_rows(), ensure_ascii=False, indent=2) + "\n"


def to_pdf(reports: Sequence[Report | tuple[str, str]]) -> bytes:
    """One page per report; a (title, message) pair is a page saying why it is empty."""
    register_fonts()
    story: list[Flowable] = []
    for index, item in enumerate(reports):
        if index:
            story.append(PageBreak())
        story.extend(_page(item) if isinstance(item, Report) else _empty_page(*item))
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title="Shipshape reports",
        author="Shipshape",
    ).build(story)
    return buffer.getvalue()


def _empty_page(title: str, message: str) -> list[Flowable]:
    return [para(title, TITLE), Spacer(0, 6 * mm), para(message.capitalize(), HEADING)]


def _page(report: Report) -> list[Flowable]:
    width = PAGE[0] - 2 * MARGIN
    shown = report.rows[:TABLE_ROWS]
    body = [[para(c.title, SMALL) for c in report.columns]]
    body += [[para(cell_text(row[c.key], c), SMALL) for c in report.columns] for row in shown]
    story: list[Flowable] = [
        para(report.title, TITLE),
        para(report.period, SMALL),
        Spacer(0, 3 * mm),
        _chart(report, width),
        Spacer(0, 3 * mm),
        Table(body, repeatRows=1, style=GRID, hAlign="LEFT"),
    ]
    if len(report.rows) > len(shown):
        story.append(para(f"… and {len(report.rows) - len(shown)} more rows in the CSV", SMALL))
    story.extend(para(note, SMALL) for note in report.notes)
    return story


def _chart(report: Report, width: float) -> Drawing:
    height = 62 * mm
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 12 * mm, 14 * mm
    chart.width, chart.height = width - 60 * mm, height - 20 * mm
    rows = report.rows[:40]
    chart.data = [[float(row[s] or 0) for row in rows] for s in report.chart.series]
    chart.categoryAxis.categoryNames = [category_label(report, row)[:22] for row in rows]
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 6
    chart.categoryAxis.labels.angle = 30 if len(rows) > 8 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(rows) > 8 else "n"
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.categoryAxis.style = "stacked" if report.chart.style == "stacked" else "parallel"
    titles = {c.key: c.title for c in report.columns}
    legend = Legend()
    legend.x, legend.y = width - 44 * mm, height - 10 * mm
    legend.fontName = REGULAR
    legend.fontSize = 7
    legend.colorNamePairs = []
    for i, series in enumerate(report.chart.series):
        colour = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        chart.bars[i].fillColor = colour
        chart.bars[i].strokeColor = None
        legend.colorNamePairs.append((colour, titles[series]))
    drawing.add(chart)
    drawing.add(legend)
    return drawing
