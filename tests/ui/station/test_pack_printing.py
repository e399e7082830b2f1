"""The pack station prints the label the moment the packer confirms, on its own printers;
a printer that fails turns the screen amber until the packer retries, sends the job
elsewhere or goes on."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from app.dto import PackResult
from app.services.printing import list_jobs
from db.engine import Database
from db.models import ScanEvent
from db.uow import read
from tests.documents.pdfcheck import found, scan_pages
from tests.loopback_printer import LoopbackPrinter
from tests.ui.station.conftest import MUG_GTIN, Station, StationFactory, use_devices
from ui.station.pack_controller import PRINTER_FIRST
from ui.station.pack_steps import Step

OrderOf = Callable[[dict[str, int]], str]


@pytest.fixture
def printer() -> Iterator[LoopbackPrinter]:
    """A label printer on 127.0.0.1, switched off until the test starts it."""
    device = LoopbackPrinter()
    yield device
    device.stop()


def _pack_to_confirm(station: Station, number: str) -> list[PackResult]:
    """Open `number` (two mugs), scan them, take the small box: one Enter from packed."""
    packed: list[PackResult] = []
    station.window.controller.packed.connect(packed.append)
    station.open(number)
    station.scan(MUG_GTIN)
    station.scan(MUG_GTIN)
    station.scan("B:S")
    return packed


def _scan_log(db: Database) -> list[tuple[str, str | None]]:
    rows = read(db, lambda s: s.execute(select(ScanEvent.raw, ScanEvent.message)).all())
    return [(raw, message) for raw, message in rows]


def _confirm(station: Station) -> tuple[str, str]:
    return station.answer(lambda: station.scanner.press(Qt.Key.Key_Return, "\r"))


def _press(station: Station, char: str) -> tuple[str, str]:
    return station.answer(lambda: station.scanner.press(Qt.Key(ord(char.upper())), char))


def test_confirming_prints_the_zpl_label_at_once_on_the_stations_label_printer(
    open_station: StationFactory, warehouse: Database, order_of: OrderOf, printer: LoopbackPrinter
) -> None:
    printer.start()
    use_devices(warehouse, "pack-1", label=printer.spec, document="folder")
    station = open_station()
    number = order_of({"MUG": 2})
    packed = _pack_to_confirm(station, number)

    message, sound = _confirm(station)

    assert (message, sound) == (
        f"Label printed on {printer.spec}  ·  Packing slip printed on folder  ·  {number} packed",
        "ok",
    )
    (job,) = printer.wait_for(1)
    assert job.data.startswith(b"^XA") and job.data.rstrip().endswith(b"^XZ")
    assert f"^FD{packed[0].tracking_number}^FS".encode() in job.data
    assert packed[0].packages[0].sscc.encode() in job.data
    assert station.window.controller.step is Step.IDLE
    assert {j.document: j.status for j in list_jobs(warehouse)} == {
        "label": "printed",
        "packing_slip": "printed",
    }


def test_a_pdf_label_printed_at_once_carries_the_tracking_barcode(
    open_station: StationFactory, warehouse: Database, order_of: OrderOf, tmp_path: Path
) -> None:
    use_devices(warehouse, "pack-1", label=f"folder:{tmp_path / 'labels'}", document="folder")
    station = open_station()
    packed = _pack_to_confirm(station, order_of({"MUG": 2}))

    assert _confirm(station)[0].startswith(f"Label printed on folder:{tmp_path / 'labels'}")

    (label,) = (tmp_path / "labels").iterdir()
    barcodes = found(scan_pages(label.read_bytes())[0])
    assert ("Code 128", packed[0].tracking_number) in barcodes


def test_a_printer_that_is_down_turns_amber_holds_the_next_order_and_r_retries(
    open_station: StationFactory, warehouse: Database, order_of: OrderOf, printer: LoopbackPrinter
) -> None:
    use_devices(warehouse, "pack-1", label=printer.spec, document="folder")
    station = open_station()
    number, waiting = order_of({"MUG": 2}), order_of({"TEA": 1})
    window = station.window
    _pack_to_confirm(station, number)

    message, sound = _confirm(station)

    assert (message, sound) == ("Label NOT printed", "warning")
    amber = window.printer_alert
    assert amber.isVisible() and not window.alert.isVisible()
    assert amber.property("tone") == "warning"
    assert amber.detail_label.text().startswith(f"{printer.spec}: Printer 127.0.0.1:")
    assert "refused the connection" in amber.detail_label.text()
    assert amber.hint_label.text() == "R = retry   ·   E = another printer   ·   G or Esc = go on"
    assert amber.context_label.text().startswith(f"{number} is packed")
    assert window.feedback_bar.tone() == "warning"
    assert window.sounds.last_sound == "warning"

    refused = station.scan(f"O:{waiting}")
    assert refused == ("Label NOT printed", "error")
    assert amber.detail_label.text().startswith("Finish with the printer first  ·  tcp://")
    assert window.controller.step is Step.PRINTER_FAILED
    station.qtbot.waitUntil(lambda: (f"O:{waiting}", PRINTER_FIRST) in _scan_log(warehouse))

    printer.start()
    message, sound = _press(station, "r")

    assert (message, sound) == (
        f"Label printed on {printer.spec}  ·  Packing slip printed on folder  ·  {number} packed",
        "ok",
    )
    assert len(printer.wait_for(1)) == 1
    assert not window.printer_alert.isVisible()
    assert station.open(waiting)[0] == f"{waiting}: scan each item"


def test_g_goes_on_and_leaves_the_label_pending_in_print_jobs(
    open_station: StationFactory, warehouse: Database, order_of: OrderOf, printer: LoopbackPrinter
) -> None:
    use_devices(warehouse, "pack-1", label=printer.spec, document="folder")
    station = open_station()
    number = order_of({"MUG": 2})
    _pack_to_confirm(station, number)
    _confirm(station)

    message, sound = _press(station, "g")

    assert (message, sound) == (
        "Packing slip printed on folder  ·  Label NOT printed - kept in Print jobs"
        f"  ·  {number} packed",
        "ok",
    )
    assert station.window.feedback_bar.tone() == "notice"
    label = next(j for j in list_jobs(warehouse) if j.document == "label")
    assert (label.status, label.printer) == ("pending", printer.spec)
    assert label.last_error is not None and "refused the connection" in label.last_error


def test_e_lists_the_other_printers_and_its_number_sends_the_label_there(
    open_station: StationFactory,
    warehouse: Database,
    order_of: OrderOf,
    printer: LoopbackPrinter,
    print_folder: Path,
) -> None:
    use_devices(warehouse, "pack-1", label=printer.spec, document="folder")
    use_devices(warehouse, "pack-2", label="tcp://10.9.9.9:9100")
    station = open_station()
    number = order_of({"MUG": 2})
    _pack_to_confirm(station, number)
    _confirm(station)

    _press(station, "e")
    assert station.window.printer_alert.hint_label.text() == (
        "Send it to:   1 = folder   ·   2 = tcp://10.9.9.9:9100   ·   Esc = back"
    )
    message, _ = _press(station, "1")

    assert message.startswith("Label printed on folder  ·  ")
    label = next(j for j in list_jobs(warehouse) if j.document == "label")
    assert (label.status, label.printer) == ("printed", "folder")
    assert any(path.suffix == ".zpl" for path in print_folder.iterdir())
