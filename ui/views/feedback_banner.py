"""FeedbackBanner: one inline line saying what the last action did, or why it was refused."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from app.errors import OmsError, ValidationFailed
from ui.operations import show_error

_STYLES = {
    "ok": "background: #dcfce7; color: #14532d; border: 1px solid #86efac;",
    "problem": "background: #fee2e2; color: #991b1b; border: 1px solid #fca5a5;",
}
_PADDING = 6


def refusal_text(exc: OmsError) -> str:
    """A service's one-line refusal, capitalised, with any listed problems after it."""
    text = str(exc) or type(exc).__name__
    if isinstance(exc, ValidationFailed) and exc.problems:
        text += ": " + "; ".join(exc.problems[:3])
    return text[:1].upper() + text[1:]


class FeedbackBanner(QLabel):
    """Hidden until told something; green for done, red for refused. Never modal."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("feedbackBanner")
        self.setWordWrap(True)
        self.kind = ""
        self._keeps_place = False
        self.hide()

    def keep_place(self) -> None:
        """Reserve one line's height even while hidden, so that a message appearing or
        going never moves what is below it; a longer message is elided, whole in the
        tooltip."""
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.setSizePolicy(policy)
        self.setWordWrap(False)
        self.setFixedHeight(self.fontMetrics().height() + 2 * (_PADDING + 1))  # + border
        self._keeps_place = True

    def dismiss(self) -> None:
        """Take the message away (it was about something no longer shown)."""
        self.kind = ""
        self.hide()

    def show_ok(self, text: str) -> None:
        self._show("ok", text)

    def show_problem(self, text: str) -> None:
        self._show("problem", text)

    def show_refusal(self, exc: Exception) -> None:
        """A business refusal inline; anything unexpected in the usual error box."""
        if isinstance(exc, OmsError):
            self.show_problem(refusal_text(exc))
        else:
            show_error(self.window(), exc)

    def _show(self, kind: str, text: str) -> None:
        self.kind = kind
        if self._keeps_place:
            self.setToolTip(text)
            text = self.fontMetrics().elidedText(
                text, Qt.TextElideMode.ElideRight, max(self.width() - 24, 200)
            )
        self.setText(text)
        self.setStyleSheet(f"{_STYLES[kind]} border-radius: 6px; padding: {_PADDING}px 10px;")
        self.show()
