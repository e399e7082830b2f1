"""Render the pack screen for the docs: `python -m tests.ui.station.screenshots [--out DIR]`.

A temporary SQLite warehouse set up as the demo site, an order of several lines, offscreen:

- pack-station.png (1280x800): mid-order;
- pack-station-error.png (1280x800): a wrong item, the red alert;
- pack-station-1024x600.png: the box step, the suggested box highlighted;
- pack-station-1920x1080.png: the weight step, the expected weight and the scale's
  reading (a pty stands in for the scale's serial port);
- pack-station-weight-refused.png (1280x800): a weight outside the tolerance;
- pack-station-printer-amber.png (1280x800): the label printer is off.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.context import Actor
from app.services.allocation import allocate
from app.services.catalogue import ProductInput, upsert_products
from app.services.intake import create_orders
from app.services.stations import StationDevices, save_station_devices
from db.engine import Database, open_database
from db.models import User
from db.schema import upgrade
from db.uow import run_in_transaction
from tests.factories import ADDRESS, channel, new_order, stock
from tests.loopback_printer import LoopbackPrinter
from ui.context import UiContext
from ui.hub import AppHub
from ui.station.pack_station_window import PackStationWindow
from ui.station.pack_steps import Step
from ui.tasks import TaskRunner

# sku, name, gtin, quantity, weight g, length, width, height mm
ITEMS = [
    ("MUG-WHT", "Stoneware mug, white 350 ml", "4006381333931", 2, 380, 120, 90, 95),
    ("TEA-EGB", "Earl Grey loose tea 250 g", "5901234123457", 1, 290, 160, 90, 90),
    ("CAN-SOY", "Soy candle, fig & cedar", "4000417025005", 3, 320, 90, 90, 100),
    ("NBK-A5", "A5 dotted notebook, navy", "9780201379624", 1, 260, 210, 148, 15),
    ("PEN-FNT", "Fountain pen, medium nib", "4006381333924", 2, 40, 150, 30, 25),
]
CUSTOMERS = ("Zoë Müller", "Jonas Becker", "Amira Haddad", "Lena Fischer")
ROOT = Path(__file__).resolve().parents[3]
ADMIN = Actor("admin", "office")
STATION = "pack-3"


def _wait_for(window: PackStationWindow, action: Callable[[], None]) -> None:
    """Run `action` and wait until the screen has answered it."""
    loop = QEventLoop()
    window.scan_processed.connect(loop.quit)
    action()
    QTimer.singleShot(5_000, loop.quit)
    loop.exec()
    window.scan_processed.disconnect(loop.quit)


def _settle(window: PackStationWindow, ready: Callable[[], bool]) -> None:
    """Wait (5 s at most) until `ready()`, then let the window repaint."""
    for _ in range(500):
        if ready():
            break
        QTest.qWait(10)
    QTest.qWait(50)


def _warehouse(db: Database, printer: str, scale: str) -> str:
    """The demo site, the items with sizes and weights, a supervisor, the station's label
    printer and scale; the first order's number."""
    upgrade(db)
    stock(db, ADMIN, {sku: 20 for sku, *_ in ITEMS} | {"SPARE": 10})
    upsert_products(
        db,
        ADMIN,
        [ProductInput(sku, name, (gtin,), *measures) for sku, name, gtin, _, *measures in ITEMS]
        + [ProductInput("SPARE", "Spare part", ("SPARE-BC",))],
    )
    sam = User(username="sam", display_name="Sam Supervisor", role="supervisor", badge="U:SAM")
    run_in_transaction(db, lambda session: session.add(sam))
    save_station_devices(db, ADMIN, StationDevices(STATION, printer, "folder", scale))
    channel(db)
    lines = {sku: qty for sku, _, _, qty, *_ in ITEMS}
    orders = [
        replace(
            new_order(lines, ref=f"#{1001 + n}", service_level="express"),
            ship_to=replace(ADDRESS, name=name, address1=f"Torstraße {12 + n}"),
            email=f"customer{n}@example.de",
        )
        for n, name in enumerate(CUSTOMERS)
    ]
    numbers = create_orders(db, ADMIN, orders).created
    allocate(db, ADMIN)
    return numbers[0]


@contextmanager
def _station(db: Database, size: tuple[int, int]) -> Iterator[PackStationWindow]:
    ctx = UiContext(db, "shots", Actor("pat", STATION), STATION, TaskRunner(), AppHub())
    window = PackStationWindow(ctx)
    window.resize(*size)
    window.show()
    try:
        yield window
    finally:
        window.close()


def _scan_all(window: PackStationWindow, number: str, last_wrong: bool = False) -> None:
    scan = window.controller.scan
    _wait_for(window, lambda: scan(f"O:{number}", False))
    for _, _, gtin, quantity, *_ in ITEMS:
        for _ in range(quantity):
            _wait_for(window, lambda gtin=gtin: scan(gtin, False))


def render(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    shots: list[Path] = []

    def save(window: PackStationWindow, name: str) -> None:
        path = out / name
        window.grab().save(str(path))
        shots.append(path)

    printer = LoopbackPrinter(9100)  # never switched on: the label printer is off
    scale, port = os.openpty()  # the scale's end, and the station's serial port
    with tempfile.TemporaryDirectory() as folder:
        os.environ["SHIPSHAPE_PRINT_DIR"] = str(Path(folder) / "printed")
        db = open_database(f"sqlite:///{Path(folder) / 'shots.db'}", station=STATION)
        first = _warehouse(db, printer.spec, os.ttyname(port))
        number = int(first.removeprefix("SO-"))
        orders = iter(f"SO-{number + n}" for n in range(len(CUSTOMERS)))

        with _station(db, (1280, 800)) as window:
            scan = window.controller.scan
            _wait_for(window, lambda: scan(f"O:{next(orders)}", False))
            for code in ("4006381333931", "5901234123457", "4006381333931", "4000417025005",
                         "4000417025005", "9780201379624"):  # fmt: skip
                _wait_for(window, lambda code=code: scan(code, False))
            save(window, "pack-station.png")
            _wait_for(window, lambda: scan("SPARE-BC", False))
            save(window, "pack-station-error.png")

        with _station(db, (1024, 600)) as window:
            _scan_all(window, next(orders))
            prompt = window.step_panel.prompt_label
            _settle(window, lambda: prompt.text().startswith("Suggested"))
            save(window, "pack-station-1024x600.png")

        with _station(db, (1920, 1080)) as window:
            _scan_all(window, next(orders))
            _settle(window, lambda: window.controller.advice is not None)
            _wait_for(window, lambda: window.controller.scan("", True))
            os.write(scale, b"US,GS,+  1.920kg\r\nST,GS,+  2.575kg\r\n")
            prompt = window.step_panel.prompt_label
            _settle(window, lambda: "kg on the scale" in prompt.text())
            save(window, "pack-station-1920x1080.png")

        with _station(db, (1280, 800)) as window:
            _scan_all(window, next(orders))
            _settle(window, lambda: window.controller.advice is not None)
            _wait_for(window, lambda: window.controller.scan("", True))
            _wait_for(window, lambda: window.controller.scan("3650", True))
            save(window, "pack-station-weight-refused.png")
            _wait_for(window, lambda: window.controller.scan("U:SAM", False))
            _settle(window, lambda: window.controller.step is Step.PRINTER_FAILED)
            save(window, "pack-station-printer-amber.png")
        db.dispose()
    os.close(scale)
    os.close(port)
    return shots


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
