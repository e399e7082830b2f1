"""FeedbackBanner: one inline line saying what the last action did, or why it was refused."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from app.errors import OmsError, ValidationFailed
from ui.operations import show_error

_STYLES = {
    "ok": "background: #dcfce7; color: #14532d; border: 1px solid #86efac;",
    "problem": "background: #fee2e2; color: #991b1b; border: 1px solid #fca5a5;",
}


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
        self.setText(text)
        self.setStyleSheet(f"{_STYLES[kind]} border-radius: 6px; padding: 6px 10px;")
        self.show()
