"""SettingsFormPage: one catalogue section's keys, saved all at once or not at all."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain.site_settings import CATALOGUE
from app.errors import ValidationFailed
from app.services.settings import SettingView, list_settings, set_settings
from ui.context import UiContext
from ui.operations import DbOp, QueryOp
from ui.settings.page_parts import heading
from ui.settings.setting_fields import SettingFields
from ui.views.feedback_banner import FeedbackBanner

INTRO = "Saved together when you press Save; a value the site refuses is explained under it."


def section_views(section: str) -> list[SettingView]:
    """The section's keys as the catalogue defines them, before the database answers."""
    return [
        SettingView(
            s.key, s.label, s.section, s.default or "", False, s.default is None, s.help, s.choices
        )
        for s in CATALOGUE
        if s.section == section
    ]


class SettingsFormPage(QWidget):
    """Label, help and current value of every key in `section`; Save sends the changes.
    `refreshed` once the stored values are shown."""

    refreshed = Signal()

    def __init__(
        self,
        ctx: UiContext,
        section: str,
        *,
        columns: int = 1,
        ungrouped: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.title = section
        self.fields = SettingFields(section_views(section), columns=columns, ungrouped=ungrouped)
        self.banner = FeedbackBanner()
        self.save_button = QPushButton("Save")
        self.save_button.setStyleSheet("font-weight: 600; padding: 5px 16px;")
        self.revert_button = QPushButton("Revert")
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.refresh)
        self._lay_out()

    def refresh(self) -> None:
        QueryOp(self, self._ctx, list_settings).success(self._on_loaded).failure(
            self.banner.show_refusal
        ).run()

    def _on_loaded(self, views: list[SettingView]) -> None:
        self.fields.load(views)
        self.refreshed.emit()

    def save(self) -> None:
        changes = self.fields.changed()
        if not changes:
            self.banner.show_ok("Nothing changed.")
            return
        DbOp(self, self._ctx, set_settings, self._ctx.actor, changes).success(
            self._on_saved
        ).failure(self._on_refused).run(initiator=self)

    def _on_saved(self, changed: list[str]) -> None:
        self.banner.show_ok(f"Saved: {', '.join(changed) or 'no value differed'}.")
        self.refresh()

    def _on_refused(self, exc: Exception) -> None:
        if not isinstance(exc, ValidationFailed):
            self.banner.show_refusal(exc)
            return
        elsewhere = self.fields.show_problems(exc.problems)
        text = " ".join([f"{exc}.", *elsewhere])
        self.banner.show_problem(text[:1].upper() + text[1:])

    def _lay_out(self) -> None:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        column = QVBoxLayout(inner)
        column.setContentsMargins(0, 0, 8, 0)
        column.addWidget(self.fields)
        column.addStretch(1)
        scroll.setWidget(inner)
        note = QLabel("* required before a station can pack")
        note.setObjectName("muted")
        note.setVisible(any(view.required for view in section_views(self.title)))
        buttons = QHBoxLayout()
        buttons.addWidget(note)
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading(self.title, INTRO))
        layout.addWidget(self.banner)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
