"""A business that has never seen the demo: an empty database set up through the command
line alone, its own catalogue, stock and Shopify export, and then one order packed at
the station with its own boxes; the label that comes out carries its own sender, GS1
prefix and carrier tracking number, read back with a barcode reader."""

from __future__ import annotations

import json
from contextlib import redirect_stdout
from io import StringIO
from pathlib import Path

import yaml
from PySide6.QtCore import Qt

from app.cli import run
from app.context import Actor
from app.domain.tracking_numbers import TrackingScheme, make_tracking_number
from db.engine import Database, open_database
from tests.documents.pdfcheck import found, scan_pages, texts
from tests.ui.station.conftest import Station, StationFactory, use_devices

SAMPLES = Path(__file__).resolve().parents[3] / "resources" / "samples"
PREFIX = "5098765"
SITE = {
    "shipshape_settings": 1,
    "settings": {
        "company.name": "Kite & Co Ltd",
        "company.address1": "12 Wharf Road",
        "company.postcode": "BS1 4RN",
        "company.city": "Bristol",
        "company.country": "GB",
        "gs1.company_prefix": PREFIX,
    },
    "carriers": [
        {
            "code": "swift",
            "name": "Swift Parcels",
            "tracking_scheme": "mod7",
            "tracking_prefix": "SW",
            "tracking_width": 9,
            "range_start": 700000,
            "range_end": 799999,
            "services": [{"code": "STD", "name": "Swift 48", "default": True}],
        }
    ],
}
BOXES = (
    "code,name,length_mm,width_mm,height_mm,tare_g,max_weight_g\n"
    "BAG,Mailer bag,250,180,20,15,1000\n"
    "C2,Carton two,300,220,160,180,8000\n"
)
MUG_BLU, TEA_EARL = "4006381330008", "4006381330022"


def cli(url: str, *args: str) -> str:
    out = StringIO()
    with redirect_stdout(out):
        assert run(["--db", url, *args]) == 0, out.getvalue()
    return out.getvalue()


def enter(station: Station) -> tuple[str, str]:
    return station.answer(lambda: station.scanner.press(Qt.Key.Key_Return, "\r"))


def set_up_from_files(url: str, folder: Path) -> str:
    """What the new business types, and the order number of Shopify's #1001."""
    (folder / "site.yaml").write_text(yaml.safe_dump(SITE), encoding="utf-8")
    (folder / "boxes.csv").write_text(BOXES, encoding="utf-8")
    cli(url, "init-db")
    cli(url, "settings", "import", str(folder / "site.yaml"))
    cli(url, "import-boxes", str(folder / "boxes.csv"))
    cli(url, "import-products", str(SAMPLES / "products.csv"))
    cli(url, "import-stock", str(SAMPLES / "stock.csv"))
    cli(url, "import-orders", str(SAMPLES / "shopify_orders.csv"))
    cli(url, "allocate")
    number: str = json.loads(cli(url, "show-order", "#1001", "--json"))["number"]
    return number


def test_a_new_site_set_up_by_the_cli_packs_at_the_station_with_its_own_label(
    open_station: StationFactory, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'kite.db'}"
    number = set_up_from_files(url, tmp_path)
    db: Database = open_database(url, station="test")
    labels = tmp_path / "labels"
    use_devices(db, "pack-1", label=f"folder:{labels}", document=f"folder:{tmp_path / 'slips'}")
    station = open_station(actor=Actor("pat", "pack-1"), db=db)
    try:
        assert station.open(number)[0] == f"{number}: scan each item"
        for code in (MUG_BLU, MUG_BLU):
            station.scan(code)
        assert station.scan(TEA_EARL)[1] == "complete"
        panel = station.window.step_panel
        station.qtbot.waitUntil(lambda: panel.prompt_label.text().startswith("Suggested"))
        assert panel.prompt_label.text().startswith("Suggested: C2 - Carton two")

        assert enter(station)[0] == "Carton two (C2) - now the weight"
        assert "expected 0.78 kg" in panel.prompt_label.text()
        message, _ = enter(station)
    finally:
        db.dispose()

    assert message.startswith(f"Label printed on folder:{labels}"), message
    (label,) = labels.iterdir()
    pdf = label.read_bytes()
    tracking = make_tracking_number(TrackingScheme.MOD7, 700000, prefix="SW", width=9)
    barcodes = found(scan_pages(pdf)[0])
    assert ("Code 128", tracking) in barcodes
    ssccs = [text.removeprefix("(00)") for _, text in barcodes if text.startswith("(00)")]
    assert len(ssccs) == 1 and ssccs[0].startswith("0" + PREFIX), barcodes
    page = texts(pdf)[0]
    assert "Kite & Co Ltd" in page and "Swift Parcels" in page
