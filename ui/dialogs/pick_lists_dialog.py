"""PickListsDialog: build pick lists at the desk from the orders waiting - filters, a
live count of what qualifies, and printing to a chosen printer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.context import Actor
from app.domain.new_order import SERVICE_PRIORITY
from app.errors import OmsError
from app.printing import Printer
from app.services.pick_list_builder import (
    DEFAULT_TOTES,
    PickListBuild,
    PickListPreview,
    PickListRequest,
    build_pick_lists,
    preview_pick_lists,
)
from app.services.printing import PrintOutcome, print_job
from app.services.stations import StationDevices, load_station_devices
from app.wording import counted
from ui.context import UiContext
from ui.dialogs.printer_choice_dialog import PrinterChoiceDialog, PrintTarget
from ui.operations import DbOp, QueryOp, show_error
from ui.printing.qt_printer import ask_system_printer, printer_factory, system_spec
from ui.views.feedback_banner import refusal_text

PREVIEW_DELAY_MS = 200
MAX_PRIORITY = 9
MAX_TOTES = 48
PRIORITY_MODES = (("Any priority", ""), ("At most", "max"), ("Exactly", "exact"))


@dataclass(frozen=True)
class BuildOutcome:
    build: PickListBuild
    printed: tuple[PrintOutcome, ...]

    @property
    def all_printed(self) -> bool:
        return all(outcome.printed for outcome in self.printed)

    def summary(self) -> str:
        """The build's summary, then how printing went."""
        text = self.build.summary()
        failed = [outcome for outcome in self.printed if not outcome.printed]
        if failed:
            text += f"; {len(failed)} of {len(self.printed)} {failed[0].message} (see Print jobs)"
        elif self.printed:
            text += f"; {len(self.printed)} printed, {self.printed[0].message}"
        return text


def build_and_print(
    db: Any,
    actor: Actor,
    request: PickListRequest,
    printer: str | None,
    make_printer: Callable[[str], Printer],
) -> BuildOutcome:
    """Build the lists, then send their print jobs (a worker job: no Qt here)."""
    build = build_pick_lists(db, actor, request, printer=printer)
    printed = tuple(print_job(db, job, make_printer=make_printer) for job in build.print_jobs)
    return BuildOutcome(build, printed)


def preview_text(preview: PickListPreview) -> str:
    """ "17 orders qualify: 3 pick lists · 2 skipped (on a list or being packed)" """
    if preview.orders:
        lists = counted(preview.lists, "pick list")
        orders = "1 order qualifies" if preview.orders == 1 else f"{preview.orders} orders qualify"
        parts = [f"{orders}: {lists}"]
    else:
        parts = ["No waiting order matches"]
    if preview.left:
        parts.append(f"{preview.left} more over the limit")
    if preview.skipped:
        parts.append(f"{preview.skipped} skipped (on a list or being packed)")
    return "  ·  ".join(parts)


class PickListsDialog(QDialog):
    """`built(BuildOutcome)` once lists are made; refusals show inside, the dialog stays."""

    built = Signal(object)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._previews = 0  # answers to older previews are dropped
        self._printer_spec = ""
        self._system_printer: QPrinter | None = None
        self.printer_dialog: PrinterChoiceDialog | None = None
        self.setWindowTitle("Build pick lists")
        self.setMinimumWidth(560)

        self.service_combo = QComboBox()
        self.service_combo.addItem("Any service level", "")
        for level in SERVICE_PRIORITY:
            self.service_combo.addItem(level.capitalize(), level)
        self.priority_combo = QComboBox()
        for text, mode in PRIORITY_MODES:
            self.priority_combo.addItem(text, mode)
        self.priority_spin = QSpinBox()
        self.priority_spin.setRange(1, MAX_PRIORITY)
        self.priority_spin.setValue(2)
        self.priority_spin.setPrefix("P")
        self.zone_edit = QLineEdit()
        self.zone_edit.setPlaceholderText("Every zone - or a location prefix: A, A-01")
        self.max_orders_spin = QSpinBox()
        self.max_orders_spin.setRange(0, 9999)
        self.max_orders_spin.setSpecialValueText("No limit")
        self.batch_radio = QRadioButton("Batches of")
        self.batch_radio.setChecked(True)
        self.totes_spin = QSpinBox()
        self.totes_spin.setRange(1, MAX_TOTES)
        self.totes_spin.setValue(DEFAULT_TOTES)
        self.totes_spin.setSuffix(" totes")
        self.single_radio = QRadioButton("One list per order")
        self.print_check = QCheckBox("Print them on")
        self.printer_label = QLabel()
        self.printer_button = QPushButton("Printer…")
        self.preview_label = QLabel("Counting…")
        self.preview_label.setStyleSheet(
            "background: #f2f4f7; border-radius: 6px; padding: 8px 10px; font-weight: 600;"
        )
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b91c1c;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        # Plain buttons: Enter in the zone field must not build lists by surprise.
        self.build_button = QPushButton("Build pick lists")
        self.build_button.setStyleSheet("font-weight: 600; padding: 5px 16px;")
        self.cancel_button = QPushButton("Cancel")
        for button in (self.build_button, self.cancel_button, self.printer_button):
            button.setAutoDefault(False)
        self._lay_out()
        self._show_printer()

        self._preview_timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.refresh_preview)
        for combo in (self.service_combo, self.priority_combo):
            combo.currentIndexChanged.connect(self._on_filter_changed)
        for spin in (self.priority_spin, self.max_orders_spin, self.totes_spin):
            spin.valueChanged.connect(self._on_filter_changed)
        self.zone_edit.textChanged.connect(self._on_filter_changed)
        self.single_radio.toggled.connect(self._on_filter_changed)
        self.printer_button.clicked.connect(self._on_printer_button_clicked)
        self.build_button.clicked.connect(self._on_build_button_clicked)
        self.cancel_button.clicked.connect(self.reject)
        self._on_filter_changed()
        QueryOp(self, ctx, load_station_devices, ctx.actor.station).success(
            self._on_station_devices_loaded
        ).run()

    def request(self) -> PickListRequest:
        """What the form asks for now."""
        mode = str(self.priority_combo.currentData())
        return PickListRequest(
            service_level=str(self.service_combo.currentData()) or None,
            priority=self.priority_spin.value() if mode else None,
            exact_priority=mode == "exact",
            zone=self.zone_edit.text() or None,
            max_orders=self.max_orders_spin.value() or None,
            single=self.single_radio.isChecked(),
            totes=self.totes_spin.value(),
        )

    def printer_spec(self) -> str | None:
        """Where the lists print, or None to build without printing."""
        if not self.print_check.isChecked():
            return None
        if self._system_printer is not None:
            return system_spec(self._system_printer)
        return self._printer_spec

    def set_printer(self, spec: str) -> None:
        """Print on `spec` (folder[:PATH] or cups:QUEUE)."""
        self._printer_spec, self._system_printer = spec, None
        self._show_printer()

    def refresh_preview(self) -> None:
        self._preview_timer.stop()
        self._previews += 1
        asked = self._previews
        QueryOp(self, self._ctx, preview_pick_lists, self.request()).success(
            lambda preview: self._on_preview_loaded(asked, preview)
        ).failure(lambda exc: self._on_preview_failed(asked, exc)).run()

    def _lay_out(self) -> None:
        priority = QHBoxLayout()
        priority.addWidget(self.priority_combo)
        priority.addWidget(self.priority_spin)
        priority.addWidget(QLabel("(P1 is the most urgent)"), 1)
        orders = QHBoxLayout()
        orders.addWidget(self.max_orders_spin)
        orders.addWidget(QLabel("at most, the most urgent first"), 1)
        batch = QHBoxLayout()
        batch.addWidget(self.batch_radio)
        batch.addWidget(self.totes_spin)
        batch.addWidget(QLabel("one order per tote"), 1)
        lists = QVBoxLayout()
        lists.addLayout(batch)
        lists.addWidget(self.single_radio)
        printing = QHBoxLayout()
        printing.addWidget(self.print_check)
        printing.addWidget(self.printer_label, 1)
        printing.addWidget(self.printer_button)
        form = QFormLayout()
        form.addRow("Service level", self.service_combo)
        form.addRow("Priority", priority)
        form.addRow("Zone", self.zone_edit)
        form.addRow("Orders", orders)
        form.addRow("Lists", lists)
        form.addRow("Print", printing)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.build_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview_label)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)

    def _show_printer(self) -> None:
        if self._system_printer is not None:
            text = self._system_printer.printerName() or "the system printer"
        else:
            spec = self._printer_spec
            text = "the print folder" if spec in ("", "folder") else spec
        self.printer_label.setText(text)

    def _on_filter_changed(self) -> None:
        self.priority_spin.setEnabled(bool(self.priority_combo.currentData()))
        self.totes_spin.setEnabled(self.batch_radio.isChecked())
        self.error_label.hide()
        self._preview_timer.start()

    def _on_preview_loaded(self, asked: int, preview: PickListPreview) -> None:
        if asked == self._previews:
            self.preview_label.setText(preview_text(preview))

    def _on_preview_failed(self, asked: int, exc: Exception) -> None:
        if asked != self._previews:
            return
        if not isinstance(exc, OmsError):
            show_error(self, exc)
            return
        self.preview_label.setText("Nothing to count")
        self._show_error(refusal_text(exc))

    def _on_station_devices_loaded(self, devices: StationDevices) -> None:
        if not self._printer_spec and self._system_printer is None:
            self.set_printer(devices.document_printer or "folder")

    def _on_printer_button_clicked(self) -> None:
        spec = self._printer_spec
        kind, _, value = spec.partition(":")
        initial = PrintTarget(kind, value) if kind in ("folder", "cups") and value else None
        dialog = PrinterChoiceDialog(
            title="Print pick lists on…", fmt="pdf", allow_file=False, initial=initial,
            parent=self,
        )  # fmt: skip
        self.printer_dialog = dialog
        dialog.accepted.connect(lambda: self._on_printer_chosen(dialog.target()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _on_printer_chosen(self, target: PrintTarget) -> None:
        if target.kind == "system":
            chosen = ask_system_printer(self)
            if chosen is None:
                return
            self._system_printer = chosen
            self._show_printer()
        else:
            self.set_printer(target.spec)
        self.print_check.setChecked(True)

    def _on_build_button_clicked(self) -> None:
        self.error_label.hide()
        self.build_button.setEnabled(False)
        make_printer = printer_factory(self._ctx.tasks, self._system_printer)
        DbOp(
            self, self._ctx, build_and_print, self._ctx.actor, self.request(),
            self.printer_spec(), make_printer,
        ).success(self._on_built).failure(self._on_build_failed).run(initiator=self)  # fmt: skip

    def _on_built(self, outcome: BuildOutcome) -> None:
        self.build_button.setEnabled(True)
        self.built.emit(outcome)
        self.accept()

    def _on_build_failed(self, exc: Exception) -> None:
        self.build_button.setEnabled(True)
        if isinstance(exc, OmsError):
            self._show_error(f"Nothing built: {refusal_text(exc)}")
        else:
            show_error(self, exc)

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
