"""StationWindow: what every full-screen scanner station window shares.

The scan input that holds the keyboard wherever the focus is, the feedback bar, the
sounds, the red full-screen alert (hidden by the next scan), the footer naming the
station, user and keys, scaling the style sheet to the screen from the 1280x800
design, and stopping the worker threads on close. A station adds its controller
(a StepController) and its own panels; `scan_processed(message, sound)` fires once the
answer to an input is on screen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLayout, QVBoxLayout, QWidget

from ui.context import UiContext
from ui.sounds import SoundPlayer
from ui.station.feedback import Feedback
from ui.station.feedback_widgets import AlertOverlayWidget, FeedbackBarWidget, present_feedback
from ui.station.settings import StationSettings
from ui.station.station_style import scaled, screen_scale
from ui.station.step_machine import StepController
from ui.widgets.scan_input import ScanInputWidget, monotonic_ms


class StationWindow(QWidget):
    """A station screen: subclasses build `body()` and give their controller."""

    scan_processed = Signal(str, str)  # message shown, sound id played ("" for none)

    def __init__(
        self,
        ctx: UiContext,
        *,
        name: str,
        kind: str,
        style_sheet: str,
        settings: StationSettings | None = None,
        clock: Callable[[], float] = monotonic_ms,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._settings = settings or StationSettings()
        self._style_sheet = style_sheet
        self._scale = 1.0
        self.setObjectName(name)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setStyleSheet(style_sheet)
        self.setWindowTitle(f"Shipshape - {kind} station {ctx.actor.station}")
        self.sounds = SoundPlayer(self)
        self.feedback_bar = FeedbackBarWidget()
        self.scan_input = ScanInputWidget(settings=self._settings.scan, clock=clock)
        self.footer_label = QLabel()
        self.warning: AlertOverlayWidget | None = None  # an amber overlay, if the station has one

    def attach(self, controller: StepController, body: QWidget, keys: str) -> None:
        """Lay out `body` over the feedback bar and footer, and wire the scan input and
        the alert to `controller`."""
        self._controller = controller
        footer = QWidget()
        footer.setObjectName("footer")
        footer.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        row = QHBoxLayout(footer)
        row.setContentsMargins(0, 0, 0, 0)
        actor = self._ctx.actor
        self.footer_label.setText(f"{actor.station}  ·  {actor.username}  ·  {keys}")
        row.addWidget(self.scan_input, 1)
        row.addWidget(self.footer_label)
        layout = QVBoxLayout(self)
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)  # any screen's size
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(body, 1)
        layout.addWidget(self.feedback_bar)
        layout.addWidget(footer)
        self.alert = AlertOverlayWidget(self)
        self.scan_input.scanned.connect(self._on_scan_input_scanned)
        self.scan_input.rejected.connect(controller.refuse)
        controller.feedback_given.connect(self._on_controller_feedback_given)
        self.scan_input.capture(self)

    def alert_context(self) -> str:
        """Where the work stands, at the foot of a red alert."""
        return ""

    def _on_scan_input_scanned(self, code: str, manual: bool) -> None:
        self.alert.hide()
        self._controller.scan(code, manual)

    def _on_controller_feedback_given(self, feedback: Feedback) -> None:
        present_feedback(
            feedback,
            alert=self.alert,
            bar=self.feedback_bar,
            sounds=self.sounds,
            context=self.alert_context,
            warning=self.warning,
        )
        self.scan_processed.emit(feedback.message, feedback.sound or "")

    def apply_scale(self, scale: float) -> None:
        """Type and fixed sizes for a window `scale` times the 1280x800 design."""
        self.setStyleSheet(scaled(self._style_sheet, scale))
        for overlay in (self.feedback_bar, self.alert, self.warning):
            if overlay is not None:
                overlay.apply_scale(scale)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        scale = screen_scale(self.size())
        if scale != self._scale:
            self._scale = scale
            self.apply_scale(scale)
        self.alert.setGeometry(self.rect())
        if self.warning is not None:
            self.warning.setGeometry(self.rect())

    def closeEvent(self, event: QCloseEvent) -> None:
        self.scan_input.release()
        self._ctx.tasks.shutdown()
        super().closeEvent(event)
