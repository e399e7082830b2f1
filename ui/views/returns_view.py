"""ReturnsView: the desk's returns - status, age, reason, units and refund - with the
selected return in full and Issue refund (who issued it is recorded)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.domain.returns import reason_label
from app.services.refunds import issue_refund
from app.services.return_documents import save_return_documents
from app.services.return_views import ReturnRow, ReturnView, list_returns, return_detail
from app.wording import counted
from ui.context import UiContext
from ui.operations import DbOp, QueryOp
from ui.status_style import local_time
from ui.views.action_style import ACTION_BUTTON_STYLE
from ui.views.feedback_banner import FeedbackBanner
from ui.widgets.read_only_table_widget import ReadOnlyTableWidget

FILTERS = (
    ("All returns", None),
    ("Expected", "authorised"),
    ("Partly received", "received"),
    ("Closed", "closed"),
)
COLUMNS = ("Return", "Order", "Customer", "Status", "Reason", "Wants", "Units", "Age", "Refund")


def age_text(created: datetime, now: datetime) -> str:
    days = (now - created).days
    return "today" if days < 1 else f"{days} d"


def refund_text(row: ReturnRow) -> str:
    if row.refund_amount is None:
        return ""
    return f"{row.refund_amount} {'pending' if row.refund_pending else 'issued'}"


def detail_text(view: ReturnView) -> str:
    kind = (
        "unexpected (no RMA)"
        if view.unexpected
        else f"{reason_label(view.reason)}, {view.resolution}"
    )
    lines = [f"{view.number}  order {view.order}  {view.customer}  {view.status}  ({kind})"]
    for line in view.lines:
        lines.append(
            f"  {line.sku}  {line.name}: authorised {line.qty_authorised}, "
            f"received {line.qty_received}"
        )
        lines += [
            f"      {r.quantity} {r.condition.replace('_', ' ')} -> {r.disposition} "
            f"{r.location}  ({r.username} at {r.station or '-'}, "
            f"{local_time(r.received_at, '%Y-%m-%d %H:%M')})"
            for r in line.receipts
        ]
    for refund in view.refunds:
        by = f" by {refund.issued_by}" if refund.issued_by else ""
        lines.append(
            f"  {refund.method} {refund.amount} {refund.currency} {refund.status}{by}  "
            f"(goods {refund.goods}, fee {refund.fee}, shipping {refund.shipping})"
        )
    if view.exchange_order:
        lines.append(f"  exchange order {view.exchange_order}")
    return "\n".join(lines)


class ReturnsView(QWidget):
    """Newest returns first, filtered by status; the selected one below in full."""

    def __init__(
        self,
        ctx: UiContext,
        parent: QWidget | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._clock = clock
        self.rows: list[ReturnRow] = []
        self.banner = FeedbackBanner()
        self.filter_box = QComboBox()
        for text, status in FILTERS:
            self.filter_box.addItem(text, status)
        self.filter_box.currentIndexChanged.connect(self.refresh)
        self.count_label = QLabel()
        self.count_label.setObjectName("muted")
        self.table = ReadOnlyTableWidget(COLUMNS, stretch=len(COLUMNS) - 1)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.currentCellChanged.connect(self._on_table_current_cell_changed)
        self.detail_view = QPlainTextEdit()
        self.detail_view.setReadOnly(True)
        self.toolbar = QToolBar()
        self.toolbar.setStyleSheet(ACTION_BUTTON_STYLE)
        self.refresh_action = self._action("Refresh", "F5", self.refresh)
        self.refund_action = self._action("Issue refund", "Ctrl+I", self._on_refund_triggered)
        self.refund_action.setEnabled(False)
        self.documents_action = self._action(
            "Save label and slip…", "Ctrl+S", self._on_documents_triggered
        )
        self.documents_action.setEnabled(False)
        self._lay_out()
        ctx.hub.changes_applied.connect(self.refresh)
        self.refresh()

    def _action(self, text: str, keys: str, slot: Callable[[], None]) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.toolbar.addAction(action)
        self.addAction(action)
        return action

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.filter_box)
        top.addWidget(self.count_label, 1)
        top.addWidget(self.toolbar)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail_view)
        splitter.setSizes([400, 200])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)

    def refresh(self) -> None:
        QueryOp(self, self._ctx, list_returns, status=self.filter_box.currentData()).success(
            self._on_rows_loaded
        ).failure(self.banner.show_refusal).run()

    def selected(self) -> ReturnRow | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _on_rows_loaded(self, rows: list[ReturnRow]) -> None:
        chosen = self.selected()
        self.rows = rows
        now = self._clock()
        self.table.set_rows(
            [
                (
                    row.number,
                    row.order,
                    row.customer,
                    row.status,
                    reason_label(row.reason),
                    row.resolution,
                    f"{row.units_received}/{row.units_authorised}",
                    age_text(row.created_at, now),
                    refund_text(row),
                )
                for row in rows
            ]
        )
        self.count_label.setText(counted(len(rows), "return"))
        numbers = [row.number for row in rows]
        if chosen is not None and chosen.number in numbers:
            self.table.selectRow(numbers.index(chosen.number))
        self._on_table_current_cell_changed()

    def _on_table_current_cell_changed(self) -> None:
        row = self.selected()
        self.refund_action.setEnabled(row is not None and row.refund_pending)
        self.documents_action.setEnabled(row is not None and not row.unexpected)
        if row is None:
            self.detail_view.clear()
            return
        QueryOp(self, self._ctx, return_detail, row.number).success(
            lambda view: self.detail_view.setPlainText(detail_text(view))
        ).failure(self.banner.show_refusal).run()

    def _on_documents_triggered(self) -> None:
        """The return label (PDF) and return slip of the selected RMA into a folder."""
        row = self.selected()
        if row is None or row.unexpected:
            return
        folder = QFileDialog.getExistingDirectory(self, f"Save {row.number}'s label and slip")
        if not folder:
            return
        QueryOp(self, self._ctx, save_return_documents, row.number, Path(folder)).success(
            lambda paths: self.banner.show_ok(
                f"Saved {', '.join(path.name for path in paths)} in {folder}"
            )
        ).failure(self.banner.show_refusal).run()

    def _on_refund_triggered(self) -> None:
        row = self.selected()
        if row is None or not row.refund_pending:
            return
        DbOp(self, self._ctx, issue_refund, self._ctx.actor, row.number).success(
            self._on_refund_issued
        ).failure(self.banner.show_refusal).run(initiator=self)

    def _on_refund_issued(self, view: ReturnView) -> None:
        issued = [r for r in view.refunds if r.status == "issued"][-1]
        self.banner.show_ok(
            f"{view.number}: {issued.method} of {issued.amount} {issued.currency} issued by "
            f"{issued.issued_by}"
        )
