"""Render the supervisor's queue with filters and a multi-selection for the README.

QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.ui.queue_screenshot [OUT.png]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication

from app.context import Actor
from app.domain.order_query import Queue
from app.services.demo_data import load_demo
from db.engine import open_database
from db.schema import upgrade
from tests.ui.screenshot import SIZE, _wait_until
from ui.context import UiContext
from ui.main_window import MainWindow
from ui.models.order_queue_model import Column
from ui.theme import apply_theme

DEFAULT_OUT = Path(__file__).resolve().parents[2] / "docs" / "queue-filters.png"


def render_queue(url: str, actor: Actor, out: Path) -> None:
    """Ready to pick, web channel, express, sorted by ship-by; three orders selected."""
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app)
    db = open_database(url)
    ctx = UiContext.open(db, actor, station=None)
    window = MainWindow(ctx)
    try:
        window.resize(*SIZE)
        window.show()
        view, model = window.orders_view, window.orders_view.model
        _wait_until(app, lambda: model.rowCount() > 0 and not model.is_loading())
        _wait_until(app, lambda: view.queue_filters.channel_combo.count() > 1)
        view.filter_bar.select(Queue.READY_TO_PICK)
        filters = view.queue_filters
        filters.channel_combo.setCurrentIndex(filters.channel_combo.findData("web"))
        view.table.sortByColumn(Column.SHIP_BY, Qt.SortOrder.AscendingOrder)
        _wait_until(app, lambda: model.query().channel == "web" and not model.is_loading())
        _wait_until(app, lambda: model.query().queue is Queue.READY_TO_PICK)
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for row in range(min(3, model.rowCount())):
            view.table.selectionModel().select(model.index(row, 0), flags)
        app.processEvents()
        out.parent.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(out))
    finally:
        window.close()
        ctx.tasks.shutdown()
        db.dispose()


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = Path(argv[0]) if argv else DEFAULT_OUT
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'shipshape.db'}"
        db = open_database(url)
        actor = Actor(username="sam", station="desk")
        try:
            upgrade(db)
            load_demo(db, actor, orders=300)
        finally:
            db.dispose()
        render_queue(url, actor, out)
    print(f"saved {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
