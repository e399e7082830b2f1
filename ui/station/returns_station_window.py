"""ReturnsStationWindow: the full-screen returns station (`--station returns`).

The same conventions as the pack and pick screens (`StationWindow`): keys reach the scan
input wherever the focus is; a good scan flashes green with a beep, a refusal is a red
full-screen alert with a double tone until the next scan. The screen shows the open parcel, each
line with how many may come back and how many were judged, and the units so far with
their condition and destination. `scan_processed(message, sound)` fires once the
answer to an input is on screen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from app.wording import counted
from ui.context import UiContext
from ui.station.returns_controller import HOTKEYS, ReturnsController, ReturnStep
from ui.station.settings import StationSettings
from ui.station.station_style import STYLE_SHEET
from ui.station.station_window import StationWindow
from ui.widgets.read_only_table_widget import ReadOnlyTableWidget
from ui.widgets.scan_input import monotonic_ms

RETURNS_STYLE_SHEET = (
    STYLE_SHEET
    + """
#returnsStation { background: #f3f4f6; }
#returnsStation #stepPrompt { font-size: 28px; }
#parcelTitle { font-size: 44px; font-weight: 800; color: #111827; }
#parcelCustomer { font-size: 24px; color: #475467; }
#returnLines, #returnUnits { font-size: 24px; background: #ffffff; border: none;
                             gridline-color: #e4e7ec; }
#returnLines QHeaderView::section, #returnUnits QHeaderView::section {
    font-size: 18px; font-weight: 700; color: #475467; background: #f9fafb; border: none;
    padding: 6px; border-bottom: 2px solid #d0d5dd; }
"""
)
LINE_COLUMNS = ("SKU", "Item", "May return", "Scanned")
UNIT_COLUMNS = ("#", "SKU", "Condition", "Goes to")
KEYS_HELP = "1-4 condition  ·  R Q S V or L:bin  ·  Enter = parcel done  ·  Esc = back"


def _table(name: str, columns: tuple[str, ...]) -> ReadOnlyTableWidget:
    """A table the scanner never focuses: keys go to the station, not the rows."""
    table = ReadOnlyTableWidget(columns, stretch=len(columns) - 1)
    table.setObjectName(name)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    return table


class ReturnsStationWindow(StationWindow):
    """One parcel at a time, driven by scans and keys."""

    def __init__(
        self,
        ctx: UiContext,
        *,
        settings: StationSettings | None = None,
        clock: Callable[[], float] = monotonic_ms,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            ctx,
            name="returnsStation",
            kind="returns",
            style_sheet=RETURNS_STYLE_SHEET,
            settings=settings,
            clock=clock,
            parent=parent,
        )
        self.controller = ReturnsController(ctx, self)
        self.title_label = QLabel()
        self.title_label.setObjectName("parcelTitle")
        self.customer_label = QLabel()
        self.customer_label.setObjectName("parcelCustomer")
        self.lines_table = _table("returnLines", LINE_COLUMNS)
        self.units_table = _table("returnUnits", UNIT_COLUMNS)
        self.prompt_label = QLabel()
        self.prompt_label.setObjectName("stepPrompt")
        self.prompt_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prompt_label.setWordWrap(True)
        # the prompt first: the answer (scan_processed) goes out once all is on screen
        self.controller.feedback_given.connect(self._on_controller_feedback_shown)
        self.attach(self.controller, self._body(), KEYS_HELP)
        self.scan_input.command_pressed.connect(self.controller.command)
        self.controller.step_changed.connect(self._on_controller_step_changed)
        self.controller.parcel_changed.connect(self._on_controller_parcel_changed)
        self._on_controller_parcel_changed()
        self._on_controller_step_changed(ReturnStep.IDLE)

    def _body(self) -> QWidget:
        header = QWidget()
        header.setObjectName("orderHeader")
        header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        head = QVBoxLayout(header)
        head.setContentsMargins(24, 10, 24, 10)
        head.addWidget(self.title_label)
        head.addWidget(self.customer_label)
        tables = QHBoxLayout()
        tables.setSpacing(2)
        tables.addWidget(self.lines_table, 3)
        tables.addWidget(self.units_table, 2)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(header)
        layout.addLayout(tables, 1)
        layout.addWidget(self.prompt_label)
        return body

    def _on_controller_step_changed(self, step: ReturnStep) -> None:
        self.scan_input.set_hotkeys(HOTKEYS.get(step, ()))
        self.prompt_label.setText(self.controller.prompt())

    def _on_controller_feedback_shown(self) -> None:
        self.prompt_label.setText(self.controller.prompt())

    def _on_controller_parcel_changed(self) -> None:
        parcel = self.controller.parcel
        if parcel is None:
            self.title_label.setText("Returns station")
            self.customer_label.setText("No parcel open")
            self.lines_table.set_rows([])
            self.units_table.set_rows([])
            return
        units = sum(line.expected for line in parcel.lines)
        kind = (
            f"{counted(units, 'unit')} expected" if parcel.rma else "no RMA: an unexpected return"
        )
        self.title_label.setText(f"{parcel.reference}  ·  order {parcel.order}")
        self.customer_label.setText(f"{parcel.customer}  ·  {kind}")
        self.lines_table.set_rows(
            [
                (line.sku, line.name, str(line.expected), str(self.controller.scanned(line.sku)))
                for line in parcel.lines
            ],
        )
        self.units_table.set_rows(
            [
                (
                    str(n),
                    unit.sku,
                    unit.condition.value.replace("_", " "),
                    unit.disposition.value + (f" {unit.location}" if unit.location else ""),
                )
                for n, unit in enumerate(self.controller.units, 1)
            ],
        )

    def alert_context(self) -> str:
        parcel = self.controller.parcel
        if parcel is None:
            return ""
        return f"Still open: {parcel.reference}  ·  {len(self.controller.units)} units judged"
