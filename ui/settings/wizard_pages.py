"""The set-up wizard's steps. Each checks what was typed with the services' own checks
before the wizard moves on, and can be skipped instead; nothing is stored until Finish."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QVBoxLayout, QWidget, QWizardPage

from app.domain.site_settings import cross_check
from app.errors import ValidationFailed
from app.imports.boxes import COLUMNS, read_boxes
from app.services.master_data import BoxInput, CarrierInput, box_problems
from app.services.settings import SettingView, checked_values
from ui.settings.box_table import BoxTable
from ui.settings.carrier_form import CarrierForm
from ui.settings.page_parts import ProblemsLabel, ask_open_path, button, button_row
from ui.settings.setting_fields import SettingFields


class StepPage(QWizardPage):
    """A step that is either checked on Next or skipped: `skipped` says which it was."""

    def __init__(self, title: str, subtitle: str) -> None:
        super().__init__()
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.skipped = False
        self.skip_requested = False
        self.problems = ProblemsLabel()

    def validatePage(self) -> bool:
        self.skipped, self.skip_requested = self.skip_requested, False
        return self.skipped or self.check()

    def check(self) -> bool:
        """Show what is wrong with the step; True when nothing is."""
        raise NotImplementedError

    def _lay_out(self, *widgets: QWidget) -> None:
        """The step's widgets, then its problems (unless a widget already shows them)."""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in widgets:
            layout.addWidget(widget)
        if self.problems.parent() is None:
            layout.addWidget(self.problems)


class SettingsStep(StepPage):
    """Some catalogue keys; `settings()` gives their checked values."""

    def __init__(
        self, title: str, subtitle: str, views: Sequence[SettingView], *, columns: int = 1
    ) -> None:
        super().__init__(title, subtitle)
        self._current = {view.key: view.value for view in views}
        self.fields = SettingFields(views, columns=columns, compact=True)
        self._lay_out(self.fields)

    def settings(self) -> dict[str, str]:
        return checked_values(self.fields.values())

    def check(self) -> bool:
        try:
            values = self.settings()
        except ValidationFailed as exc:
            self.fields.show_problems(exc.problems)
            return False
        problems = cross_check({**self._current, **values})
        self.problems.show_problems(self.fields.show_problems(problems))
        return not problems


class BoxesStep(StepPage):
    """The boxes the packers use, typed in or read from a CSV."""

    def __init__(self) -> None:
        super().__init__(
            "Boxes",
            "The boxes your packers choose from: inner size in mm, the empty box's weight "
            "and the most it may carry. Add them here, import a CSV, or skip this step.",
        )
        self.table = BoxTable()
        self.add_button = button("&Add box", self.add_box)
        self.remove_button = button("&Remove box", self.remove_box)
        self.import_button = button("&Import CSV…", self._on_import_clicked)
        actions = QWidget()
        actions.setLayout(button_row(self.add_button, self.remove_button, self.import_button))
        self._lay_out(actions, self.table)

    def add_box(self) -> None:
        self.table.add_box()

    def remove_box(self) -> None:
        row = self.table.selected_row()
        if row is not None:
            self.table.remove_row(row)

    def boxes(self) -> list[BoxInput]:
        return self.table.boxes()

    def load_file(self, path: Path) -> None:
        """Put the file's boxes in the table (they are stored on Finish)."""
        try:
            boxes = read_boxes(path)
        except ValidationFailed as exc:
            self.problems.show_problems([str(exc), *exc.problems])
            return
        for box in boxes:
            self.table.add_box(box)
        self.problems.show_problems([])

    def check(self) -> bool:
        boxes = self.boxes()
        problems = box_problems(boxes) if boxes else ["Add at least one box, or skip this step."]
        self.table.show_problems(problems)
        self.problems.show_problems(problems)
        return not problems

    def _on_import_clicked(self) -> None:
        path = ask_open_path(self, "Import box types", f"CSV ({','.join(COLUMNS)}) (*.csv)")
        if path is not None:
            self.load_file(path)


class CarrierStep(StepPage):
    """One carrier and its default service."""

    def __init__(self) -> None:
        super().__init__(
            "Carrier",
            "The carrier you ship with most, the tracking-number range it gave you and its "
            "check-digit scheme. More carriers can be added under Settings > Carriers.",
        )
        self.form = CarrierForm()
        self.problems = self.form.problems
        self._lay_out(self.form)

    def carrier(self) -> CarrierInput:
        return self.form.carrier()[0]

    def check(self) -> bool:
        return self.form.check() is not None
