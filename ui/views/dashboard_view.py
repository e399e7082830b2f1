"""DashboardView: the supervisor's day as charts, with a range, filters and drill-down.

Every chart is a report from app.services.reports (the CLI's numbers), loaded on the
reader pool: the view paints at once with "Loading…" in each panel and fills them as
the answers arrive. A click on a bar asks for the orders behind it.
"""

from __future__ import annotations

import functools
from datetime import date, datetime
from pathlib import Path

from PySide6.QtCore import QDate, QElapsedTimer, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.domain.order_query import OrderQuery
from app.errors import OmsError
from app.services.reports import NoData, Report, ReportQuery, run_report
from app.services.reports.drill import (
    DRILL_LIMIT,
    DrillRow,
    drill_orders,
    filter_choices,
    queue_query,
)
from app.services.reports.files import save_csv, save_pdf
from app.services.reports.report import OrderSelection
from ui.context import UiContext
from ui.operations import QueryOp
from ui.status_style import local_time
from ui.widgets.elided_label import ElidedLabel
from ui.widgets.read_only_table_widget import ReadOnlyTableWidget
from ui.widgets.report_chart import ReportChartPanel

# kind -> panel title, in reading order (two per row).
PANELS = {
    "daily": "Received vs shipped per day",
    "hourly": "Received vs shipped per hour (last day)",
    "backlog": "Backlog by status and age",
    "late": "Late orders by channel",
    "cycle-times": "Cycle times (hours)",
    "stations": "Throughput per station and user",
    "stock-outs": "Stock-outs and backorders",
    "returns": "Returns by SKU",
    "return-reasons": "Returns by reason",
}
STALE_AFTER_MS = 5 * 60_000  # charts older than this are asked again when shown
SAVED_MESSAGE_MS = 10_000
ALL_WAREHOUSES = "All warehouses"
ALL_CHANNELS = "All channels"


class DashboardView(QWidget):
    order_opened = Signal(str)  # an order number chosen from a drill-down
    query_opened = Signal(object)  # OrderQuery: the drill-down's orders, in the Orders queue
    reports_loaded = Signal()  # every panel has its answer (data or a message)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._generation = 0
        self._pending = 0
        self._loaded_once = False
        self._last_refresh = QElapsedTimer()
        today = QDate.currentDate()
        self.from_edit = QDateEdit(today.addDays(-29))
        self.to_edit = QDateEdit(today)
        for edit in (self.from_edit, self.to_edit):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd MMM yyyy")
        self.warehouse_combo = QComboBox()
        self.channel_combo = QComboBox()
        for combo, everything in (
            (self.warehouse_combo, ALL_WAREHOUSES),
            (self.channel_combo, ALL_CHANNELS),
        ):
            combo.addItem(everything)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.refresh_button = QPushButton("Refresh")
        self.pdf_button = QPushButton("Save PDF…")
        self.reorder_button = QPushButton("Reorder CSV…")
        self.problem_label = QLabel()
        self.problem_label.setObjectName("problemBanner")
        self.problem_label.setWordWrap(True)
        self.problem_label.hide()
        self.saved_label = ElidedLabel(mode=Qt.TextElideMode.ElideMiddle)
        self.saved_label.setObjectName("muted")
        self.saved_label.hide()
        self.panels = {kind: ReportChartPanel(title) for kind, title in PANELS.items()}
        self.drill_title = QLabel("Click a bar to list the orders behind it.")
        self.drill_title.setObjectName("muted")
        self.drill_table = ReadOnlyTableWidget(["Order", "Status", "Channel", "Placed", "Ship by"])
        self.drill_table.setMinimumHeight(110)
        self.queue_button = QPushButton("Show in Orders")
        self.queue_button.setToolTip("Open these orders in the Orders queue, with its filters set")
        self.queue_button.hide()
        self.queue_button.clicked.connect(self._on_queue_button_clicked)
        self._drill_query: OrderQuery | None = None
        self.drill_table.hide()
        self.drill_table.cellDoubleClicked.connect(self._on_drill_table_double_clicked)
        self._lay_out()
        self.refresh_button.clicked.connect(self.refresh)
        self.pdf_button.clicked.connect(self._on_pdf_button_clicked)
        self.reorder_button.clicked.connect(self._on_reorder_button_clicked)
        for kind, panel in self.panels.items():
            panel.bar_clicked.connect(
                lambda row, series, kind=kind: self._on_panel_bar_clicked(kind, row, series)
            )

    def _lay_out(self) -> None:
        bar = QHBoxLayout()
        for text, edit in (("From", self.from_edit), ("to", self.to_edit)):
            bar.addWidget(QLabel(text))
            bar.addWidget(edit)
        bar.addWidget(self.warehouse_combo)
        bar.addWidget(self.channel_combo)
        bar.addWidget(self.refresh_button)
        bar.addStretch(1)
        bar.addWidget(self.saved_label)
        bar.addWidget(self.reorder_button)
        bar.addWidget(self.pdf_button)
        grid = QGridLayout()
        grid.setSpacing(10)
        for i, panel in enumerate(self.panels.values()):
            grid.addWidget(panel, i // 2, i % 2)
        charts = QWidget()
        charts.setLayout(grid)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(charts)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        layout.addLayout(bar)
        layout.addWidget(self.problem_label)
        splitter = self.splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(scroll)
        drill = QWidget()
        drill_layout = QVBoxLayout(drill)
        drill_layout.setContentsMargins(0, 4, 0, 0)
        drill_head = QHBoxLayout()
        drill_head.addWidget(self.drill_title, 1)
        drill_head.addWidget(self.queue_button)
        drill_layout.addLayout(drill_head)
        drill_layout.addWidget(self.drill_table, 1)
        splitter.addWidget(drill)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout.addWidget(splitter, 1)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._loaded_once:
            self._loaded_once = True
            QueryOp(self, self._ctx, filter_choices).success(self._on_choices_loaded).run()
            self.refresh()
        elif self._last_refresh.hasExpired(STALE_AFTER_MS):
            self.refresh()  # back to the dashboard after a while: today has moved on

    def query(self) -> ReportQuery:
        def chosen(combo: QComboBox) -> str | None:
            return None if combo.currentIndex() <= 0 else combo.currentText()

        return ReportQuery(
            start=_day(self.from_edit.date()),
            end=_day(self.to_edit.date()),
            warehouse=chosen(self.warehouse_combo),
            channel=chosen(self.channel_combo),
        )

    def set_range(self, start: date, end: date) -> None:
        self.from_edit.setDate(QDate(start.year, start.month, start.day))
        self.to_edit.setDate(QDate(end.year, end.month, end.day))

    def refresh(self) -> None:
        """Ask for every chart again; answers of an older request are dropped."""
        self._last_refresh.start()
        self._generation += 1
        generation = self._generation
        self._pending = len(self.panels)
        query = self.query()
        self.problem_label.hide()
        for kind, panel in self.panels.items():
            panel.show_message("Loading…")
            QueryOp(self, self._ctx, run_report, self._ctx.actor, kind, query).success(
                functools.partial(self._on_report, generation, panel)
            ).failure(functools.partial(self._on_failure, generation, panel)).run()

    def _on_choices_loaded(self, choices: tuple[list[str], list[str]]) -> None:
        for combo, codes in zip((self.warehouse_combo, self.channel_combo), choices, strict=True):
            current = combo.currentText()
            combo.blockSignals(True)
            while combo.count() > 1:  # item 0 is "All ..."
                combo.removeItem(1)
            combo.addItems(codes)
            combo.setCurrentText(current)
            combo.blockSignals(False)

    def _on_report(self, generation: int, panel: ReportChartPanel, report: Report) -> None:
        if generation == self._generation:
            panel.show_report(report)
            self._answered()

    def _on_failure(self, generation: int, panel: ReportChartPanel, exc: Exception) -> None:
        if generation != self._generation:
            return
        if isinstance(exc, NoData):
            text = str(exc)
            panel.show_message(f"{text[:1].upper()}{text[1:]}.")  # said, not drawn
        elif isinstance(exc, OmsError):
            # A bad range or filter is the same for every panel: say it once, on top.
            panel.show_message("No chart for this range.")
            self.problem_label.setText(f"Cannot report: {exc}.")
            self.problem_label.show()
        else:
            panel.show_message(f"Could not load: {exc}")
        self._answered()

    def _answered(self) -> None:
        self._pending -= 1
        if self._pending == 0:
            self.reports_loaded.emit()

    def _on_panel_bar_clicked(self, kind: str, row: int, series: str) -> None:
        report = self.panels[kind].report
        selection = report.selection(row, series) if report else None
        if selection is not None:
            self.open_selection(selection)

    def open_selection(self, selection: OrderSelection) -> None:
        """List the orders behind a bar under the charts; double-click opens one."""
        self.drill_title.setText(f"{selection.title}: loading…")
        self._drill_query = queue_query(selection)
        self.queue_button.setVisible(self._drill_query is not None)
        QueryOp(self, self._ctx, drill_orders, selection).success(
            functools.partial(self._on_drill_loaded, selection.title)
        ).run()

    def _on_drill_loaded(self, title: str, rows: list[DrillRow]) -> None:
        more = " (the first 1,000)" if len(rows) >= DRILL_LIMIT else ""
        self.drill_title.setText(
            f"{title}: {len(rows):,} order{'' if len(rows) == 1 else 's'}{more}"
            " - double-click one to open it in the Orders queue"
        )
        self.drill_table.set_rows(
            [
                [row.number, row.status, row.channel, _when(row.placed_at), _when(row.ship_by)]
                for row in rows
            ]
        )
        if self.drill_table.isHidden():
            self.drill_table.show()
            total = sum(self.splitter.sizes())
            self.splitter.setSizes([total * 3 // 4, total - total * 3 // 4])

    def _on_queue_button_clicked(self) -> None:
        if self._drill_query is not None:
            self.query_opened.emit(self._drill_query)

    def _on_drill_table_double_clicked(self, row: int, _column: int) -> None:
        item = self.drill_table.item(row, 0)
        if item is not None:
            self.order_opened.emit(item.text())

    def _on_pdf_button_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the reports as PDF", "shipshape-reports.pdf", "PDF (*.pdf)"
        )
        if path:
            QueryOp(
                self, self._ctx, save_pdf, self._ctx.actor, list(PANELS), self.query(), Path(path)
            ).success(lambda _none: self._say(path)).run()

    def _on_reorder_button_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the reorder suggestions", "replenishment.csv", "CSV (*.csv)"
        )
        if path:
            QueryOp(
                self,
                self._ctx,
                save_csv,
                self._ctx.actor,
                "replenishment",
                self.query(),
                Path(path),
            ).success(lambda _none: self._say(path)).run()

    def _say(self, path: str) -> None:
        """'Saved NAME' beside the buttons (the whole path in its tooltip, to keep the
        bar within a small screen); on a 1024-pixel screen that bar has no room left, so the
        window's status bar says it too."""
        self.saved_label.setText(f"Saved {Path(path).name}")
        self.saved_label.setToolTip(path)
        self.saved_label.show()
        if isinstance(window := self.window(), QMainWindow):
            window.statusBar().showMessage(f"Saved {path}", SAVED_MESSAGE_MS)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _when(moment: datetime | None) -> str:
    """Local time of this computer, as the rest of the desk shows times."""
    return "" if moment is None else local_time(moment)
