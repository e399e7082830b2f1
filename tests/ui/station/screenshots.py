"""Render the pack screen for the docs: `python -m tests.ui.station.screenshots [--out DIR]`.

A temporary SQLite warehouse, an order of several lines part-scanned, then a wrong item:
docs/pack-station.png (mid-order) and docs/pack-station-error.png (the red alert),
both 1280x800, offscreen.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from app.context import Actor
from app.services.allocation import allocate
from app.services.catalogue import ProductInput, upsert_products
from app.services.intake import create_orders
from db.engine import open_database
from db.schema import upgrade
from tests.factories import channel, new_order, stock
from ui.context import UiContext
from ui.hub import AppHub
from ui.station.pack_station_window import PackStationWindow
from ui.tasks import TaskRunner

ITEMS = [
    ("MUG-WHT", "Stoneware mug, white 350 ml", "4006381333931", 2),
    ("TEA-EGB", "Earl Grey loose tea 250 g", "5901234123457", 1),
    ("CAN-SOY", "Soy candle, fig & cedar", "4000417025005", 3),
    ("NBK-A5", "A5 dotted notebook, navy", "9780201379624", 1),
    ("PEN-FNT", "Fountain pen, medium nib", "4006381333924", 2),
]
ROOT = Path(__file__).resolve().parents[3]


def _wait_for(window: PackStationWindow, action: object) -> None:
    loop = QEventLoop()
    window.scan_processed.connect(loop.quit)
    assert callable(action)
    action()
    QTimer.singleShot(5_000, loop.quit)
    loop.exec()
    window.scan_processed.disconnect(loop.quit)


def render(out: Path) -> list[Path]:
    admin = Actor("admin", "office")
    with tempfile.TemporaryDirectory() as folder:
        db = open_database(f"sqlite:///{Path(folder) / 'shots.db'}", station="pack-3")
        upgrade(db)
        stock(db, admin, {sku: 10 for sku, *_ in ITEMS} | {"SPARE": 10})
        upsert_products(
            db, admin, [ProductInput(sku, name, (gtin,)) for sku, name, gtin, _ in ITEMS]
        )
        upsert_products(db, admin, [ProductInput("SPARE", "Spare part", ("SPARE-BC",))])
        channel(db)
        order = new_order(
            {sku: qty for sku, _, _, qty in ITEMS}, ref="#1001", service_level="express"
        )
        number = create_orders(db, admin, [order]).created[0]
        allocate(db, admin)
        ctx = UiContext(db, "shots", Actor("pat", "pack-3"), "pack-3", TaskRunner(), AppHub())
        window = PackStationWindow(ctx)
        window.resize(1280, 800)
        window.show()
        for code in (
            f"O:{number}",
            "4006381333931",
            "5901234123457",
            "4006381333931",
            "4000417025005",
            "4000417025005",
            "9780201379624",
        ):
            _wait_for(window, lambda code=code: window.controller.scan(code, False))
        out.mkdir(parents=True, exist_ok=True)
        paths = [out / "pack-station.png", out / "pack-station-error.png"]
        window.grab().save(str(paths[0]))
        _wait_for(window, lambda: window.controller.scan("SPARE-BC", False))
        window.grab().save(str(paths[1]))
        window.close()
        db.dispose()
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication([])
    for path in render(args.out):
        print(path)
    del app


if __name__ == "__main__":
    main()
