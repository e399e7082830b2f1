"""StationsPage: each station's label printer, document printer and scale, and whether
packing there also ships, by name."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QWidget,
)

from app.errors import ValidationFailed
from app.services.stations import StationDevices, list_stations, save_station_devices
from ui.context import UiContext
from ui.operations import DbOp, QueryOp
from ui.settings.page_parts import ProblemsLabel, button, table_and_editor
from ui.views.feedback_banner import FeedbackBanner
from ui.widgets.read_only_table_widget import ReadOnlyTableWidget

TITLE = "Stations"
HEADERS = ("Station", "Label printer", "Document printer", "Scale", "Ships at pack")
PRINTER_HINT = (
    "Printers: folder, folder:/path, tcp://host:9100 (ZPL) or cups:QUEUE; "
    "empty prints to the print folder."
)


class StationsPage(QWidget):
    """Stations store their devices when set up on the station itself; edit them here.
    `refreshed` once they are listed."""

    refreshed = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.title = TITLE
        self.stations: list[StationDevices] = []
        self.table = ReadOnlyTableWidget(HEADERS, stretch=3)
        self.banner = FeedbackBanner()
        self.problems = ProblemsLabel()
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("e.g. pack-1")
        self.label_edit = QLineEdit()
        self.document_edit = QLineEdit()
        for edit in (self.label_edit, self.document_edit):
            edit.setPlaceholderText("empty: the print folder")
            edit.setToolTip(PRINTER_HINT)
        self.scale_edit = QLineEdit()
        self.scale_edit.setPlaceholderText("device path, or empty to type weights")
        self.dispatch_check = QCheckBox("Packing here also ships the parcel (one transaction)")
        self.save_button = button("Save station", self.save, keys="Ctrl+S", primary=True)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        self._lay_out()

    def refresh(self) -> None:
        QueryOp(self, self._ctx, list_stations).success(self._on_loaded).failure(
            self.banner.show_refusal
        ).run()

    def devices(self) -> StationDevices:
        return StationDevices(
            self.name_edit.text().strip(),
            self.label_edit.text().strip(),
            self.document_edit.text().strip(),
            self.scale_edit.text().strip(),
            self.dispatch_check.isChecked(),
        )

    def save(self) -> None:
        DbOp(self, self._ctx, save_station_devices, self._ctx.actor, self.devices()).success(
            self._on_saved
        ).failure(self._on_refused).run(initiator=self)

    def _on_loaded(self, stations: list[StationDevices]) -> None:
        self.stations = stations
        self.table.set_rows(
            [
                (s.name, s.label_printer, s.document_printer, s.scale, _yes(s.dispatch_on_pack))
                for s in stations
            ]
        )
        self.refreshed.emit()

    def _on_saved(self, devices: StationDevices) -> None:
        self.banner.show_ok(f"Station {devices.name} saved.")
        self.problems.show_problems([])
        self.refresh()

    def _on_refused(self, exc: Exception) -> None:
        self.problems.show_problems(exc.problems if isinstance(exc, ValidationFailed) else [])
        self.banner.show_refusal(exc)

    def _on_table_selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            chosen = self.stations[rows[0].row()]
            self.name_edit.setText(chosen.name)
            self.label_edit.setText(chosen.label_printer)
            self.document_edit.setText(chosen.document_printer)
            self.scale_edit.setText(chosen.scale)
            self.dispatch_check.setChecked(chosen.dispatch_on_pack)

    def _lay_out(self) -> None:
        box = QGroupBox("Station (a new name adds one)")
        form = QFormLayout(box)
        form.addRow("&Name", self.name_edit)
        form.addRow("&Label printer", self.label_edit)
        form.addRow("&Document printer", self.document_edit)
        form.addRow("S&cale", self.scale_edit)
        form.addRow("", self.dispatch_check)
        hint = QLabel(PRINTER_HINT)
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        form.addRow("", hint)
        table_and_editor(
            self,
            ("Stations", "The devices each packing or picking station prints and weighs with."),
            self.banner,
            self.table,
            (box, self.problems),
            self.save_button,
        )


def _yes(flag: bool) -> str:
    return "yes" if flag else ""
