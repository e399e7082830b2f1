"""ImportOrdersDialog: an order file in from the desk, with a progress bar and Cancel.

The import runs on the writer thread through the same service as `import-orders`
(all or nothing, idempotent). Its progress reaches the bar through the main thread;
Cancel makes the next progress report raise, so the import's one transaction rolls
back and nothing of the file is kept.
"""

from __future__ import annotations

import threading
from concurrent.futures import Future
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.errors import OmsError, ValidationFailed
from app.imports.order_formats import ORDER_READERS, read_order_file
from app.imports.orders import OrderImport, import_orders
from ui.context import UiContext
from ui.operations import show_error

AUTOMATIC = "Tell from the file"
SHOWN_PROBLEMS = 5


class ImportCancelled(Exception):
    """Raised inside the import's transaction when the user cancels: it rolls back."""


class ImportOrdersDialog(QDialog):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import orders")
        self._ctx = ctx
        self._cancel = threading.Event()
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("A Shopify, Magento, NetSuite or Brightpearl export")
        self.browse_button = QPushButton("Choose file…")
        self.format_combo = QComboBox()
        self.format_combo.addItems([AUTOMATIC, *ORDER_READERS])
        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(True)
        self.progress_bar.setValue(0)
        self.status_label = QLabel("Choose a file, then Import.")
        self.status_label.setWordWrap(True)
        self.import_button = QPushButton("Import")
        self.import_button.setDefault(True)
        self.cancel_button = QPushButton("Close")
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(self.browse_button)
        form = QFormLayout()
        form.addRow("File", path_row)
        form.addRow("Format", self.format_combo)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)
        self.resize(560, 220)
        self._running = False
        self.browse_button.clicked.connect(self._on_browse_button_clicked)
        self.import_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)

    def start(self) -> None:
        """Read the file and import it on the writer thread."""
        text = self.path_edit.text().strip()
        if not text:
            self.status_label.setText("Choose the file to import first.")
            return
        path = Path(text)
        chosen = self.format_combo.currentText()
        fmt = None if chosen == AUTOMATIC else chosen
        self._cancel.clear()
        self._set_running(True)
        self.status_label.setText(f"Reading {path.name}…")
        self._ctx.tasks.run_in_background(
            lambda: self._import(path, fmt), self._on_import_done, writes=True
        )

    def _import(self, path: Path, fmt: str | None) -> OrderImport:
        """On the writer thread."""
        file = read_order_file(path, fmt, None)
        return self._ctx.call(
            import_orders, self._ctx.actor, file, partial=False, progress=self._progress
        )

    def _progress(self, orders: int, line: int, lines: int) -> None:
        """On the writer thread, between two batches: the bar follows; a cancel stops."""
        if self._cancel.is_set():
            raise ImportCancelled
        self._ctx.tasks.run_on_main(lambda: self._show_progress(orders, line, lines))

    def _show_progress(self, orders: int, line: int, lines: int) -> None:
        if lines:
            self.progress_bar.setRange(0, lines)
            self.progress_bar.setValue(min(line, lines))
        else:
            self.progress_bar.setRange(0, 0)  # a JSON document: busy, no share to show
        self.status_label.setText(f"{orders:,} orders read…")

    def _on_import_done(self, future: Future[OrderImport]) -> None:
        self._set_running(False)
        try:
            done = future.result()
        except ImportCancelled:
            self.progress_bar.setRange(0, 1)
            self.progress_bar.setValue(0)
            self.status_label.setText("Import cancelled: nothing of the file was imported.")
            return
        except OmsError as exc:
            self.progress_bar.setValue(0)
            self.status_label.setText(_refusal(exc))
            return
        except Exception as exc:
            self.status_label.setText("The import failed: nothing of the file was imported.")
            show_error(self, exc)
            return
        self.progress_bar.setRange(0, 1)
        self.progress_bar.setValue(1)
        intake = done.intake
        text = (
            f"Imported {len(intake.created):,} orders ({len(intake.held):,} on hold), "
            f"{len(intake.already_present):,} already present"
        )
        if done.not_imported:
            text += f", {len(done.not_imported):,} skipped"
        text += "."
        news = intake.news
        if news.count:
            changes = news.changes()
            text += f"\nAlready here: {news.summary()}."
            text += "".join(f"\n{change}" for change in changes[:SHOWN_PROBLEMS])
            if len(changes) > SHOWN_PROBLEMS:
                text += f"\n… and {len(changes) - SHOWN_PROBLEMS} more (see each order's timeline)"
        self.status_label.setText(text)
        self._ctx.hub.changes_applied.emit(done, self)

    def _set_running(self, running: bool) -> None:
        self._running = running
        for widget in (self.import_button, self.browse_button, self.path_edit, self.format_combo):
            widget.setEnabled(not running)
        self.cancel_button.setText("Cancel import" if running else "Close")
        if running:
            self.progress_bar.setRange(0, 0)

    def _on_browse_button_clicked(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, "Order file to import", "", "Order exports (*.csv *.json);;All files (*)"
        )
        if path:
            self.path_edit.setText(path)

    def _on_cancel_button_clicked(self) -> None:
        if self._running:
            self._cancel.set()
            self.status_label.setText("Cancelling: undoing what was read so far…")
        else:
            self.reject()


def _refusal(exc: OmsError) -> str:
    """The refusal, with its first problems under it."""
    problems = exc.problems if isinstance(exc, ValidationFailed) else []
    shown = "\n".join(problems[:SHOWN_PROBLEMS])
    if len(problems) > SHOWN_PROBLEMS:
        shown += f"\n… and {len(problems) - SHOWN_PROBLEMS} more"
    return f"{exc}\n{shown}" if shown else str(exc)


def import_orders_action(ctx: UiContext, parent: QWidget) -> QAction:
    """The "Import orders…" action of the orders view: opens the dialog."""
    action = QAction("Import orders…", parent)
    action.setToolTip("Import a shop's or an ERP's order export, with progress and Cancel")

    def open_dialog() -> None:
        dialog = ImportOrdersDialog(ctx, parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    action.triggered.connect(open_dialog)
    return action
