"""How a station screen answers: a full-screen alert (red for a refusal, amber for a
printer problem), or a coloured message bar."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.sounds import SoundPlayer
from ui.station.feedback import Feedback, Tone
from ui.station.station_style import set_style_property

FLASH_MS = 600
ALERT_HINT = "Nothing was recorded  ·  the next scan continues"
_MARGINS = (80, 50, 80, 40)


class AlertOverlayWidget(QWidget):
    """Covers the whole station window until hidden (a red alert: by the next scan);
    the window keeps its geometry in step (`resizeEvent`). `tone` "bad" is red with a
    cross, "warning" amber with a warning sign."""

    def __init__(self, parent: QWidget, *, tone: str = "bad") -> None:
        super().__init__(parent)
        self.setObjectName("alertOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setProperty("tone", tone)
        warning = tone == "warning"
        icon = QLabel("⚠" if warning else "✖")
        icon.setObjectName("alertIcon")
        title = QLabel("PRINTER" if warning else "STOP")
        title.setObjectName("alertTitle")
        self.message_label = QLabel()
        self.message_label.setObjectName("alertMessage")
        self.detail_label = QLabel()
        self.detail_label.setObjectName("alertDetail")
        self.hint_label = QLabel()
        self.hint_label.setObjectName("alertHint")
        self.context_label = QLabel()
        self.context_label.setObjectName("alertContext")
        self._layout = QVBoxLayout(self)
        self._layout.addStretch(1)
        for label in (icon, title, self.message_label, self.detail_label, self.hint_label):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setWordWrap(True)
            self._layout.addWidget(label)
        self._layout.addStretch(1)
        self.context_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.context_label.setWordWrap(True)
        self._layout.addWidget(self.context_label)
        self.apply_scale(1.0)
        self.hide()

    def apply_scale(self, scale: float) -> None:
        self._layout.setContentsMargins(*(round(m * scale) for m in _MARGINS))
        self._layout.setSpacing(round(10 * scale))

    def show_message(
        self, message: str, context: str = "", *, detail: str = "", hint: str = ALERT_HINT
    ) -> None:
        """Show `message` (`detail` and `hint` under it); `context` (what is open, how far
        along) goes at the bottom."""
        self.message_label.setText(message)
        for label, text in ((self.detail_label, detail), (self.context_label, context)):
            label.setText(text)
            label.setVisible(bool(text))
        self.hint_label.setText(hint)
        host = self.parentWidget()
        if host is not None:
            self.setGeometry(host.rect())
        self.raise_()
        self.show()

    def message(self) -> str:
        return self.message_label.text() if self.isVisible() else ""


class FeedbackBarWidget(QLabel):
    """The last message, coloured by tone; a good scan flashes green, then calms down."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("feedbackBar")
        self.setWordWrap(True)
        self._calm_timer = QTimer(self)
        self._calm_timer.setSingleShot(True)
        self._calm_timer.setInterval(FLASH_MS)
        self._calm_timer.timeout.connect(self._on_calm_timer_timeout)
        self.apply_scale(1.0)
        self.show_message("", "plain")

    def apply_scale(self, scale: float) -> None:
        self.setMinimumHeight(round(72 * scale))

    def show_message(self, message: str, tone: str) -> None:
        """`tone`: good (flashes), bad, notice, question, warning or plain."""
        self.setText(message)
        set_style_property(self, "tone", tone)
        if tone == "good":
            self._calm_timer.start()
        else:
            self._calm_timer.stop()

    def tone(self) -> str:
        return str(self.property("tone"))

    def _on_calm_timer_timeout(self) -> None:
        set_style_property(self, "tone", "plain")


def present_feedback(
    feedback: Feedback,
    *,
    alert: AlertOverlayWidget,
    bar: FeedbackBarWidget,
    sounds: SoundPlayer,
    context: Callable[[], str],
    warning: AlertOverlayWidget | None = None,
) -> None:
    """One outcome on a station screen: red full-screen alert for a refusal (with
    `context` saying where the work stands), amber `warning` overlay for a printer
    problem, the feedback bar, and the tone."""
    if feedback.tone is Tone.BAD:
        alert.show_message(
            feedback.message, context(), detail=feedback.detail, hint=feedback.hint or ALERT_HINT
        )
    elif feedback.tone is not Tone.NOTICE:
        alert.hide()
    if warning is not None:
        if feedback.tone is Tone.WARNING:
            warning.show_message(
                feedback.message, context(), detail=feedback.detail, hint=feedback.hint
            )
        elif feedback.tone is not Tone.BAD:
            warning.hide()
    bar.show_message(feedback.message, feedback.tone.value)
    if feedback.sound:
        sounds.play(feedback.sound)
