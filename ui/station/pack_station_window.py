"""PackStationWindow: the full-screen, scanner-driven packing screen.

A StationWindow: keys go to the ScanInputWidget wherever the focus is; it hands scans to the
PackController, which talks to the services off the UI thread and announces what
happened. This window only shows it: the order and its lines, the next step (the
suggested box, the expected weight), a green flash and a beep for a good scan, a red
full-screen alert and a double tone for a bad one, an amber one for a printer that
failed. F2 opens the station's devices. Everything is sized for 1280x800 and scaled
to the window. `scan_processed(message, sound)` fires once the answer to an input is
on screen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.weight_check import format_kg
from app.dto import PackLine, PackState
from app.services.box_advice import BoxAdvice
from app.services.stations import StationDevices
from ui.context import UiContext
from ui.station.devices_dialog import StationDevicesDialog
from ui.station.feedback_widgets import AlertOverlayWidget
from ui.station.order_panel import OrderPanelWidget
from ui.station.pack_advice import suggestion_prompt, weight_context
from ui.station.pack_controller import NEXT_ORDER_KEYS, QUANTITY_KEYS, PackController
from ui.station.pack_lines_model import PackLinesModel
from ui.station.pack_printing import PRINTER_KEYS
from ui.station.pack_steps import Step
from ui.station.scale_watcher import ScaleWatcher
from ui.station.settings import StationSettings
from ui.station.station_setup import StationSetup
from ui.station.station_style import STYLE_SHEET
from ui.station.station_window import StationWindow
from ui.station.step_panels import IdlePanelWidget, StepPanelWidget
from ui.widgets.scan_input import monotonic_ms

IDLE_PAGE, ORDER_PAGE = 0, 1
IDLE_STEPS = frozenset({Step.STARTING, Step.IDLE, Step.OPENING})
KEYS_HELP = "N = next order  ·  F2 = devices  ·  Esc = release"


class PackStationWindow(StationWindow):
    """One order at a time, driven by scans alone. Closing it stops its worker threads."""

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
            name="packStation",
            kind="pack",
            style_sheet=STYLE_SHEET,
            settings=settings,
            clock=clock,
            parent=parent,
        )
        self.controller = PackController(ctx, self)
        self.scale_watcher = ScaleWatcher(self)
        self.lines_model = PackLinesModel(self)
        self.idle_panel = IdlePanelWidget()
        self.order_panel = OrderPanelWidget(self.lines_model)
        self.step_panel = StepPanelWidget()
        self.pages = QStackedWidget()
        self._build_pages()
        self.printer_alert = self.warning = AlertOverlayWidget(self, tone="warning")
        self.attach(self.controller, self.pages, KEYS_HELP)
        self.devices_dialog: StationDevicesDialog | None = None
        self.apply_scale(1.0)
        self.scan_input.command_pressed.connect(self.controller.command)
        self.scan_input.typing_changed.connect(self.step_panel.show_typed)
        self.controller.step_changed.connect(self._on_controller_step_changed)
        self.controller.state_loaded.connect(self._on_controller_state_loaded)
        self.controller.line_updated.connect(self._on_controller_line_updated)
        self.controller.setup_checked.connect(self._on_controller_setup_checked)
        self.controller.advice_ready.connect(self._on_controller_advice_ready)
        self.controller.order_done.connect(self._on_controller_order_done)
        self.controller.devices_requested.connect(self.open_devices_dialog)
        self.scale_watcher.weighed.connect(self._on_scale_watcher_weighed)
        self.scale_watcher.failed.connect(self._on_scale_watcher_failed)
        self.controller.start()

    def _build_pages(self) -> None:
        order_page = QWidget()
        order_layout = QVBoxLayout(order_page)
        order_layout.setContentsMargins(0, 0, 0, 0)
        order_layout.setSpacing(0)
        order_layout.addWidget(self.order_panel, 1)
        order_layout.addWidget(self.step_panel)
        self.pages.addWidget(self.idle_panel)
        self.pages.addWidget(order_page)

    def apply_scale(self, scale: float) -> None:
        super().apply_scale(scale)
        for part in (self.idle_panel, self.order_panel, self.step_panel):
            part.apply_scale(scale)

    def open_devices_dialog(self) -> StationDevicesDialog:
        """F2: choose this station's printers and scale (keys go to the dialog meanwhile)."""
        setup = self.controller.setup
        devices = setup.devices if setup else StationDevices(self._ctx.actor.station, "", "", "")
        self.devices_dialog = StationDevicesDialog(
            self._ctx, devices, setup.printers if setup else (), self
        )
        self.devices_dialog.saved.connect(lambda _: self.controller.devices_changed())
        self.devices_dialog.finished.connect(self._on_devices_dialog_finished)
        self.devices_dialog.open()
        return self.devices_dialog

    def _on_devices_dialog_finished(self) -> None:
        """The keyboard comes back to the station (with no window manager, nothing else
        would give it back)."""
        self.activateWindow()
        if (handle := self.windowHandle()) is not None:
            handle.requestActivate()

    # --- what the controller says -------------------------------------------------------

    def _on_controller_step_changed(self, step: Step) -> None:
        controller = self.controller
        self.pages.setCurrentIndex(IDLE_PAGE if step in IDLE_STEPS else ORDER_PAGE)
        if step is Step.WEIGHT and controller.box is not None:
            self.step_panel.weight_context = weight_context(controller.advice, controller.box)
            self._show_scale_weight()
        self.step_panel.show_step(step)
        if step is not Step.PRINTER_FAILED:
            self.printer_alert.hide()
        hotkeys: dict[Step, tuple[str, ...]] = {
            Step.BOX: controller.boxes.keys,
            Step.IDLE: NEXT_ORDER_KEYS,
            Step.SCANNING: QUANTITY_KEYS,
            Step.PRINTER_FAILED: PRINTER_KEYS
            + (tuple("123456789") if controller.printer.choosing else ()),
        }
        self.scan_input.set_hotkeys(hotkeys.get(step, ()))
        self.scan_input.forbid_manual = self._settings.forbid_manual and step is Step.SCANNING

    def _on_controller_state_loaded(self, state: PackState | None) -> None:
        if state is None:
            self.lines_model.set_state(None)
        else:
            self.order_panel.show_state(state)
            self.step_panel.suggest(None, suggestion_prompt(None, self.controller.boxes))

    def _on_controller_line_updated(self, line: PackLine) -> None:
        row = self.lines_model.apply_line(line)
        if row is not None:
            self.order_panel.update_progress()
            self.order_panel.scroll_to_row(row)

    def _on_controller_setup_checked(self, setup: StationSetup) -> None:
        self.idle_panel.show_problems(setup.problems)
        self.step_panel.set_boxes(setup.boxes)
        self.scale_watcher.watch(setup.devices.scale)
        actor = self._ctx.actor
        label = setup.devices.label_target
        self.footer_label.setText(
            f"{actor.station}  ·  {actor.username}  ·  label: {label}  ·  {KEYS_HELP}"
        )

    def _on_controller_advice_ready(self, advice: BoxAdvice) -> None:
        boxes = self.controller.boxes
        self.step_panel.suggest(advice.suggestion.code, suggestion_prompt(advice, boxes))

    def _on_controller_order_done(self, text: str) -> None:
        self.idle_panel.last_result_label.setText(f"Last: {text}")

    def alert_context(self) -> str:
        state = self.controller.state
        if state is None:
            return ""
        if self.controller.step is Step.PRINTER_FAILED:
            return f"{state.number} is packed  ·  going on leaves this job waiting in Print jobs"
        done, total = self.lines_model.units_scanned, self.lines_model.units_expected
        return f"Still packing {state.number}  ·  {done} of {total} items scanned"

    # --- the scale ----------------------------------------------------------------------

    def _on_scale_watcher_weighed(self, grams: int) -> None:
        self.controller.weighed(grams)
        if self.controller.step is Step.WEIGHT:
            self._show_scale_weight()
            self.step_panel.show_typed("")

    def _on_scale_watcher_failed(self, message: str) -> None:
        self.feedback_bar.show_message(f"{message} - type the weight instead", "notice")

    def _show_scale_weight(self) -> None:
        grams = self.controller.scale_g
        if grams is not None:
            text = f"{format_kg(grams)} on the scale  ·  Enter to confirm"
        elif self.scale_watcher.spec:
            text = "put the parcel on the scale (or type grams + Enter)"
        else:
            text = ""
        self.step_panel.scale_text = text

    # --- window -------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.scale_watcher.stop()
        super().closeEvent(event)
