"""PackStationWindow: the full-screen, scanner-driven packing screen.

Keys go to the ScanInputWidget wherever the focus is; it hands scans to the
PackController, which talks to the services off the UI thread and announces what
happened. This window only shows it: the order and its lines, the next step, a green
flash and a beep for a good scan, a red full-screen alert and a double tone for a bad
one. `scan_processed(message, sound)` fires once the answer to an input is on screen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from app.dto import PackLine, PackResult, PackState
from ui.context import UiContext
from ui.sounds import SoundPlayer
from ui.station.box_types import STANDARD_BOXES, BoxCatalogue
from ui.station.feedback_widgets import AlertOverlayWidget, FeedbackBarWidget, present_feedback
from ui.station.order_panel import OrderPanelWidget
from ui.station.pack_controller import NEXT_ORDER_KEYS, QUANTITY_KEYS, PackController
from ui.station.pack_lines_model import PackLinesModel
from ui.station.pack_steps import Feedback, Step
from ui.station.settings import StationSettings
from ui.station.station_style import STYLE_SHEET
from ui.station.step_panels import IdlePanelWidget, StepPanelWidget
from ui.widgets.scan_input import ScanInputWidget, monotonic_ms

IDLE_PAGE, ORDER_PAGE = 0, 1


class PackStationWindow(QWidget):
    """One order at a time, driven by scans alone. Closing it stops its worker threads."""

    scan_processed = Signal(str, str)  # message shown, sound id played ("" for none)

    def __init__(
        self,
        ctx: UiContext,
        *,
        settings: StationSettings | None = None,
        clock: Callable[[], float] = monotonic_ms,
        boxes: BoxCatalogue = STANDARD_BOXES,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._settings = settings or StationSettings()
        self.setObjectName("packStation")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setStyleSheet(STYLE_SHEET)
        self.setWindowTitle(f"Shipshape - pack station {ctx.actor.station}")

        self.controller = PackController(ctx, self, boxes=boxes)
        self.sounds = SoundPlayer(self)
        self.lines_model = PackLinesModel(self)
        self.idle_panel = IdlePanelWidget()
        self.order_panel = OrderPanelWidget(self.lines_model)
        self.step_panel = StepPanelWidget(boxes=boxes)
        self.feedback_bar = FeedbackBarWidget()
        self.scan_input = ScanInputWidget(settings=self._settings.scan, clock=clock)
        self.pages = QStackedWidget()
        self._build_layout()
        self.alert = AlertOverlayWidget(self)

        self.scan_input.scanned.connect(self._on_scan_input_scanned)
        self.scan_input.rejected.connect(self._on_scan_input_rejected)
        self.scan_input.command_pressed.connect(self._on_scan_input_command_pressed)
        self.scan_input.typing_changed.connect(self._on_scan_input_typing_changed)
        self.controller.step_changed.connect(self._on_controller_step_changed)
        self.controller.state_loaded.connect(self._on_controller_state_loaded)
        self.controller.line_updated.connect(self._on_controller_line_updated)
        self.controller.packed.connect(self._on_controller_packed)
        self.controller.feedback_given.connect(self._on_controller_feedback_given)
        self.scan_input.capture(self)
        self._on_controller_step_changed(Step.IDLE)

    def _build_layout(self) -> None:
        order_page = QWidget()
        order_layout = QVBoxLayout(order_page)
        order_layout.setContentsMargins(0, 0, 0, 0)
        order_layout.setSpacing(0)
        order_layout.addWidget(self.order_panel, 1)
        order_layout.addWidget(self.step_panel)
        self.pages.addWidget(self.idle_panel)
        self.pages.addWidget(order_page)

        footer = QWidget()
        footer.setObjectName("footer")
        footer.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        row = QHBoxLayout(footer)
        row.setContentsMargins(0, 0, 0, 0)
        actor = self._ctx.actor
        keys = "N = next order  ·  Esc = release order"
        who = QLabel(f"Station {actor.station}  ·  {actor.username}  ·  {keys}")
        row.addWidget(self.scan_input, 1)
        row.addWidget(who)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.feedback_bar)
        layout.addWidget(footer)

    def _on_scan_input_scanned(self, code: str, manual: bool) -> None:
        self.alert.hide()
        self.controller.scan(code, manual)

    def _on_scan_input_rejected(self, message: str) -> None:
        self.controller.refuse(message)

    def _on_scan_input_command_pressed(self, name: str) -> None:
        self.controller.command(name)

    def _on_scan_input_typing_changed(self, typed: str) -> None:
        self.step_panel.show_typed(typed)

    def _on_controller_step_changed(self, step: Step) -> None:
        self.pages.setCurrentIndex(IDLE_PAGE if step in (Step.IDLE, Step.OPENING) else ORDER_PAGE)
        self.step_panel.show_step(step, self.controller.box)
        hotkeys = {
            Step.BOX: self.controller.boxes.keys,
            Step.IDLE: NEXT_ORDER_KEYS,
            Step.SCANNING: QUANTITY_KEYS,
        }
        self.scan_input.set_hotkeys(hotkeys.get(step, ()))
        self.scan_input.forbid_manual = self._settings.forbid_manual and step is Step.SCANNING

    def _on_controller_state_loaded(self, state: PackState | None) -> None:
        if state is None:
            self.lines_model.set_state(None)
        else:
            self.order_panel.show_state(state)

    def _on_controller_line_updated(self, line: PackLine) -> None:
        row = self.lines_model.apply_line(line)
        if row is not None:
            self.order_panel.update_progress()
            self.order_panel.scroll_to_row(row)

    def _on_controller_packed(self, result: PackResult) -> None:
        self.idle_panel.last_result_label.setText(
            f"Last: {result.order_number} packed  ·  tracking {result.tracking_number}"
        )

    def _on_controller_feedback_given(self, feedback: Feedback) -> None:
        present_feedback(
            feedback,
            alert=self.alert,
            bar=self.feedback_bar,
            sounds=self.sounds,
            context=self._alert_context,
        )
        self.scan_processed.emit(feedback.message, feedback.sound or "")

    def _alert_context(self) -> str:
        state = self.controller.state
        if state is None:
            return ""
        done, total = self.lines_model.units_scanned, self.lines_model.units_expected
        return f"Still packing {state.number}  ·  {done} of {total} items scanned"

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.alert.setGeometry(self.rect())

    def closeEvent(self, event: QCloseEvent) -> None:
        self.scan_input.release()
        self._ctx.tasks.shutdown()
        super().closeEvent(event)
