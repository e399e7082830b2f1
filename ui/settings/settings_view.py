"""SettingsView: the Settings area - the set-up status, one page per catalogue section,
the master data screens - and the export and import of the whole set-up."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain.site_settings import CATALOGUE, COMPANY
from app.services.site_document import SiteImport
from ui.context import UiContext
from ui.operations import DbOp, QueryOp
from ui.settings.boxes_page import BoxesPage
from ui.settings.carriers_page import CarriersPage
from ui.settings.channels_page import ChannelsPage
from ui.settings.first_run import open_setup_wizard
from ui.settings.locations_page import LocationsPage
from ui.settings.page_parts import ask_open_path, ask_save_path, button
from ui.settings.settings_form_page import SettingsFormPage
from ui.settings.site_files import SiteExport, export_site_file, import_site_file
from ui.settings.stations_page import StationsPage
from ui.settings.status_page import StatusPage
from ui.views.feedback_banner import FeedbackBanner

Page = (
    StatusPage
    | SettingsFormPage
    | LocationsPage
    | BoxesPage
    | CarriersPage
    | ChannelsPage
    | StationsPage
)
NAV_STYLE = (
    "QListWidget { background: #ffffff; border: 1px solid #e4e7ec; border-radius: 6px;"
    " padding: 4px 0; outline: 0; }"
    "QListWidget::item { padding: 4px 12px; color: #344054; }"
    "QListWidget::item:selected { background: #dbeafe; color: #111827; }"
)
DOCUMENT_FILTER = "Settings document (*.yaml *.yml *.json)"


class SettingsView(QWidget):
    """A list of pages on the left, the chosen page on the right; each page loads when
    it is shown, so an unsaved edit elsewhere is never overwritten behind its back."""

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setObjectName("settingsPage")
        sections = list(dict.fromkeys(spec.section for spec in CATALOGUE))
        forms = [
            SettingsFormPage(ctx, section, columns=2, ungrouped="Regional")
            if section == COMPANY
            else SettingsFormPage(ctx, section)
            for section in sections
        ]
        self.locations_page = LocationsPage(ctx)
        self.boxes_page = BoxesPage(ctx)
        self.carriers_page = CarriersPage(ctx)
        self.channels_page = ChannelsPage(ctx)
        self.stations_page = StationsPage(ctx)
        rest: list[Page] = [
            self.locations_page,
            self.boxes_page,
            self.carriers_page,
            self.channels_page,
            self.stations_page,
        ]
        titles = [page.title for page in [*forms, *rest]]
        self.status_page = StatusPage(ctx, titles)
        self.pages: dict[str, Page] = {
            page.title: page for page in [self.status_page, *forms, *rest]
        }
        self.banner = FeedbackBanner()
        self.nav = QListWidget()
        self.nav.setObjectName("settingsNav")
        self.nav.setStyleSheet(NAV_STYLE)
        self.nav.setFixedWidth(190)
        self.stack = QStackedWidget()
        for title, page in self.pages.items():
            item = QListWidgetItem(title)
            item.setSizeHint(QSize(0, 30))
            self.nav.addItem(item)
            self.stack.addWidget(page)
        self.export_button = button("Export set-up…", self._on_export_clicked)
        self.import_button = button("Import set-up…", self._on_import_clicked)
        self.status_page.page_requested.connect(self.show_page)
        self.status_page.wizard_requested.connect(self.open_wizard)
        self.nav.currentRowChanged.connect(self._on_nav_current_row_changed)
        self._lay_out()
        self.nav.setCurrentRow(0)

    def page(self, title: str) -> Page:
        return self.pages[title]

    def current_page(self) -> Page:
        return list(self.pages.values())[self.stack.currentIndex()]

    def show_page(self, title: str) -> None:
        self.nav.setCurrentRow(list(self.pages).index(title))

    def export_to(self, path: Path) -> None:
        QueryOp(self, self._ctx, export_site_file, path).success(self._on_exported).failure(
            self.banner.show_refusal
        ).run()

    def import_from(self, path: Path) -> None:
        DbOp(self, self._ctx, import_site_file, self._ctx.actor, path).success(
            lambda done: self._on_imported(path, done)
        ).failure(self.banner.show_refusal).run(initiator=self)

    def open_wizard(self) -> None:
        open_setup_wizard(self._ctx, self, on_done=self.current_page().refresh)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.current_page().refresh()

    def _on_nav_current_row_changed(self, row: int) -> None:
        self.stack.setCurrentIndex(row)
        if self.isVisible():
            self.current_page().refresh()

    def _on_exported(self, done: SiteExport) -> None:
        self.banner.show_ok(
            f"Wrote {done.settings} settings, {done.boxes} box types, {done.carriers} "
            f"carriers and {done.channels} channels to {done.path}."
        )

    def _on_imported(self, path: Path, done: SiteImport) -> None:
        self.banner.show_ok(
            f"Imported {path.name}: {done.settings_changed} settings changed, {done.boxes} box "
            f"types, {done.carriers} carriers, {done.channels} channels."
        )
        self.current_page().refresh()

    def _on_export_clicked(self) -> None:
        path = ask_save_path(self, "Export the set-up", "shipshape-settings.yaml", DOCUMENT_FILTER)
        if path is not None:
            self.export_to(path)

    def _on_import_clicked(self) -> None:
        path = ask_open_path(self, "Import a set-up", DOCUMENT_FILTER)
        if path is not None:
            self.import_from(path)

    def _lay_out(self) -> None:
        side = QVBoxLayout()
        side.addWidget(self.nav, 1)
        side.addWidget(self.export_button)
        side.addWidget(self.import_button)
        right = QVBoxLayout()
        right.addWidget(self.banner)
        right.addWidget(self.stack, 1)
        body = QHBoxLayout(self)
        body.setContentsMargins(12, 12, 12, 8)
        body.setSpacing(14)
        body.addLayout(side)
        body.addLayout(right, 1)
