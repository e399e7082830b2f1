"""Is any label on a window cut off? Each visible QLabel's text must fit the label: one
that does not wrap needs its size hint, one that wraps its height for its width, and
no word may be wider than the label."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget


def _fits(label: QLabel) -> str | None:
    """Why `label`'s text is cut off, or None when it shows whole."""
    inner = label.contentsRect()
    metrics = label.fontMetrics()
    lines = label.text().splitlines()
    if label.wordWrap():
        widest = max(
            (metrics.horizontalAdvance(word) for line in lines for word in line.split()),
            default=0,
        )
        if widest > inner.width():
            return f"a word is {widest} px wide in {inner.width()} px"
        needed = label.heightForWidth(label.width())
        if needed > label.height():
            return f"needs {needed} px of height, has {label.height()}"
        return None
    hint = label.sizeHint()
    if hint.width() > label.width() or hint.height() > label.height():
        return f"needs {hint.width()}x{hint.height()}, has {label.width()}x{label.height()}"
    return None


def clipped_labels(window: QWidget) -> list[str]:
    """'objectName "text": why' for every visible label whose text does not fit."""
    found = []
    for label in window.findChildren(QLabel):
        if label.text() and label.isVisibleTo(window) and (why := _fits(label)):
            found.append(f'{label.objectName() or type(label).__name__} "{label.text()}": {why}')
    return found
