"""StatusPage: what the site still lacks before a station can pack, each with a button to
the page that sets it."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from app.services.site_readiness import station_setup_problems
from ui.context import UiContext
from ui.operations import QueryOp
from ui.settings.page_parts import button, button_row, heading
from ui.views.feedback_banner import FeedbackBanner

TITLE = "Set-up status"
READY = "Everything a packing station needs is set up."


def page_for(problem: str, titles: Sequence[str]) -> str | None:
    """The page a problem's "Settings > Page" names, if it is one of `titles`."""
    return next((title for title in titles if f"Settings > {title}" in problem), None)


class StatusPage(QWidget):
    """`page_requested(title)` when a problem's button is pressed; `wizard_requested` for
    the set-up wizard; `refreshed` once the problems are listed."""

    refreshed = Signal()
    page_requested = Signal(str)
    wizard_requested = Signal()

    def __init__(
        self, ctx: UiContext, titles: Sequence[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._titles = titles
        self.title = TITLE
        self.problems: list[str] = []
        self.banner = FeedbackBanner()
        self.rows = QGridLayout()
        self.rows.setColumnStretch(0, 1)
        self.rows.setVerticalSpacing(10)
        self.wizard_button = button("Open the set-up wizard…", lambda: self.wizard_requested.emit())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(
            heading(TITLE, "What is still missing before a packing station can ship parcels.")
        )
        layout.addWidget(self.banner)
        layout.addLayout(self.rows)
        layout.addSpacing(12)
        layout.addLayout(button_row(self.wizard_button))
        layout.addStretch(1)

    def refresh(self) -> None:
        QueryOp(self, self._ctx, station_setup_problems).success(self._show).failure(
            self.banner.show_refusal
        ).run()

    def _opener(self, title: str) -> Callable[[], None]:
        return lambda: self.page_requested.emit(title)

    def _show(self, problems: list[str]) -> None:
        self.problems = problems
        while self.rows.count():
            item = self.rows.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        if not problems:
            self.banner.show_ok(READY)
        else:
            count = len(problems)
            self.banner.show_problem(
                f"{count} thing{'s' if count > 1 else ''} to set up before a station can pack:"
            )
        for row, problem in enumerate(problems):
            text = QLabel(f"• {problem}")
            text.setWordWrap(True)
            self.rows.addWidget(text, row, 0)
            target = page_for(problem, self._titles)
            if target is not None:
                go = button(f"Open {target}", self._opener(target))
                go.setObjectName(f"open:{target}")
                self.rows.addWidget(go, row, 1)
        self.refreshed.emit()
