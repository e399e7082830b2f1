"""BoxesPage: the box types packers choose from - add, edit, deactivate, import a CSV."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.errors import ValidationFailed
from app.imports.boxes import COLUMNS
from app.services.master_data import BoxRecord, deactivate_box, import_boxes, list_boxes
from ui.context import UiContext
from ui.operations import DbOp, QueryOp
from ui.settings.box_table import BoxTable
from ui.settings.page_parts import (
    ProblemsLabel,
    ask_open_path,
    button,
    button_row,
    heading,
)
from ui.settings.site_files import import_boxes_file
from ui.views.feedback_banner import FeedbackBanner

TITLE = "Boxes"


class BoxesPage(QWidget):
    """Edit in the table, then Save: every active row is checked and stored together.
    `refreshed` once the stored boxes are shown."""

    refreshed = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.title = TITLE
        self.table = BoxTable()
        self.banner = FeedbackBanner()
        self.problems = ProblemsLabel()
        self.add_button = button("Add box", self.add_box, keys="Ctrl+N")
        self.toggle_button = button("Deactivate", self._on_toggle_clicked)
        self.import_button = button("Import CSV…", self._on_import_clicked)
        self.revert_button = button("Revert", self.refresh)
        self.save_button = button("Save", self.save, keys="Ctrl+S", primary=True)
        self.table.itemSelectionChanged.connect(self._on_table_selection_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(
            heading(
                "Box types",
                "Inner dimensions, the empty box's weight (tare) and the most it may carry. "
                "A deactivated box is no longer offered at the pack station.",
            )
        )
        layout.addWidget(self.banner)
        layout.addLayout(button_row(self.add_button, self.toggle_button, self.import_button))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problems)
        layout.addLayout(button_row(self.revert_button, self.save_button, stretch_at=0))
        self._on_table_selection_changed()

    def refresh(self) -> None:
        QueryOp(self, self._ctx, list_boxes).success(self._on_boxes_loaded).failure(
            self.banner.show_refusal
        ).run()

    def add_box(self) -> None:
        self.table.add_box()

    def save(self) -> None:
        boxes = self.table.boxes()
        DbOp(self, self._ctx, import_boxes, self._ctx.actor, boxes).success(
            lambda count: self._on_stored(f"Saved {count} box types.")
        ).failure(self._on_refused).run(initiator=self)

    def import_file(self, path: Path) -> None:
        DbOp(self, self._ctx, import_boxes_file, self._ctx.actor, path).success(
            lambda count: self._on_stored(f"Imported {count} box types from {path.name}.")
        ).failure(self._on_refused).run(initiator=self)

    def _on_boxes_loaded(self, records: list[BoxRecord]) -> None:
        self.table.set_boxes([(r.box, r.active) for r in records])
        self.table.show_problems([])
        self.problems.show_problems([])
        self.refreshed.emit()

    def _on_stored(self, message: str) -> None:
        self.banner.show_ok(message)
        self.refresh()

    def _on_refused(self, exc: Exception) -> None:
        problems = exc.problems if isinstance(exc, ValidationFailed) else []
        self.table.show_problems(problems)
        self.problems.show_problems(problems)
        self.banner.show_refusal(exc)

    def _on_table_selection_changed(self) -> None:
        row = self.table.selected_row()
        self.toggle_button.setEnabled(row is not None)
        active = row is None or self.table.is_active(row)
        self.toggle_button.setText("Deactivate" if active else "Reactivate")

    def _on_toggle_clicked(self) -> None:
        row = self.table.selected_row()
        if row is None:
            return
        box = self.table.stored_box(row)
        if box is None:  # a new row not saved yet
            self.table.remove_row(row)
        elif self.table.is_active(row):
            DbOp(self, self._ctx, deactivate_box, self._ctx.actor, box.code).success(
                lambda code: self._on_stored(f"Box {code} deactivated.")
            ).failure(self._on_refused).run(initiator=self)
        else:
            DbOp(self, self._ctx, import_boxes, self._ctx.actor, [box]).success(
                lambda _count: self._on_stored(f"Box {box.code} is offered again.")
            ).failure(self._on_refused).run(initiator=self)

    def _on_import_clicked(self) -> None:
        path = ask_open_path(self, "Import box types", f"CSV ({','.join(COLUMNS)}) (*.csv)")
        if path is not None:
            self.import_file(path)
