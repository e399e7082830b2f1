"""LocationsPage: warehouses and their locations - generated from ranges with a preview
count, imported from a CSV, or one location's kind and pick sequence changed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.errors import ValidationFailed
from app.imports.locations import COLUMNS, generate_locations
from app.services.locations import (
    KINDS,
    LocationImport,
    LocationInput,
    LocationPage,
    WarehouseView,
    import_locations,
    list_locations,
    list_warehouses,
    save_warehouse,
)
from ui.context import UiContext
from ui.operations import DbOp, QueryOp
from ui.settings.page_parts import ProblemsLabel, ask_open_path, button, button_row, heading
from ui.settings.site_files import import_locations_file
from ui.views.feedback_banner import FeedbackBanner
from ui.widgets.read_only_table_widget import ReadOnlyTableWidget

TITLE = "Locations"
HEADERS = ("Code", "Kind", "Pick sequence", "Active")
ROW_LIMIT = 2000
PREVIEW_DELAY_MS = 200


def preview_text(found: list[LocationInput]) -> str:
    return f"{len(found)} locations: {found[0].code} … {found[-1].code}"


class LocationsPage(QWidget):
    """The chosen warehouse's locations in walking order, and the ways to add to them.
    `refreshed` once they are listed."""

    refreshed = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.title = TITLE
        self.generated: list[LocationInput] = []
        self.banner = FeedbackBanner()
        self.problems = ProblemsLabel()
        self.warehouse_combo = QComboBox()
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Filter by code")
        self.search_edit.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self.count_label.setObjectName("muted")
        self.table = ReadOnlyTableWidget(HEADERS, numeric=(2,), stretch=0)
        self.spec_edit = QLineEdit()
        self.spec_edit.setPlaceholderText("aisles:racks[:levels], e.g. A-F:1-20:1-4")
        self.generate_kind = self._kinds()
        self.generate_kind.currentIndexChanged.connect(self._preview_timer_start)
        self.preview_label = QLabel("Type ranges to see the locations they make.")
        self.preview_label.setWordWrap(True)
        self.generate_button = button("Create locations", self.create_generated, primary=True)
        self.edit_kind = self._kinds()
        self.edit_sequence = QSpinBox()
        self.edit_sequence.setRange(0, 10**9)
        self.edit_button = button("Save location", self.save_selected)
        self.house_code = QLineEdit()
        self.house_code.setPlaceholderText("code, e.g. MAIN")
        self.house_name = QLineEdit()
        self.house_name.setPlaceholderText("name")
        self._preview_timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.update_preview)
        self._search_timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS)
        self._search_timer.timeout.connect(self.load_locations)
        self.spec_edit.textChanged.connect(self._preview_timer.start)
        self.spec_edit.returnPressed.connect(self.update_preview)
        self.search_edit.textChanged.connect(self._search_timer.start)
        self.warehouse_combo.activated.connect(self.load_locations)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        self._lay_out()
        self.update_preview()
        self._on_table_selection_changed()

    def refresh(self) -> None:
        QueryOp(self, self._ctx, list_warehouses).success(self._on_warehouses_loaded).failure(
            self.banner.show_refusal
        ).run()

    def warehouse(self) -> str | None:
        """The chosen warehouse's code; None before there is any (the first is made)."""
        code = self.warehouse_combo.currentData()
        return str(code) if code else None

    def load_locations(self) -> None:
        QueryOp(
            self, self._ctx, list_locations, warehouse=self.warehouse(),
            search=self.search_edit.text(), limit=ROW_LIMIT,
        ).success(self._on_locations_loaded).failure(self.banner.show_refusal).run()  # fmt: skip

    def update_preview(self) -> None:
        self._preview_timer.stop()
        spec = self.spec_edit.text().strip()
        self.generated = []
        if spec:
            try:
                self.generated = generate_locations(
                    spec, kind=self.generate_kind.currentText(), warehouse=self.warehouse()
                )
            except ValueError as exc:
                self.preview_label.setText(str(exc).replace("--generate ", "", 1))
        if self.generated:
            self.preview_label.setText(preview_text(self.generated))
        self.generate_button.setEnabled(bool(self.generated))
        count = len(self.generated)
        self.generate_button.setText(f"Create {count} locations" if count else "Create locations")

    def create_generated(self) -> None:
        self.update_preview()  # the kind and warehouse as chosen now
        if self.generated:
            found = self.generated
            self._store(DbOp(self, self._ctx, import_locations, self._ctx.actor, found))

    def import_file(self, path: Path) -> None:
        house = self.warehouse()
        self._store(DbOp(self, self._ctx, import_locations_file, self._ctx.actor, path, house))

    def save_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            code = self.table.cell_text(rows[0].row(), 0)
            changed = LocationInput(
                code, self.edit_kind.currentText(), self.edit_sequence.value(), self.warehouse()
            )
            self._store(DbOp(self, self._ctx, import_locations, self._ctx.actor, [changed]))

    def save_warehouse(self) -> None:
        code, name = self.house_code.text(), self.house_name.text()
        DbOp(self, self._ctx, save_warehouse, self._ctx.actor, code, name).success(
            self._on_warehouse_saved
        ).failure(self._on_refused).run(initiator=self)

    def _store(self, op: DbOp[LocationImport]) -> None:
        op.success(self._on_locations_stored).failure(self._on_refused).run(initiator=self)

    def _on_warehouses_loaded(self, houses: list[WarehouseView]) -> None:
        chosen = self.warehouse()
        self.warehouse_combo.clear()
        for house in houses:
            self.warehouse_combo.addItem(
                f"{house.code} - {house.name} ({house.locations} locations)", house.code
            )
        if not houses:
            self.warehouse_combo.addItem("MAIN - made with the first locations", None)
        index = self.warehouse_combo.findData(chosen)
        self.warehouse_combo.setCurrentIndex(max(index, 0))
        self.load_locations()

    def _on_locations_loaded(self, page: LocationPage) -> None:
        self.table.set_rows(
            [(r.code, r.kind, str(r.pick_sequence), "yes" if r.active else "no") for r in page.rows]
        )
        shown = f" (first {len(page.rows)} shown)" if page.total > len(page.rows) else ""
        self.count_label.setText(f"{page.total} locations{shown}")
        self.refreshed.emit()

    def _on_locations_stored(self, done: LocationImport) -> None:
        made = ", ".join(done.warehouses_created)
        extra = f"; new warehouses {made}" if made else ""
        self.banner.show_ok(f"Locations: {done.created} created, {done.updated} updated{extra}.")
        self.problems.show_problems([])
        self.refresh()

    def _on_warehouse_saved(self, house: WarehouseView) -> None:
        self.banner.show_ok(f"Warehouse {house.code} saved.")
        self.problems.show_problems([])
        self.warehouse_combo.addItem(house.code, house.code)
        self.warehouse_combo.setCurrentIndex(self.warehouse_combo.count() - 1)
        self.refresh()

    def _on_refused(self, exc: Exception) -> None:
        self.problems.show_problems(exc.problems if isinstance(exc, ValidationFailed) else [])
        self.banner.show_refusal(exc)

    def _on_table_selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        self.edit_button.setEnabled(bool(rows))
        if rows:
            self.edit_kind.setCurrentText(self.table.cell_text(rows[0].row(), 1))
            self.edit_sequence.setValue(int(self.table.cell_text(rows[0].row(), 2)))

    def _on_import_clicked(self) -> None:
        path = ask_open_path(self, "Import locations", f"CSV ({','.join(COLUMNS)}) (*.csv)")
        if path is not None:
            self.import_file(path)

    def _kinds(self) -> QComboBox:
        combo = QComboBox()
        combo.addItems(list(KINDS))
        return combo

    def _preview_timer_start(self) -> None:
        self._preview_timer.start()

    def _lay_out(self) -> None:
        generate = QGroupBox("Generate from ranges")
        form = QFormLayout(generate)
        form.addRow("&Ranges", self.spec_edit)
        form.addRow("&Kind", self.generate_kind)
        form.addRow("", self.preview_label)
        form.addRow("", button_row(self.generate_button))
        edit = QGroupBox("Selected location")
        form = QFormLayout(edit)
        form.addRow("Kind", self.edit_kind)
        form.addRow("Pick sequence", self.edit_sequence)
        form.addRow("", button_row(self.edit_button))
        house = QGroupBox("New or renamed warehouse")
        form = QFormLayout(house)
        form.addRow("Code", self.house_code)
        form.addRow("Name", self.house_name)
        form.addRow("", button_row(button("Save warehouse", self.save_warehouse)))
        side = QVBoxLayout()
        for box in (generate, edit, house):
            side.addWidget(box)
        side.addLayout(button_row(button("Import CSV…", self._on_import_clicked)))
        side.addStretch(1)
        left = QVBoxLayout()
        top = QHBoxLayout()
        label = QLabel("&Warehouse")
        label.setBuddy(self.warehouse_combo)
        top.addWidget(label)
        top.addWidget(self.warehouse_combo, 1)
        top.addWidget(self.search_edit, 1)
        left.addLayout(top)
        left.addWidget(self.table, 1)
        left.addWidget(self.count_label)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addLayout(side, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(
            heading(
                "Warehouses and locations",
                "Pick sequence is the walking order: pick lists visit bins from low to high.",
            )
        )
        layout.addWidget(self.banner)
        layout.addWidget(self.problems)
        layout.addLayout(body, 1)
