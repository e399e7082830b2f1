"""The docs screenshots of the back office render at 1400x850."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from app.context import Actor
from db.engine import Database
from tests.ui.backoffice.screenshots import SIZE, render_backoffice


def test_the_inventory_and_new_order_screenshots_render_at_1400_by_850(
    demo_db: Database, actor: Actor, qapp: QApplication, tmp_path: Path
) -> None:
    shots = render_backoffice(demo_db, actor, tmp_path)

    assert [shot.name for shot in shots] == ["inventory.png", "new-order.png"]
    for shot in shots:
        image = QImage(str(shot))
        assert (image.width(), image.height()) == SIZE
