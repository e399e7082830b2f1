"""Render the set-up wizard and the Settings area for the README.

QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.ui.settings.screenshots [DIR]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication, QWidget

from app.context import Actor
from app.services.demo_data import load_demo
from app.services.master_data import deactivate_box
from app.services.settings import list_settings
from db.engine import Database, open_database
from db.schema import upgrade
from tests.ui.screenshot import SIZE, _wait_until
from ui.context import UiContext
from ui.main_window import MainWindow
from ui.settings.settings_form_page import SettingsFormPage
from ui.settings.setup_wizard import SetupWizard
from ui.theme import apply_theme

DOCS = Path(__file__).resolve().parents[3] / "docs"
COMPANY = {
    "company.name": "Kite & Co Ltd",
    "company.address1": "12 Wharf Road",
    "company.postcode": "BS1 4RN",
    "company.city": "Bristol",
    "company.country": "GB",
    "company.phone": "+44 117 496 0000",
    "company.email": "dispatch@kite.example",
    "return.name": "Kite & Co Returns",
    "return.address1": "Unit 7, Avon Trade Park",
    "return.postcode": "BS2 0QS",
    "return.city": "Bristol",
    "return.country": "GB",
}


def _app() -> QApplication:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app)
    return app


def shoot_wizard(empty_db: Database, actor: Actor, out: Path) -> None:
    """The wizard's first step on an empty database, partly filled in."""
    app = _app()
    ctx = UiContext.open(empty_db, actor, station=None)
    host = QWidget()
    wizard = SetupWizard(ctx, list_settings(empty_db), host)
    try:
        for key, value in COMPANY.items():
            wizard.company_step.fields.set_text(key, value)
        wizard.show()
        app.processEvents()
        wizard.grab().save(str(out))
    finally:
        wizard.close()
        host.deleteLater()  # now: a QWizard alive at the next theme change crashes Qt 6.11
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        ctx.tasks.shutdown()


def shoot_settings(db: Database, actor: Actor, company_out: Path, boxes_out: Path) -> None:
    """The main window on Settings: the Company page, then Boxes with one deactivated."""
    app = _app()
    deactivate_box(db, actor, "XL")
    ctx = UiContext.open(db, actor, station=None)
    window = MainWindow(ctx)
    try:
        window.resize(*SIZE)
        window.show()
        window.sidebar_list.setCurrentRow(window.pages.indexOf(window.settings_view))
        view = window.settings_view
        view.show_page("Company")
        company = view.page("Company")
        assert isinstance(company, SettingsFormPage)
        _wait_until(app, lambda: "Demo" in company.fields.values()["company.name"])
        window.grab().save(str(company_out))
        view.show_page("Boxes")
        _wait_until(app, lambda: view.boxes_page.table.rowCount() == 5)
        view.boxes_page.table.selectRow(0)
        app.processEvents()
        window.grab().save(str(boxes_out))
    finally:
        window.close()
        ctx.tasks.shutdown()


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    folder = Path(argv[0]) if argv else DOCS
    actor = Actor(username="cara", station="desk")
    with tempfile.TemporaryDirectory() as work:
        empty = open_database(f"sqlite:///{Path(work) / 'empty.db'}")
        demo = open_database(f"sqlite:///{Path(work) / 'demo.db'}")
        try:
            upgrade(empty)
            upgrade(demo)
            load_demo(demo, actor, orders=60)
            shoot_wizard(empty, actor, folder / "setup-wizard.png")
            shoot_settings(demo, actor, folder / "settings.png", folder / "settings-boxes.png")
        finally:
            empty.dispose()
            demo.dispose()
    print(f"saved setup-wizard.png, settings.png and settings-boxes.png in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
