"""How the pack screen answers a scan: a red full-screen alert, or a coloured message bar."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ui.sounds import SoundPlayer
from ui.station.pack_steps import Feedback, Tone
from ui.station.station_style import set_style_property

FLASH_MS = 600
ALERT_HINT = "Nothing was recorded  ·  the next scan continues"


class AlertOverlayWidget(QWidget):
    """Covers the whole station window in red until the next scan hides it; the window
    keeps its geometry in step (`resizeEvent`)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("alertOverlay")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        icon = QLabel("✖")
        icon.setObjectName("alertIcon")
        title = QLabel("STOP")
        title.setObjectName("alertTitle")
        self.message_label = QLabel()
        self.message_label.setObjectName("alertMessage")
        self.message_label.setWordWrap(True)
        hint = QLabel(ALERT_HINT)
        hint.setObjectName("alertHint")
        self.context_label = QLabel()
        self.context_label.setObjectName("alertContext")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(80, 60, 80, 60)
        layout.addStretch(1)
        for label in (icon, title, self.message_label, hint):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(label)
        layout.addStretch(1)
        self.context_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.context_label)
        self.hide()

    def show_message(self, message: str, context: str = "") -> None:
        """Show `message`; `context` (what is open, how far along) goes at the bottom."""
        self.message_label.setText(message)
        self.context_label.setText(context)
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
        self.setMinimumHeight(72)
        self._calm_timer = QTimer(self)
        self._calm_timer.setSingleShot(True)
        self._calm_timer.setInterval(FLASH_MS)
        self._calm_timer.timeout.connect(self._on_calm_timer_timeout)
        self.show_message("", "plain")

    def show_message(self, message: str, tone: str) -> None:
        """`tone`: good (flashes), bad, notice, question or plain."""
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
) -> None:
    """One outcome on a station screen: red full-screen alert for a refusal (with
    `context` saying where the work stands), the feedback bar, and the tone."""
    if feedback.tone is Tone.BAD:
        alert.show_message(feedback.message, context())
    elif feedback.tone is not Tone.NOTICE:
        alert.hide()
    bar.show_message(feedback.message, feedback.tone.value)
    if feedback.sound:
        sounds.play(feedback.sound)
