"""The README's set-up screenshots still render: the wizard fits a 1024x600 screen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from app.context import Actor
from db.engine import Database
from tests.ui.screenshot import SIZE
from tests.ui.settings.screenshots import shoot_settings, shoot_wizard


def test_the_wizard_screenshot_fits_a_small_screen(
    sqlite_db: Database, actor: Actor, qapp: QApplication, tmp_path: Path
) -> None:
    out = tmp_path / "wizard.png"
    shoot_wizard(sqlite_db, actor, out)
    image = QImage(str(out))
    assert 0 < image.width() <= 1024 and 0 < image.height() <= 600


def test_the_settings_screenshots_render_the_window_at_1400_by_850(
    demo_db: Database, actor: Actor, qapp: QApplication, tmp_path: Path
) -> None:
    company, boxes = tmp_path / "settings.png", tmp_path / "boxes.png"
    shoot_settings(demo_db, actor, company, boxes)
    for out in (company, boxes):
        image = QImage(str(out))
        assert (image.width(), image.height()) == SIZE
