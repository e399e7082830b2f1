"""The audit viewer: who did what, where and when, filtered by user, order, action,
station and time; exported as CSV; and scan accuracy per user from the scan log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.errors import OmsError
from app.output_file import write_text_file
from app.services.audit_trail import (
    AuditLine,
    AuditQuery,
    ScanAccuracy,
    audit_actions,
    audit_csv,
    audit_trail,
    scan_accuracy,
)
from app.wording import counted
from ui.context import UiContext
from ui.operations import QueryOp
from ui.views.feedback_banner import FeedbackBanner
from ui.widgets.read_only_table_widget import ReadOnlyTableWidget

COLUMNS = ("Time (UTC)", "User", "Station", "Subject", "Action", "From", "To", "Reason")
ACCURACY_COLUMNS = ("User", "Scans", "Refused", "Typed", "Accuracy")
ANY_ACTION = "(any action)"


class AuditView(QWidget):
    """Filters on top, the trail below, scan accuracy beside it."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditPage")
        self._ctx = ctx
        self.lines: list[AuditLine] = []
        self.user_edit = self._filter_edit("auditUser", "user name")
        self.order_edit = self._filter_edit("auditOrder", "order number or reference")
        self.station_edit = self._filter_edit("auditStation", "station")
        self.action_box = QComboBox()
        self.action_box.setObjectName("auditAction")
        self.action_box.addItem(ANY_ACTION)
        self.use_dates = QCheckBox("Between")
        self.use_dates.setObjectName("auditUseDates")
        today = QDate.currentDate()
        self.from_date = self._date_edit("auditFrom", today.addDays(-7))
        self.to_date = self._date_edit("auditTo", today)
        self.show_button = QPushButton("Show")
        self.show_button.setObjectName("auditShow")
        self.show_button.setDefault(True)
        self.export_button = QPushButton("Export CSV...")
        self.export_button.setObjectName("auditExport")
        self.banner = FeedbackBanner(self)
        self.table = ReadOnlyTableWidget(COLUMNS, stretch=len(COLUMNS) - 1)
        self.table.setObjectName("auditTable")
        self.accuracy = ReadOnlyTableWidget(ACCURACY_COLUMNS, numeric=range(1, 5), stretch=0)
        self.accuracy.setObjectName("scanAccuracyTable")
        self.count_label = QLabel("")
        self._lay_out()
        self.show_button.clicked.connect(self.refresh)
        self.export_button.clicked.connect(self._export)
        for edit in (self.user_edit, self.order_edit, self.station_edit):
            edit.returnPressed.connect(self.refresh)
        QueryOp(self, ctx, audit_actions, ctx.actor).success(self._on_actions).failure(
            self.banner.show_refusal
        ).run()
        self.refresh()

    def query(self) -> AuditQuery:
        """What the filters ask for; dates are whole days, UTC."""
        action = self.action_box.currentText()
        start = end = None
        if self.use_dates.isChecked():
            start = _midnight(self.from_date.date())
            end = _midnight(self.to_date.date()) + timedelta(days=1)
        return AuditQuery(
            user=self.user_edit.text() or None,
            order=self.order_edit.text() or None,
            action=None if action == ANY_ACTION else action,
            station=self.station_edit.text() or None,
            start=start,
            end=end,
        )

    def refresh(self) -> None:
        query = self.query()
        actor = self._ctx.actor
        QueryOp(self, self._ctx, audit_trail, actor, query).success(self._on_lines).failure(
            self.banner.show_refusal
        ).run()
        QueryOp(self, self._ctx, scan_accuracy, actor, query.start, query.end).success(
            self._on_accuracy
        ).failure(self.banner.show_refusal).run()

    def _on_actions(self, actions: list[str]) -> None:
        for action in actions:
            self.action_box.addItem(action)

    def _on_lines(self, lines: list[AuditLine]) -> None:
        self.banner.hide()
        self.lines = lines
        self.table.set_rows(
            [line.cells() for line in lines], row_tips=[line.details for line in lines]
        )
        self.count_label.setText(counted(len(lines), "event"))

    def _on_accuracy(self, rows: list[ScanAccuracy]) -> None:
        self.accuracy.set_rows(
            [
                (
                    entry.username,
                    str(entry.scans),
                    str(entry.rejected),
                    str(entry.manual),
                    f"{entry.accuracy:.1%}",
                )
                for entry in rows
            ]
        )

    def _export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, "Export the audit trail", "audit.csv", "CSV (*.csv)"
        )
        if name:
            self.export_to(Path(name))

    def export_to(self, path: Path) -> None:
        """The lines shown, as CSV no spreadsheet runs as formulas."""
        try:
            write_text_file(path, audit_csv(self.lines))
        except OmsError as exc:  # a refused path: told in the banner
            self.banner.show_refusal(exc)
            return
        self.banner.show_ok(f"{len(self.lines)} events written to {path}")

    def _filter_edit(self, name: str, hint: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setPlaceholderText(hint)
        edit.setClearButtonEnabled(True)
        return edit

    def _date_edit(self, name: str, value: QDate) -> QDateEdit:
        edit = QDateEdit(value)
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    def _lay_out(self) -> None:
        filters = QGridLayout()
        filters.addWidget(QLabel("User"), 0, 0)
        filters.addWidget(self.user_edit, 0, 1)
        filters.addWidget(QLabel("Order"), 0, 2)
        filters.addWidget(self.order_edit, 0, 3)
        filters.addWidget(QLabel("Action"), 0, 4)
        filters.addWidget(self.action_box, 0, 5)
        filters.addWidget(QLabel("Station"), 1, 0)
        filters.addWidget(self.station_edit, 1, 1)
        dates = QHBoxLayout()
        dates.addWidget(self.use_dates)
        dates.addWidget(self.from_date)
        dates.addWidget(QLabel("and"))
        dates.addWidget(self.to_date)
        filters.addLayout(dates, 1, 2, 1, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.show_button)
        buttons.addWidget(self.export_button)
        filters.addLayout(buttons, 1, 4, 1, 2)
        right = QWidget()
        side = QVBoxLayout(right)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(QLabel("Scan accuracy per user"))
        side.addWidget(self.accuracy)
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.banner)
        layout.addWidget(self.count_label)
        layout.addWidget(split, 1)


def _midnight(day: QDate) -> datetime:
    return datetime(day.year(), day.month(), day.day(), tzinfo=UTC)
