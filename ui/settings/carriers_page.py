"""CarriersPage: the carriers, where each one's tracking range stands, and one in a form."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QSplitter, QVBoxLayout, QWidget

from app.errors import ValidationFailed
from app.services.master_data import CarrierRecord, list_carriers, save_carriers
from ui.context import UiContext
from ui.operations import DbOp, QueryOp
from ui.settings.carrier_form import CarrierForm
from ui.settings.page_parts import button, button_row, heading
from ui.views.feedback_banner import FeedbackBanner
from ui.widgets.read_only_table_widget import ReadOnlyTableWidget

TITLE = "Carriers"
HEADERS = ("Code", "Name", "Scheme", "Range", "Next number", "Left", "Services")


class CarriersPage(QWidget):
    """Choose a carrier above to edit it below; New starts an empty form. `refreshed`
    once the stored carriers are listed."""

    refreshed = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.title = TITLE
        self.records: list[CarrierRecord] = []
        self.table = ReadOnlyTableWidget(HEADERS, numeric=(4, 5), stretch=6)
        self.form = CarrierForm()
        self.banner = FeedbackBanner()
        self.new_button = button("New carrier", self.new_carrier, keys="Ctrl+N")
        self.save_button = button("Save carrier", self.save, keys="Ctrl+S", primary=True)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        lower = QWidget()
        below = QVBoxLayout(lower)
        below.setContentsMargins(0, 0, 0, 0)
        below.addWidget(self.form, 1)
        below.addLayout(button_row(self.new_button, self.save_button, stretch_at=1))
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(
            heading(
                "Carriers and services",
                "Each carrier's tracking numbers come from the range it gave this site, "
                "with its check-digit scheme.",
            )
        )
        layout.addWidget(self.banner)
        layout.addWidget(splitter, 1)

    def refresh(self) -> None:
        QueryOp(self, self._ctx, list_carriers).success(self._on_carriers_loaded).failure(
            self.banner.show_refusal
        ).run()

    def new_carrier(self) -> None:
        self.table.clearSelection()
        self.form.set_carrier(None)
        self.form.code_edit.setFocus()

    def save(self) -> None:
        carrier = self.form.check()
        if carrier is None:
            self.banner.show_problem("The carrier was not saved: see the problems below.")
            return
        DbOp(self, self._ctx, save_carriers, self._ctx.actor, [carrier]).success(
            lambda _count: self._on_saved(carrier.code)
        ).failure(self._on_refused).run(initiator=self)

    def select_carrier(self, code: str) -> None:
        for row, record in enumerate(self.records):
            if record.carrier.code == code:
                self.table.selectRow(row)

    def _on_carriers_loaded(self, records: list[CarrierRecord]) -> None:
        self.records = records
        self.table.set_rows(
            [
                (
                    c.code,
                    c.name,
                    c.tracking_scheme,
                    f"{c.range_start} - {c.range_end}",
                    str(r.next_value),
                    str(r.numbers_left),
                    ", ".join(s.code + (" (default)" if s.is_default else "") for s in c.services),
                )
                for r in records
                for c in [r.carrier]
            ]
        )
        self.refreshed.emit()

    def _on_saved(self, code: str) -> None:
        self.banner.show_ok(f"Carrier {code} saved.")
        QueryOp(self, self._ctx, list_carriers).success(
            lambda records: self._on_carriers_reloaded(records, code)
        ).run()

    def _on_carriers_reloaded(self, records: list[CarrierRecord], code: str) -> None:
        self._on_carriers_loaded(records)
        self.select_carrier(code)

    def _on_refused(self, exc: Exception) -> None:
        self.form.show_problems(exc.problems if isinstance(exc, ValidationFailed) else [])
        self.banner.show_refusal(exc)

    def _on_table_selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.form.set_carrier(self.records[rows[0].row()].carrier)
