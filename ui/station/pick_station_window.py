"""PickStationWindow: the full-screen, scanner-driven picking screen.

A StationWindow: keys go to the ScanInputWidget wherever the focus is; it hands scans
to the PickController, which talks to the services off the UI thread and announces what
happened. This window only shows it: the current stop big, the walk ahead, the next
thing to scan, a green flash and a beep for a good scan, a red full-screen alert and a
double tone for a bad one. `scan_processed(message, sound)` fires once the answer to
an input is on screen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.pick_lists import PickListView
from app.services.picking import DEFAULT_LEASE_SECONDS
from ui.context import UiContext
from ui.station.pick_controller import NEXT_KEYS, SHORT_KEYS, PickController
from ui.station.pick_panels import (
    CurrentStopWidget,
    PickHeaderWidget,
    PickIdlePanelWidget,
    WalkTableView,
)
from ui.station.pick_steps import PROMPTS, PickStep, progress_text, short_prompt, walking_prompt
from ui.station.pick_style import PICK_STYLE_SHEET
from ui.station.pick_walk_model import PickWalkModel
from ui.station.settings import StationSettings
from ui.station.station_window import StationWindow
from ui.widgets.scan_input import monotonic_ms

IDLE_PAGE, LIST_PAGE = 0, 1
HOTKEYS = {PickStep.IDLE: NEXT_KEYS, PickStep.WALKING: SHORT_KEYS}
KEYS_HELP = "N = next list  ·  S = short  ·  Esc = release list"


class PickStationWindow(StationWindow):
    """One pick list at a time, driven by scans. Closing it stops its worker threads."""

    def __init__(
        self,
        ctx: UiContext,
        *,
        settings: StationSettings | None = None,
        lease_seconds: int = DEFAULT_LEASE_SECONDS,
        clock: Callable[[], float] = monotonic_ms,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            ctx,
            name="pickStation",
            kind="pick",
            style_sheet=PICK_STYLE_SHEET,
            settings=settings,
            clock=clock,
            parent=parent,
        )
        self.controller = PickController(ctx, lease_seconds=lease_seconds, parent=self)
        self.walk_model = PickWalkModel(self)
        self.idle_panel = PickIdlePanelWidget()
        self.header = PickHeaderWidget()
        self.stop_panel = CurrentStopWidget()
        self.walk_table = WalkTableView(self.walk_model)
        self.prompt_label = QLabel()
        self.prompt_label.setObjectName("stepPrompt")
        self.prompt_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.prompt_label.setWordWrap(True)
        self.pages = QStackedWidget()
        self._build_pages()
        self.attach(self.controller, self.pages, KEYS_HELP)
        self.scan_input.command_pressed.connect(self.controller.command)
        self.scan_input.typing_changed.connect(self._on_scan_input_typing_changed)
        self.controller.step_changed.connect(self._on_controller_step_changed)
        self.controller.list_changed.connect(self._on_controller_list_changed)
        self.controller.list_done.connect(self._on_controller_list_done)
        self._on_controller_step_changed(PickStep.IDLE)

    def _build_pages(self) -> None:
        body = QHBoxLayout()
        body.setSpacing(0)
        body.addWidget(self.stop_panel, 4)
        body.addWidget(self.walk_table, 3)
        list_page = QWidget()
        page = QVBoxLayout(list_page)
        page.setContentsMargins(0, 0, 0, 0)
        page.setSpacing(0)
        page.addWidget(self.header)
        page.addLayout(body, 1)
        page.addWidget(self.prompt_label)
        self.pages.addWidget(self.idle_panel)
        self.pages.addWidget(list_page)

    def _on_scan_input_typing_changed(self, typed: str) -> None:
        stop = self.controller.short_stop
        if self.controller.step is PickStep.SHORT_COUNT and stop is not None:
            self.prompt_label.setText(short_prompt(stop, typed))

    def _on_controller_step_changed(self, step: PickStep) -> None:
        open_list = step not in (PickStep.IDLE, PickStep.CLAIMING)
        self.pages.setCurrentIndex(LIST_PAGE if open_list else IDLE_PAGE)
        self.scan_input.set_hotkeys(HOTKEYS.get(step, ()))
        self._show_prompt()

    def _on_controller_list_changed(self, view: PickListView | None) -> None:
        stop = self.controller.stop
        self.walk_model.set_view(view, stop)
        if view is not None:
            self.header.show_list(view, stop)
            self.stop_panel.show_stop(
                stop, stop is not None and stop.location == self.controller.location
            )
            self.walk_table.follow(self.walk_model, any(t.tote for t in view.tasks))
        self._show_prompt()

    def _on_controller_list_done(self, view: PickListView) -> None:
        orders = ", ".join(view.orders)
        self.idle_panel.last_result_label.setText(
            f"Last: {view.number} picked  ·  {view.picked} units  ·  {orders}"
        )

    def _show_prompt(self) -> None:
        controller = self.controller
        if controller.step is PickStep.WALKING:
            text = walking_prompt(controller.stop, controller.location)
        elif controller.step is PickStep.SHORT_COUNT and controller.short_stop is not None:
            text = short_prompt(controller.short_stop, "")
        else:
            text = PROMPTS.get(controller.step, "")
        self.prompt_label.setText(text)

    def alert_context(self) -> str:
        view = self.controller.view
        if view is None:
            return ""
        return f"Still picking {view.number}  ·  {progress_text(view, self.controller.stop)}"

    def apply_scale(self, scale: float) -> None:
        super().apply_scale(scale)
        self.walk_table.apply_scale(scale)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.controller.lease.drop()
        super().closeEvent(event)
