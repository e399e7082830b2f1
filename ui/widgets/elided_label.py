"""ElidedLabel: one line of text shortened with "…" when short of room, not widening."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QWidget


class ElidedLabel(QLabel):
    """A plain-text QLabel of one line that would like its whole width but needs none;
    the whole text is its tooltip.

    A plain QLabel's minimum size is its whole text, so a long database path in the status
    bar, or a database error with its SQL in a banner, would make the main window wider or
    taller than a 1024x600 screen. Only the first line is shown ("…" marks the rest).
    """

    def __init__(
        self,
        text: str = "",
        parent: QWidget | None = None,
        *,
        mode: Qt.TextElideMode = Qt.TextElideMode.ElideRight,
    ) -> None:
        super().__init__(parent)
        self._mode = mode
        self._text = ""
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setText(text)

    def setText(self, text: str) -> None:
        self._text = text
        first, _, rest = text.partition("\n")
        super().setText(first + (" …" if rest.strip() else ""))
        self.setToolTip(text)

    def text(self) -> str:
        """The whole text, as given."""
        return self._text

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        area = self.contentsRect()
        line = self.fontMetrics().elidedText(QLabel.text(self), self._mode, area.width())
        painter = QPainter(self)
        self.style().drawItemText(
            painter,
            area,
            int(self.alignment()),
            self.palette(),
            self.isEnabled(),
            line,
            self.foregroundRole(),
        )
