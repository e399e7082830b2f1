"""The pick screen mid-walk, for the docs: `python -m tests.ui.station.test_pick_screenshot`
writes docs/pick-station.png (1280x800, offscreen); the test renders it to a temporary
folder, so the picture cannot silently break.

A temporary SQLite warehouse, four small orders batched onto one list, the first stops
picked and the picker standing at the next location.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from app.context import Actor
from app.services.allocation import allocate
from app.services.catalogue import ProductInput, upsert_products
from app.services.intake import create_orders
from app.services.pick_lists import create_pick_lists
from db.engine import open_database
from db.schema import upgrade
from tests.factories import ADDRESS, channel, new_order, stock
from ui.context import UiContext
from ui.hub import AppHub
from ui.station.pick_station_window import PickStationWindow
from ui.tasks import TaskRunner

ITEMS = [  # sku, name, gtin, location
    ("MUG-WHT", "Stoneware mug, white 350 ml", "4006381333931", "A-01-02-B"),
    ("TEA-EGB", "Earl Grey loose tea 250 g", "5901234123457", "A-03-01-A"),
    ("CAN-SOY", "Soy candle, fig & cedar", "4000417025005", "B-02-04-C"),
    ("NBK-A5", "A5 dotted notebook, navy", "9780201379624", "C-01-03-A"),
    ("PEN-FNT", "Fountain pen, medium nib", "4006381333924", "C-04-02-B"),
]
ORDERS = [
    {"MUG-WHT": 1, "CAN-SOY": 2},
    {"MUG-WHT": 2, "NBK-A5": 1},
    {"TEA-EGB": 1, "CAN-SOY": 1},
    {"NBK-A5": 1, "PEN-FNT": 1},
]
WALKED = ["L:A-01-02-B", "4006381333931", "(01)04006381333931(30)2", "L:A-03-01-A"]
WALKED += ["5901234123457", "L:B-02-04-C"]
ROOT = Path(__file__).resolve().parents[3]


def _wait_for(window: PickStationWindow, action: Callable[[], None]) -> None:
    loop = QEventLoop()
    window.scan_processed.connect(loop.quit)
    action()
    QTimer.singleShot(5_000, loop.quit)
    loop.exec()
    window.scan_processed.disconnect(loop.quit)


def render(out: Path) -> Path:
    """Write pick-station.png into `out`; its path."""
    admin = Actor("admin", "office")
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(f"sqlite:///{Path(folder) / 'shots.db'}", station="pick-2")
        upgrade(db)
        for sku, _, _, location in ITEMS:
            stock(db, admin, {sku: 20}, location=location)
        products = [ProductInput(sku, name, (gtin,)) for sku, name, gtin, _ in ITEMS]
        upsert_products(db, admin, products)
        channel(db)
        orders = [  # a customer each, so no risk rule holds them
            replace(
                new_order(lines),
                ship_to=replace(ADDRESS, address1=f"Dock {n}"),
                email=f"customer{n}@example.de",
            )
            for n, lines in enumerate(ORDERS, 1)
        ]
        create_orders(db, admin, orders)
        allocate(db, admin)
        create_pick_lists(db, admin)
        ctx = UiContext(db, "shots", Actor("pia", "pick-2"), "pick-2", TaskRunner(), AppHub())
        window = PickStationWindow(ctx)
        window.resize(1280, 800)
        window.show()
        _wait_for(window, lambda: window.controller.command("N"))
        for code in WALKED:
            _wait_for(window, partial(window.controller.scan, code, False))
        out.mkdir(parents=True, exist_ok=True)
        path = out / "pick-station.png"
        window.grab().save(str(path))
        window.close()
        db.dispose()
    return path


def test_the_docs_screenshot_renders_mid_walk_at_1280x800(
    tmp_path: Path, qapp: QApplication
) -> None:
    image = QImage(str(render(tmp_path)))
    assert (image.width(), image.height()) == (1280, 800)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication([])
    print(render(args.out))
    del app


if __name__ == "__main__":
    main()
