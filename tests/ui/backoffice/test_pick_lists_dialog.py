"""Building pick lists at the desk: the Orders toolbar's dialog fills the pick station's
queue, counts what qualifies as the filters change, and refuses bad filters inside.

`python -m tests.ui.backoffice.test_pick_lists_dialog` writes docs/pick-list-builder.png;
a test renders it to a temporary folder so the picture cannot silently break.
"""

from __future__ import annotations

import math
import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.context import Actor
from app.services.demo_data import load_demo
from app.services.pick_list_builder import PickListRequest, preview_pick_lists
from app.services.picking import claim_next_pick_list
from db.engine import Database, open_database
from db.schema import upgrade
from tests.ui.backoffice.helpers import wait_for_banner
from tests.ui.screenshot import _wait_until
from ui.context import UiContext
from ui.dialogs.pick_lists_dialog import PickListsDialog, preview_text
from ui.main_window import MainWindow
from ui.theme import apply_theme

PICKER = Actor(username="pia", station="pick-1")
DOCS = Path(__file__).resolve().parents[3] / "docs"


def _open_dialog(window: MainWindow) -> PickListsDialog:
    """Press the Orders toolbar's button; the dialog it opens."""
    view = window.orders_view
    button = view.toolbar.widgetForAction(view.action_controller.pick_lists_action)
    assert button is not None and button.isVisible()
    button.click()
    dialog = view.action_controller.dialog
    assert isinstance(dialog, PickListsDialog)
    return dialog


def _counted(request: PickListRequest, db: Database) -> str:
    """What the dialog should say for `request`, counted by the service itself."""
    return preview_text(preview_pick_lists(db, request))


def test_building_from_the_orders_toolbar_fills_the_pick_queue_and_prints_the_lists(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database, tmp_path: Path
) -> None:
    assert claim_next_pick_list(demo_db, PICKER) is None  # fresh demo data: nothing to pick
    waiting = preview_pick_lists(demo_db, PickListRequest()).orders
    assert waiting > 8
    dialog = _open_dialog(main_window)
    qtbot.waitUntil(lambda: dialog.preview_label.text() == _counted(dialog.request(), demo_db))
    assert dialog.preview_label.text().startswith(f"{waiting} orders qualify")

    dialog.totes_spin.setValue(4)
    lists = math.ceil(waiting / 4)
    qtbot.waitUntil(
        lambda: dialog.preview_label.text() == f"{waiting} orders qualify: {lists} pick lists"
    )
    folder = tmp_path / "printed"
    folder.mkdir()
    dialog.set_printer(f"folder:{folder}")
    dialog.print_check.setChecked(True)
    with qtbot.waitSignal(dialog.built, timeout=30_000):
        dialog.build_button.click()

    banner = main_window.orders_view.feedback_banner
    assert wait_for_banner(qtbot, banner, "ok") == (
        f"{lists} pick lists, {waiting} orders; {lists} printed, sent to folder:{folder}"
    )
    assert not dialog.isVisible()
    assert len(list(folder.iterdir())) == lists
    claimed = claim_next_pick_list(demo_db, PICKER)
    assert claimed is not None and claimed.kind == "batch" and len(claimed.orders) == 4


def test_the_count_follows_the_filters_and_bad_ones_are_refused_inside_the_dialog(
    qtbot: QtBot, main_window: MainWindow, demo_db: Database
) -> None:
    dialog = _open_dialog(main_window)
    express = PickListRequest(service_level="express", single=True)

    dialog.service_combo.setCurrentIndex(dialog.service_combo.findData("express"))
    dialog.single_radio.setChecked(True)

    assert dialog.request() == express
    assert not dialog.totes_spin.isEnabled()
    qtbot.waitUntil(lambda: dialog.preview_label.text() == _counted(express, demo_db))
    dialog.zone_edit.setText("B")  # the demo warehouse has aisle A only
    qtbot.waitUntil(dialog.error_label.isVisible)
    assert dialog.error_label.text() == "No location in zone B (a location code prefix, e.g. A)"
    dialog.build_button.click()
    qtbot.waitUntil(lambda: dialog.error_label.text().startswith("Nothing built: No location"))
    assert dialog.isVisible() and dialog.build_button.isEnabled()
    assert claim_next_pick_list(demo_db, PICKER) is None
    dialog.reject()


def render(db: Database, actor: Actor, out: Path) -> Path:
    """The dialog with filters chosen, over the main window, as pick-list-builder.png."""
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app)
    ctx = UiContext.open(db, actor, station=None)
    window = MainWindow(ctx)
    try:
        window.resize(1400, 850)
        window.show()
        dialog = _open_dialog(window)
        dialog.service_combo.setCurrentIndex(dialog.service_combo.findData("express"))
        dialog.priority_combo.setCurrentIndex(dialog.priority_combo.findData("max"))
        dialog.zone_edit.setText("A")
        dialog.max_orders_spin.setValue(40)
        dialog.totes_spin.setValue(6)
        dialog.set_printer("cups:Office_A4")
        dialog.print_check.setChecked(True)
        expected = _counted(dialog.request(), db)
        _wait_until(app, lambda: dialog.preview_label.text() == expected)
        out.mkdir(parents=True, exist_ok=True)
        path = out / "pick-list-builder.png"
        dialog.grab().save(str(path))
        dialog.reject()
        return path
    finally:
        window.close()
        ctx.tasks.shutdown()


def test_the_docs_screenshot_renders(
    qapp: QApplication, demo_db: Database, actor: Actor, tmp_path: Path
) -> None:
    image = QImage(str(render(demo_db, actor, tmp_path)))
    assert image.width() >= 560 and image.height() > 200


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = Path(argv[0]) if argv else DOCS
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(f"sqlite:///{Path(folder) / 'shipshape.db'}")
        try:
            upgrade(db)
            actor = Actor(username="cara", station="desk")
            load_demo(db, actor, orders=300)
            print(render(db, actor, out))
        finally:
            db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
