"""Render the main window on a demo warehouse for the README.

QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.ui.screenshot [OUT.png [WIDTHxHEIGHT]]
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QElapsedTimer
from PySide6.QtWidgets import QApplication

from app.context import Actor
from app.services.demo_data import load_demo
from db.engine import Database, open_database
from db.schema import upgrade
from ui.context import UiContext
from ui.main_window import MainWindow
from ui.theme import apply_theme

SIZE = (1400, 850)
DEFAULT_OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshot-main.png"


def _wait_until(app: QApplication, ready: Callable[[], bool], timeout_ms: int = 10_000) -> None:
    clock = QElapsedTimer()
    clock.start()
    while not ready():
        if clock.elapsed() > timeout_ms:
            raise TimeoutError("the main window did not finish loading")
        app.processEvents()


def render_main_window(db: Database, actor: Actor, out: Path, size: tuple[int, int] = SIZE) -> None:
    """Open MainWindow at `size`, pick an order that is on hold, save a PNG."""
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app)
    ctx = UiContext.open(db, actor, station=None)
    window = MainWindow(ctx)
    try:
        window.resize(*size)
        window.show()
        view = window.orders_view
        model = view.model
        _wait_until(app, lambda: model.rowCount() > 0 and not model.is_loading())
        _wait_until(app, lambda: "  " in view.filter_bar.chip(None).text())
        held = [r for r in range(model.rowCount()) if model.order_at(r).status == "on_hold"]
        row = held[0] if held else 0
        view.table.selectRow(row)
        number = model.order_at(row).number
        _wait_until(app, lambda: view.detail_panel.current_number() == number)
        app.processEvents()
        out.parent.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(out))
    finally:
        window.close()
        ctx.tasks.shutdown()


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    out = Path(argv[0]) if argv else DEFAULT_OUT
    width, height = (int(n) for n in argv[1].split("x")) if len(argv) > 1 else SIZE
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(f"sqlite:///{Path(folder) / 'shipshape.db'}")
        try:
            upgrade(db)
            actor = Actor(username="cara", station="desk")
            load_demo(db, actor, orders=300)
            render_main_window(db, actor, out, (width, height))
        finally:
            db.dispose()
    print(f"saved {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
