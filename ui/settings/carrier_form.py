"""CarrierForm: one carrier - its tracking-number scheme, range and URL - and its services."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain.new_order import SERVICE_PRIORITY
from app.domain.tracking_numbers import MAX_WIDTH, TrackingScheme, make_tracking_number
from app.services.master_data import (
    LABEL_LAYOUTS,
    CarrierInput,
    ServiceInput,
    carrier_problems,
)
from ui.settings.page_parts import ProblemsLabel, button, button_row
from ui.settings.setting_fields import BAD_FIELD

SCHEMES = (
    (TrackingScheme.S10, "S10 - UPU international post"),
    (TrackingScheme.MOD10, "GS1 mod 10"),
    (TrackingScheme.MOD11, "mod 11"),
    (TrackingScheme.MOD7, "mod 7 - air waybill"),
    (TrackingScheme.NONE, "none - no check digit"),
)
SERVICE_HEADERS = ("Code", "Name", "Level", "Default")
LEVELS = tuple(SERVICE_PRIORITY)


class CarrierForm(QWidget):
    """`carrier()` reads the form back with what cannot even be read (a range that is not a
    number); `show_problems` puts the service's refusals under it and marks the fields."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code_edit = QLineEdit()
        self.name_edit = QLineEdit()
        self.scheme_combo = QComboBox()
        for scheme, text in SCHEMES:
            self.scheme_combo.addItem(text, scheme.value)
        self.prefix_edit = QLineEdit()
        self.suffix_edit = QLineEdit()
        self.width_spin = QSpinBox()
        self.width_spin.setRange(1, MAX_WIDTH)
        self.start_edit = QLineEdit()
        self.end_edit = QLineEdit()
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("https://carrier.example/track/{tracking}")
        self.layout_combo = QComboBox()
        self.layout_combo.addItems(list(LABEL_LAYOUTS))
        self.sample_label = QLabel()
        self.sample_label.setObjectName("muted")
        self.services = QTableWidget(0, len(SERVICE_HEADERS))
        self.services.setHorizontalHeaderLabels(list(SERVICE_HEADERS))
        self.services.verticalHeader().setVisible(False)
        self.services.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.services.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.services.setMinimumHeight(90)
        self.problems = ProblemsLabel()
        self._marked: dict[QWidget, tuple[str, ...]] = {
            self.code_edit: ("code",), self.name_edit: ("name",),
            self.prefix_edit: ("prefix",), self.suffix_edit: ("suffix",),
            self.width_spin: ("width",), self.start_edit: ("start", "range"),
            self.end_edit: ("end", "range"), self.url_edit: ("URL",),
            self.layout_combo: ("layout",),
            self.services: ("service", "services"),
        }  # fmt: skip
        for edit in (self.prefix_edit, self.suffix_edit, self.start_edit):
            edit.textChanged.connect(self._update_sample)
        self.width_spin.valueChanged.connect(self._update_sample)
        self.scheme_combo.currentIndexChanged.connect(self._update_sample)
        self._lay_out()
        self.set_carrier(None)

    def set_carrier(self, carrier: CarrierInput | None) -> None:
        """Show `carrier` (its code then fixed), or an empty form for a new one."""
        given = carrier or CarrierInput(
            "", "", "mod10", 0, 0, services=(ServiceInput("STD", "Standard", is_default=True),)
        )
        self.code_edit.setText(given.code)
        self.code_edit.setReadOnly(carrier is not None)
        self.name_edit.setText(given.name)
        self.scheme_combo.setCurrentIndex(max(self.scheme_combo.findData(given.tracking_scheme), 0))
        self.prefix_edit.setText(given.tracking_prefix)
        self.suffix_edit.setText(given.tracking_suffix)
        self.width_spin.setValue(given.tracking_width)
        self.start_edit.setText(str(given.range_start) if carrier else "")
        self.end_edit.setText(str(given.range_end) if carrier else "")
        self.url_edit.setText(given.tracking_url)
        if self.layout_combo.findText(given.label_layout) < 0:
            self.layout_combo.addItem(given.label_layout)
        self.layout_combo.setCurrentText(given.label_layout)
        self.services.setRowCount(0)
        for service in given.services:
            self.add_service(service)
        self.show_problems([])

    def add_service(self, service: ServiceInput | None = None) -> None:
        given = service or ServiceInput("", "")
        row = self.services.rowCount()
        self.services.insertRow(row)
        self.services.setItem(row, 0, QTableWidgetItem(given.code))
        self.services.setItem(row, 1, QTableWidgetItem(given.name))
        level = QComboBox()
        level.addItems(list(LEVELS))
        level.setCurrentText(given.service_level)
        self.services.setCellWidget(row, 2, level)
        default = QTableWidgetItem()
        default.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        checked = Qt.CheckState.Checked if given.is_default else Qt.CheckState.Unchecked
        default.setCheckState(checked)
        self.services.setItem(row, 3, default)

    def remove_service(self) -> None:
        rows = self.services.selectionModel().selectedRows()
        if rows:
            self.services.removeRow(rows[0].row())

    def carrier(self) -> tuple[CarrierInput, list[str]]:
        """The form as a carrier, and the fields that are not numbers where they must be."""
        unreadable = []
        numbers = []
        for what, edit in (("range start", self.start_edit), ("range end", self.end_edit)):
            text = edit.text().strip()
            if not (text.isascii() and text.isdigit()):
                unreadable.append(f"The {what} must be a whole number, not {text!r}.")
            numbers.append(int(text) if text.isascii() and text.isdigit() else 0)
        carrier = CarrierInput(
            code=self.code_edit.text().strip(),
            name=self.name_edit.text().strip(),
            tracking_scheme=str(self.scheme_combo.currentData()),
            range_start=numbers[0],
            range_end=numbers[1],
            tracking_prefix=self.prefix_edit.text().strip(),
            tracking_suffix=self.suffix_edit.text().strip(),
            tracking_width=self.width_spin.value(),
            tracking_url=self.url_edit.text().strip(),
            label_layout=self.layout_combo.currentText(),
            services=tuple(self._service(row) for row in range(self.services.rowCount())),
        )
        return carrier, unreadable

    def check(self) -> CarrierInput | None:
        """The carrier if the service's own checks pass; else None, the problems shown."""
        carrier, unreadable = self.carrier()
        problems = unreadable + carrier_problems([carrier])
        self.show_problems(problems)
        return None if problems else carrier

    def show_problems(self, problems: list[str]) -> None:
        self.problems.show_problems(problems)
        text = " ".join(problems)
        for widget, words in self._marked.items():
            bad = any(re.search(rf"\b{word}\b", text) for word in words)
            widget.setStyleSheet(BAD_FIELD if bad else "")

    def _service(self, row: int) -> ServiceInput:
        def text(column: int) -> str:
            item = self.services.item(row, column)
            return item.text().strip() if item is not None else ""

        level = self.services.cellWidget(row, 2)
        default = self.services.item(row, 3)
        return ServiceInput(
            code=text(0),
            name=text(1),
            service_level=level.currentText() if isinstance(level, QComboBox) else "standard",
            is_default=default is not None and default.checkState() == Qt.CheckState.Checked,
        )

    def _update_sample(self) -> None:
        scheme = TrackingScheme(str(self.scheme_combo.currentData()))
        start = self.start_edit.text().strip()
        try:
            sample = make_tracking_number(
                scheme,
                int(start) if start.isascii() and start.isdigit() else 1,
                prefix=self.prefix_edit.text().strip(),
                suffix=self.suffix_edit.text().strip(),
                width=self.width_spin.value(),
            )
        except ValueError as exc:
            self.sample_label.setText(str(exc))
            return
        self.sample_label.setText(f"First number: {sample}")

    def _lay_out(self) -> None:
        left, right = QFormLayout(), QFormLayout()
        for form in (left, right):
            form.setHorizontalSpacing(10)
            form.setVerticalSpacing(6)
        left.addRow("Co&de", self.code_edit)
        left.addRow("Na&me", self.name_edit)
        left.addRow("Sc&heme", self.scheme_combo)
        left.addRow("Tracking &URL", self.url_edit)
        left.addRow("Label &layout", self.layout_combo)
        right.addRow("&Prefix", self.prefix_edit)
        right.addRow("Suff&ix", self.suffix_edit)
        right.addRow("Serial &width", self.width_spin)
        right.addRow("Range s&tart", self.start_edit)
        right.addRow("Range &end", self.end_edit)
        right.addRow("", self.sample_label)
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(24)
        grid.addLayout(left, 0, 0)
        grid.addLayout(right, 0, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(grid)
        layout.addWidget(QLabel("Services (orders of a level ship with its service)"))
        layout.addWidget(self.services, 1)
        layout.addLayout(
            button_row(
                button("Add service", lambda: self.add_service()),
                button("Remove service", self.remove_service),
            )
        )
        layout.addWidget(self.problems)
