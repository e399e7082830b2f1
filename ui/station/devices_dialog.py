"""StationDevicesDialog (F2 at the pack station): this station's label printer, document
printer and scale, and whether packing here also ships, chosen from the keyboard alone,
with a test label to prove the label printer. Saved per station name in the database."""

from __future__ import annotations

import glob
from collections.abc import Iterable
from concurrent.futures import Future

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.printing import label_format_for, print_test_label
from app.services.stations import StationDevices, save_station_devices
from ui.context import UiContext
from ui.operations import DbOp
from ui.station.feedback import failure_message

SCALE_PATTERNS = ("/dev/ttyUSB*", "/dev/ttyACM*", "/dev/ttyS[0-3]", "/dev/hidraw*")
TEST_LABEL_KEY = "F5"
DISPATCH_ON_PACK_TEXT = "Packing here also s&hips the parcel (pack and dispatch at once)"


def _choices(current: str, options: Iterable[str]) -> QComboBox:
    """An editable list: `current` first, then `options` (any other spec may be typed)."""
    box = QComboBox()
    box.setEditable(True)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    box.addItems(list(dict.fromkeys([current, *options])))
    box.setCurrentText(current)
    return box


def scale_candidates() -> list[str]:
    """Serial and HID devices present on this machine, for the scale list."""
    return sorted(path for pattern in SCALE_PATTERNS for path in glob.glob(pattern))


class StationDevicesDialog(QDialog):
    """Tab moves between the fields, F5 prints a test label, Enter saves, Esc closes.
    `saved(StationDevices)` once the database has them."""

    saved = Signal(object)

    def __init__(
        self,
        ctx: UiContext,
        devices: StationDevices,
        printers: Iterable[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._name = devices.name
        self.setWindowTitle(f"Devices of station {devices.name}")
        self.setObjectName("stationDevices")
        known = list(printers)
        self.label_printer = _choices(devices.label_printer, known)
        self.document_printer = _choices(devices.document_printer, ["", *known])
        self.scale = _choices(devices.scale, ["", *scale_candidates()])
        self.dispatch_on_pack = QCheckBox(DISPATCH_ON_PACK_TEXT)
        self.dispatch_on_pack.setChecked(devices.dispatch_on_pack)
        self.test_button = QPushButton(f"Print test label ({TEST_LABEL_KEY})")
        self.test_button.setAutoDefault(False)
        self.test_button.clicked.connect(self._on_test_button_clicked)
        QShortcut(QKeySequence(TEST_LABEL_KEY), self, self._on_test_button_clicked)
        self.status_label = QLabel(
            "Printers: folder, folder:/path, tcp://host:9100 or cups:QUEUE. "
            "Scale: /dev/ttyUSB0 (or /dev/ttyUSB0@4800) or /dev/hidraw0; empty for none."
        )
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        form = QFormLayout()
        form.addRow("&Label printer", self.label_printer)
        form.addRow("&Document printer (empty: the label printer)", self.document_printer)
        form.addRow("&Scale", self.scale)
        form.addRow("", self.dispatch_on_pack)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.test_button)
        layout.addWidget(self.status_label)
        layout.addWidget(self.buttons)
        self.resize(720, self.sizeHint().height())
        self.label_printer.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        """Take the keyboard from the station window (a kiosk may have no window manager)."""
        super().showEvent(event)
        self.raise_()
        self.activateWindow()
        if (handle := self.windowHandle()) is not None:
            handle.requestActivate()

    def devices(self) -> StationDevices:
        return StationDevices(
            self._name,
            self.label_printer.currentText().strip(),
            self.document_printer.currentText().strip(),
            self.scale.currentText().strip(),
            self.dispatch_on_pack.isChecked(),
        )

    def _on_test_button_clicked(self) -> None:
        spec = self.label_printer.currentText().strip() or "folder"
        self.status_label.setText(f"Printing a test label on {spec}…")
        self._ctx.tasks.run_in_background(
            lambda: print_test_label(spec, label_format_for(spec) or "pdf"),
            self._on_test_printed,
        )

    def _on_test_printed(self, done: Future[str]) -> None:
        try:
            self.status_label.setText(done.result())
        except Exception as exc:
            self.status_label.setText(failure_message(exc))

    def _on_buttons_accepted(self) -> None:
        devices = self.devices()
        self.buttons.setEnabled(False)
        DbOp(self, self._ctx, save_station_devices, self._ctx.actor, devices).success(
            self._on_saved
        ).failure(self._on_save_failed).run(initiator=self)

    def _on_saved(self, devices: StationDevices) -> None:
        self.saved.emit(devices)
        self.accept()

    def _on_save_failed(self, exc: Exception) -> None:
        self.buttons.setEnabled(True)
        self.status_label.setText(failure_message(exc))
