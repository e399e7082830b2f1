"""OutboxView: the customer e-mails - what waits, what went, what failed and why -
with a preview of the selected message and Resend (a new message, audited)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app.services.outbox import (
    MessagePreview,
    OutboxEntry,
    list_outbox,
    outbox_counts,
    preview_message,
    resend_message,
)
from ui.context import UiContext
from ui.models.outbox_model import Column, OutboxModel, message_name
from ui.operations import DbOp, QueryOp
from ui.views.action_style import ACTION_BUTTON_STYLE
from ui.views.feedback_banner import FeedbackBanner
from ui.views.list_page import add_action, set_up_list_table

REFRESH_INTERVAL_MS = 10_000
LIMIT = 300
FILTERS = (("All e-mails", None), ("Waiting", "pending"), ("Sent", "sent"), ("Failed", "failed"))


class OutboxView(QWidget):
    """The outbox as a table over a preview of the selected message."""

    def __init__(
        self,
        ctx: UiContext,
        send_now: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._send_now = send_now
        self.banner = FeedbackBanner()
        self.count_label = QLabel()
        self.count_label.setObjectName("muted")
        self.filter_box = QComboBox()
        for text, status in FILTERS:
            self.filter_box.addItem(text, status)
        self.filter_box.currentIndexChanged.connect(self.refresh)
        self.model = OutboxModel(self)
        self.table = QTableView()
        self.toolbar = QToolBar()
        self.toolbar.setStyleSheet(ACTION_BUTTON_STYLE)
        self.refresh_action = self._action("Refresh", "F5", self.refresh)
        self.resend_action = self._action("Resend", "Ctrl+R", self._on_resend_triggered)
        self.send_action = self._action("Send now", "", self._on_send_now_triggered)
        self.send_action.setVisible(send_now is not None)
        self.header_label = QLabel()
        self.header_label.setTextFormat(Qt.TextFormat.PlainText)
        self.header_label.setWordWrap(True)
        self.header_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.html_view = QTextBrowser()  # rich text only: no scripts, no remote images
        self.html_view.setOpenLinks(False)
        self.text_view = QTextBrowser()
        self.preview_tabs = QTabWidget()
        self.preview_tabs.addTab(self.html_view, "HTML")
        self.preview_tabs.addTab(self.text_view, "Text")
        set_up_list_table(self.table, self.model, Column.PROBLEM)
        self._lay_out()
        self._timer = QTimer(self, interval=REFRESH_INTERVAL_MS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._timer.start()
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        ctx.hub.changes_applied.connect(self._on_hub_changes_applied)
        self._on_table_selection_changed()
        self.refresh()

    def refresh(self) -> None:
        status = self.filter_box.currentData()
        QueryOp(self, self._ctx, list_outbox, status=status, limit=LIMIT).success(
            self._on_loaded
        ).failure(self.banner.show_refusal).run()
        QueryOp(self, self._ctx, outbox_counts).success(self._on_counted).run()

    def selected_entry(self) -> OutboxEntry | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def select_message(self, outbox_id: int) -> None:
        row = self.model.row_of(outbox_id)
        if row is not None:
            self.table.selectRow(row)

    def resend(self, outbox_id: int) -> None:
        DbOp(self, self._ctx, resend_message, self._ctx.actor, outbox_id).success(
            lambda new_id: self._on_resent(outbox_id, new_id)
        ).failure(self.banner.show_refusal).run(initiator=self)

    def _action(self, text: str, keys: str, slot: Callable[[], None]) -> QAction:
        return add_action(self, self.toolbar, text, keys, slot)

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.toolbar, 1)
        top.addWidget(self.filter_box)
        top.addWidget(self.count_label)
        preview = QWidget()
        column = QVBoxLayout(preview)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.header_label)
        column.addWidget(self.preview_tabs, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(preview)
        split.setChildrenCollapsible(False)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(split, 1)

    def _on_loaded(self, entries: list[OutboxEntry]) -> None:
        selected = self.selected_entry()
        self.model.set_rows(entries)
        if selected is not None:
            self.select_message(selected.id)
        elif entries:
            self.table.selectRow(0)

    def _on_counted(self, counts: dict[str, int]) -> None:
        waiting = counts["pending"] + counts["sending"]
        self.count_label.setText(
            f"{waiting} waiting  ·  {counts['failed']} failed  ·  {counts['sent']} sent"
        )

    def _on_table_selection_changed(self) -> None:
        entry = self.selected_entry()
        self.resend_action.setEnabled(entry is not None and entry.status in ("sent", "failed"))
        if entry is None:
            self.header_label.setText("Select an e-mail to see it as the customer does.")
            self.html_view.clear()
            self.text_view.clear()
            return
        QueryOp(self, self._ctx, preview_message, entry.id).success(self._show_preview).failure(
            self.banner.show_refusal
        ).run()

    def _show_preview(self, preview: MessagePreview) -> None:
        current = self.selected_entry()
        if current is None or current.id != preview.entry.id:
            return  # the selection moved on while this was loading
        entry = preview.entry
        lines = [
            f"{message_name(entry.template)} for {entry.order or '-'}  ·  #{entry.id}",
            f"From: {preview.sender}",
            f"To: {preview.recipient}",
            f"Subject: {entry.subject}",
        ]
        if preview.attachments:
            lines.append(f"Attached: {', '.join(preview.attachments)}")
        if entry.last_error and entry.status != "sent":
            lines.append(f"Problem: {entry.last_error}")
        self.header_label.setText("\n".join(lines))
        if preview.html:
            self.html_view.setHtml(preview.html)
        else:
            self.html_view.setPlainText("(no HTML part)")
        self.text_view.setPlainText(preview.text or "(not rendered)")

    def _on_resent(self, original: int, new_id: int) -> None:
        self.banner.show_ok(f"E-mail #{original} queued again as #{new_id}.")
        self.refresh()

    def _on_resend_triggered(self) -> None:
        entry = self.selected_entry()
        if entry is not None:
            self.resend(entry.id)

    def _on_send_now_triggered(self) -> None:
        if self._send_now is not None:
            self._send_now()
            self.banner.show_ok("Sending what is due now.")

    def _on_timer_timeout(self) -> None:
        if self.isVisible():
            self.refresh()

    def _on_hub_changes_applied(self, _changes: object, _initiator: object) -> None:
        self.refresh()
