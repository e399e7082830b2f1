"""ReturnsStationWindow: the full-screen returns station (`--station returns`).

The same conventions as the pack and pick screens: keys reach the scan input wherever
the focus is; a good scan flashes green with a beep, a refusal is a red full-screen
alert with a double tone until the next scan. The screen shows the open parcel, each
line with how many may come back and how many were judged, and the units so far with
their condition and destination. `scan_processed(message, sound)` fires once the
answer to an input is on screen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.context import UiContext
from ui.sounds import SoundPlayer
from ui.station.feedback import Feedback
from ui.station.feedback_widgets import AlertOverlayWidget, FeedbackBarWidget, present_feedback
from ui.station.returns_controller import HOTKEYS, ReturnsController, ReturnStep
from ui.station.settings import StationSettings
from ui.station.station_style import STYLE_SHEET, scaled, screen_scale
from ui.widgets.scan_input import ScanInputWidget, monotonic_ms

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


def _table(name: str, columns: tuple[str, ...]) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(columns))
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[tuple[str, ...]]) -> None:
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(value))


class ReturnsStationWindow(QWidget):
    """One parcel at a time, driven by scans and keys."""

    scan_processed = Signal(str, str)  # message shown, sound id played ("" for none)

    def __init__(
        self,
        ctx: UiContext,
        *,
        settings: StationSettings | None = None,
        clock: Callable[[], float] = monotonic_ms,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._settings = settings or StationSettings()
        self.setObjectName("returnsStation")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setStyleSheet(RETURNS_STYLE_SHEET)
        self._scale = 1.0
        self.setWindowTitle(f"Shipshape - returns station {ctx.actor.station}")

        self.controller = ReturnsController(ctx, self)
        self.sounds = SoundPlayer(self)
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
        self.feedback_bar = FeedbackBarWidget()
        self.scan_input = ScanInputWidget(settings=self._settings.scan, clock=clock)
        self._build_layout()
        self.alert = AlertOverlayWidget(self)

        self.scan_input.scanned.connect(self._on_scan_input_scanned)
        self.scan_input.rejected.connect(self.controller.refuse)
        self.scan_input.command_pressed.connect(self.controller.command)
        self.controller.step_changed.connect(self._on_controller_step_changed)
        self.controller.parcel_changed.connect(self._on_controller_parcel_changed)
        self.controller.feedback_given.connect(self._on_controller_feedback_given)
        self.scan_input.capture(self)
        self._on_controller_parcel_changed()
        self._on_controller_step_changed(ReturnStep.IDLE)

    def _build_layout(self) -> None:
        header = QWidget()
        header.setObjectName("orderHeader")
        header.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        head = QVBoxLayout(header)
        head.setContentsMargins(24, 10, 24, 10)
        head.addWidget(self.title_label)
        head.addWidget(self.customer_label)
        body = QHBoxLayout()
        body.setSpacing(2)
        body.addWidget(self.lines_table, 3)
        body.addWidget(self.units_table, 2)

        footer = QWidget()
        footer.setObjectName("footer")
        footer.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        row = QHBoxLayout(footer)
        row.setContentsMargins(0, 0, 0, 0)
        actor = self._ctx.actor
        keys = "1-4 condition  ·  R Q S V or L:bin  ·  Enter = parcel done  ·  Esc = back"
        row.addWidget(self.scan_input, 1)
        row.addWidget(QLabel(f"Station {actor.station}  ·  {actor.username}  ·  {keys}"))

        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)  # any screen's size
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(header)
        layout.addLayout(body, 1)
        layout.addWidget(self.prompt_label)
        layout.addWidget(self.feedback_bar)
        layout.addWidget(footer)

    def _on_scan_input_scanned(self, code: str, manual: bool) -> None:
        self.alert.hide()
        self.controller.scan(code, manual)

    def _on_controller_step_changed(self, step: ReturnStep) -> None:
        self.scan_input.set_hotkeys(HOTKEYS.get(step, ()))
        self.prompt_label.setText(self.controller.prompt())

    def _on_controller_parcel_changed(self) -> None:
        parcel = self.controller.parcel
        if parcel is None:
            self.title_label.setText("Returns station")
            self.customer_label.setText("No parcel open")
            _fill(self.lines_table, [])
            _fill(self.units_table, [])
            return
        units = sum(line.expected for line in parcel.lines)
        kind = f"{units} units expected" if parcel.rma else "no RMA: an unexpected return"
        self.title_label.setText(f"{parcel.reference}  ·  order {parcel.order}")
        self.customer_label.setText(f"{parcel.customer}  ·  {kind}")
        _fill(
            self.lines_table,
            [
                (line.sku, line.name, str(line.expected), str(self.controller.scanned(line.sku)))
                for line in parcel.lines
            ],
        )
        _fill(
            self.units_table,
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

    def _on_controller_feedback_given(self, feedback: Feedback) -> None:
        self.prompt_label.setText(self.controller.prompt())
        present_feedback(
            feedback,
            alert=self.alert,
            bar=self.feedback_bar,
            sounds=self.sounds,
            context=self._alert_context,
        )
        self.scan_processed.emit(feedback.message, feedback.sound or "")

    def _alert_context(self) -> str:
        parcel = self.controller.parcel
        if parcel is None:
            return ""
        return f"Still open: {parcel.reference}  ·  {len(self.controller.units)} units judged"

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        scale = screen_scale(self.size())
        if scale != self._scale:  # type and fixed sizes for the 1280x800 design, scaled
            self._scale = scale
            self.setStyleSheet(scaled(RETURNS_STYLE_SHEET, scale))
            self.feedback_bar.apply_scale(scale)
            self.alert.apply_scale(scale)
        self.alert.setGeometry(self.rect())

    def closeEvent(self, event: QCloseEvent) -> None:
        self.scan_input.release()
        self._ctx.tasks.shutdown()
        super().closeEvent(event)
