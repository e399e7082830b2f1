"""ReportChartPanel: one report drawn as a Qt chart, or a sentence saying why it is not.

Bars come from the report's `chart` (series against categories); a click on a bar
emits `bar_clicked(row, series_key)` for the drill-down to the orders behind it.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QCategoryAxis,
    QChart,
    QChartView,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QFrame, QLabel, QStackedWidget, QVBoxLayout, QWidget

from app.services.reports import Report
from app.services.reports.export import category_label

SERIES_COLOURS = ("#2563eb", "#16a34a", "#dc2626", "#d97706", "#7c3aed")
MAX_BARS = 31  # beyond that the labels run into each other; the table has the rest
TIME_AXES = ("date", "hour")  # categories read as a time line: a few labels suffice


class ReportChartPanel(QFrame):
    bar_clicked = Signal(int, str)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumHeight(270)
        self.title_label = QLabel(title)
        self.title_label.setObjectName("panelTitle")
        self.title_label.setStyleSheet("font-weight: 600; font-size: 14px;")
        self.period_label = QLabel()
        self.period_label.setObjectName("muted")
        self.message_label = QLabel("Loading…")
        self.message_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message_label.setWordWrap(True)
        self.chart = QChart()
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.chart_view = QChartView(self.chart)
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.message_label)
        self.pages.addWidget(self.chart_view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(2)
        layout.addWidget(self.title_label)
        layout.addWidget(self.period_label)
        layout.addWidget(self.pages, 1)
        self.report: Report | None = None
        self.bar_sets: dict[str, QBarSet] = {}

    def show_message(self, text: str) -> None:
        """Loading, an empty range or a refused filter: words, not an empty chart."""
        self.report = None
        self.period_label.clear()
        self.message_label.setText(text)
        self.pages.setCurrentWidget(self.message_label)

    def show_report(self, report: Report) -> None:
        self.report = report
        self.period_label.setText(report.period)
        for axis in self.chart.axes():
            self.chart.removeAxis(axis)
            axis.deleteLater()
        self.chart.removeAllSeries()
        rows = report.rows[:MAX_BARS]
        series = QStackedBarSeries() if report.chart.style == "stacked" else QBarSeries()
        titles = {c.key: c.title for c in report.columns}
        self.bar_sets = {}
        for i, key in enumerate(report.chart.series):
            bar_set = QBarSet(titles[key])
            bar_set.setColor(QColor(SERIES_COLOURS[i % len(SERIES_COLOURS)]))
            bar_set.append([float(row[key] or 0) for row in rows])
            bar_set.clicked.connect(lambda index, key=key: self.bar_clicked.emit(index, key))
            series.append(bar_set)
            self.bar_sets[key] = bar_set
        self.chart.addSeries(series)
        categories = QBarCategoryAxis()
        many = len(rows) > 10
        labels = [_short(category_label(report, row)) for row in rows]
        categories.append(labels)
        if many and report.chart.category in TIME_AXES:
            # A month of days or a day of hours: four labels on a second axis, as every
            # bar's own label would be cut to "…" (hours without their zone, for room).
            categories.setLabelsVisible(False)
            sparse = QCategoryAxis()
            sparse.setLabelsPosition(QCategoryAxis.AxisLabelsPosition.AxisLabelsPositionOnValue)
            sparse.setRange(-0.5, len(rows) - 0.5)
            sparse.setStartValue(-0.5)
            for i in range(0, len(rows), -(-len(rows) // 4)):
                sparse.append(
                    labels[i].split(" ")[0] if report.chart.category == "hour" else labels[i], i
                )
            sparse.setGridLineVisible(False)
            self.chart.addAxis(sparse, Qt.AlignmentFlag.AlignBottom)
            series.attachAxis(sparse)
        categories.setLabelsAngle(-45 if many and report.chart.category not in TIME_AXES else 0)
        font = categories.labelsFont()
        font.setPointSizeF(font.pointSizeF() * (0.75 if many else 0.85))
        categories.setLabelsFont(font)
        self.chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(categories)
        values = QValueAxis()
        values.setLabelFormat("%g")
        values.setTitleText(report.chart.unit)
        self.chart.addAxis(values, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(values)
        if any(bar_set.sum() for bar_set in self.bar_sets.values()):
            values.applyNiceNumbers()
        else:
            values.setRange(0, 1)  # all zero: Qt would compute a range of NaN
        self.chart.legend().setVisible(len(report.chart.series) > 1)
        self.pages.setCurrentWidget(self.chart_view)
        hidden = len(report.rows) - len(rows)
        if hidden:
            self.period_label.setText(f"{report.period} · first {len(rows)} of {len(report.rows)}")


def _short(text: str) -> str:
    """Dates as 'dd Mon' read better on an axis than ISO; other labels cut to fit."""
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        return f"{date.fromisoformat(text):%d %b}"
    return text if len(text) <= 20 else text[:19] + "…"
