"""A new business sets itself up through the command line alone, from an empty database:
settings, box types, a carrier with its own number range, then its own products, stock
and a Shopify export; the packed order's label carries what was configured.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from app.domain.gtin import gs1_check_digit
from app.domain.tracking_numbers import TrackingScheme, make_tracking_number
from tests.cli.runner import Cli, assert_refused, sqlite_url
from tests.documents.pdfcheck import scan_pages, texts

SAMPLES = Path(__file__).resolve().parents[2] / "resources" / "samples"
PREFIX = "5012345"
CARRIER_DOC = {
    "shipshape_settings": 1,
    "carriers": [
        {
            "code": "parcelco",
            "name": "ParcelCo",
            "tracking_scheme": "mod10",
            "tracking_prefix": "PC",
            "tracking_width": 9,
            "range_start": 400000,
            "range_end": 400001,
            "tracking_url": "https://parcelco.example/t/{tracking}",
            "services": [
                {"code": "STD", "name": "ParcelCo Standard", "service_level": "standard",
                 "default": True},
            ],
        }
    ],
}
COMPANY = {
    "company.name": "Hearth & Leaf GmbH",
    "company.address1": "Lagerweg 3",
    "company.postcode": "04109",
    "company.city": "Leipzig",
    "company.country": "de",
    "company.timezone": "Europe/Berlin",
    "gs1.company_prefix": PREFIX,
}
BOXES = (
    "code,name,length_mm,width_mm,height_mm,tare_g,max_weight_g\n"
    "ENV,Padded envelope,300,220,20,30,1000\n"
    "M,Medium box,350,250,150,220,10000\n"
)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "new.db")
    url: str = request.getfixturevalue("fresh_pg_url")
    return url


def ok(cli: Cli, url: str, *args: str) -> str:
    result = cli(url, *args)
    assert result.code == 0, str(result)
    return result.out


def test_a_new_site_sets_up_from_the_command_line_and_packs_with_its_own_numbers(
    cli: Cli, empty_url: str, tmp_path: Path
) -> None:
    ok(cli, empty_url, "init-db")
    for name in ("products.csv", "stock.csv", "shopify_orders.csv"):
        shutil.copy(SAMPLES / name, tmp_path / name)
    ok(cli, empty_url, "import-products", str(tmp_path / "products.csv"))
    ok(cli, empty_url, "import-stock", str(tmp_path / "stock.csv"))
    ok(cli, empty_url, "import-orders", str(tmp_path / "shopify_orders.csv"))
    ok(cli, empty_url, "allocate")

    refused = cli(empty_url, "pack", "#1001")
    assert_refused(refused)
    assert "not set up for packing" in refused.err
    for missing in ("sender address", "GS1 company prefix", "No box types", "No carrier"):
        assert missing in refused.err, refused.err

    for key, value in COMPANY.items():
        ok(cli, empty_url, "settings", "set", key, value)
    (tmp_path / "boxes.csv").write_text(BOXES, encoding="utf-8")
    assert "imported 2 box types" in ok(cli, empty_url, "import-boxes", str(tmp_path / "boxes.csv"))
    (tmp_path / "carrier.yaml").write_text(yaml.safe_dump(CARRIER_DOC), encoding="utf-8")
    ok(cli, empty_url, "settings", "import", str(tmp_path / "carrier.yaml"))
    assert ok(cli, empty_url, "settings", "get", "company.country").strip() == "DE"

    ok(cli, empty_url, "pack", "#1001", "--box", "M")
    shown = json.loads(ok(cli, empty_url, "show-order", "#1001", "--json"))
    expected_tracking = make_tracking_number(
        TrackingScheme.MOD10, 400000, prefix="PC", width=9
    )
    shipment = shown["shipments"][0]
    assert shipment["carrier"] == "parcelco"
    assert shipment["tracking_number"] == expected_tracking
    sscc = shipment["packages"][0]["sscc"]
    assert sscc.startswith("0" + PREFIX)
    assert int(sscc[-1]) == gs1_check_digit(sscc[:-1])

    label = tmp_path / "label.pdf"
    ok(cli, empty_url, "label", "#1001", "--format", "pdf", "--out", str(label))
    pdf = label.read_bytes()
    decoded = {scan.text for scan in scan_pages(pdf)[0]}
    assert expected_tracking in decoded
    assert any(re.sub(r"\D", "", text).endswith(sscc) for text in decoded), decoded
    page = texts(pdf)[0]
    assert "Hearth & Leaf GmbH" in page and "Leipzig" in page and "ParcelCo" in page
    assert "0614141" not in page and "Main warehouse" not in page


def test_an_exhausted_tracking_range_packs_nothing(cli: Cli, tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "site.db")
    ok(cli, url, "init-db")
    ok(cli, url, "demo-data", "--orders", "40", "--seed", "5")
    narrow = json.loads(json.dumps(CARRIER_DOC))
    narrow["carriers"][0]["range_end"] = 400000  # one number only
    (tmp_path / "carrier.json").write_text(json.dumps(narrow), encoding="utf-8")
    ok(cli, url, "settings", "import", str(tmp_path / "carrier.json"))
    allocated = json.loads(ok(cli, url, "orders", "--status", "allocated", "--json"))
    first, second = allocated[0]["number"], allocated[1]["number"]
    for number in (first, second):  # ParcelCo carries standard parcels; demo orders vary
        ok(cli, url, "edit-address", number, "--service-level", "standard")

    ok(cli, url, "pack", first)
    refused = cli(url, "pack", second)

    assert_refused(refused)
    assert "ParcelCo: tracking number range exhausted" in refused.err
    again = json.loads(ok(cli, url, "show-order", second, "--json"))
    assert again["status"] == "allocated" and again["shipments"] == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("settings", "set", "gs1.company_prefix", "12AB"), "must be digits only"),
        (("settings", "set", "gs1.company_prefix", "123"), "6 to 12 digits"),
        (("settings", "set", "sscc.serial_end", "999999999999"), "sscc.serial_end"),
        (("settings", "set", "company.timezone", "Mars/Olympus"), "unknown time zone"),
        (("settings", "set", "no.such.key", "1"), "unknown setting"),
        (("settings", "set", "order.number_format", "SO-"), "must hold {n}"),
        (("settings", "set", "label.size", "A4"), "4x6, 100x150"),
    ],
)
def test_a_bad_setting_is_refused_in_one_line_and_changes_nothing(
    cli: Cli, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    url = sqlite_url(tmp_path / "site.db")
    ok(cli, url, "init-db")
    before = ok(cli, url, "settings", "get", "--json")

    result = cli(url, *args)

    assert_refused(result)
    assert message in result.err
    assert ok(cli, url, "settings", "get", "--json") == before


def test_bad_master_data_files_are_refused_naming_the_line(cli: Cli, tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "site.db")
    ok(cli, url, "init-db")
    zero = tmp_path / "zero.csv"
    zero.write_text(BOXES + "FLAT,Flat box,300,0,20,30,\n", encoding="utf-8")
    twice = tmp_path / "twice.csv"
    twice.write_text("code,kind\nA-01,pick\nB-01,bulk\nA-01,pick\n", encoding="utf-8")
    newer = tmp_path / "newer.yaml"
    newer.write_text("shipshape_settings: 2\nsettings: {}\n", encoding="utf-8")

    zero_result = cli(url, "import-boxes", str(zero))
    twice_result = cli(url, "import-locations", str(twice))
    newer_result = cli(url, "settings", "import", str(newer))
    bad_range = cli(url, "import-locations", "--generate", "F-A:1-20")

    for result in (zero_result, twice_result, newer_result, bad_range):
        assert_refused(result)
    assert "zero.csv:4: width_mm" in zero_result.err
    assert "twice.csv:4: A-01: location code used twice (also at twice.csv:2)" in twice_result.err
    assert "newer Shipshape (format 2)" in newer_result.err
    assert "aisles 'F-A' is empty" in bad_range.err
    settings = json.loads(ok(cli, url, "settings", "get", "--json"))
    assert settings["gs1.company_prefix"] == ""
    generated = ok(cli, url, "import-locations", "--generate", "A-F:1-20:1-4")
    assert "480 created" in generated


def test_settings_export_then_import_starts_a_second_site(cli: Cli, tmp_path: Path) -> None:
    first, second = sqlite_url(tmp_path / "first.db"), sqlite_url(tmp_path / "second.db")
    for url in (first, second):
        ok(cli, url, "init-db")
    ok(cli, first, "demo-data", "--orders", "0")
    exported = tmp_path / "site.yaml"
    ok(cli, first, "settings", "export", str(exported))

    ok(cli, second, "settings", "import", str(exported))

    one = json.loads(ok(cli, first, "settings", "get", "--json"))
    two = json.loads(ok(cli, second, "settings", "get", "--json"))
    assert one == two and two["gs1.company_prefix"] == "9528765"
    document = yaml.safe_load(exported.read_text(encoding="utf-8"))
    assert [b["code"] for b in document["box_types"]] == ["ENV", "S", "M", "L", "XL"]
    assert document["carriers"][0]["services"][0]["default"] is True


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("deep.json", b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        ("deep.yaml", b"a: " + b"[" * 100_000 + b"]" * 100_000, "not valid YAML"),
        ("binary.yaml", bytes(range(128, 256)) * 20, "not UTF-8 text"),
        ("broken.yaml", b"shipshape_settings: 1\nsettings: {a: [\n", "broken.yaml:3: not valid"),
        ("list.yaml", b"- 1\n- 2\n", "not a Shipshape settings document"),
        ("flag.yaml", b"shipshape_settings: true\n", "must be a format number"),
        (
            "nul.yaml",
            b'shipshape_settings: 1\nsettings: {company.name: "A\\x00B", '
            b"gs1.company_prefix: 1e999}\n",
            "company.name: control characters are not allowed",
        ),
    ],
)
def test_a_hostile_settings_file_is_refused_in_one_line(
    cli: Cli, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    url = sqlite_url(tmp_path / "site.db")
    ok(cli, url, "init-db")
    (tmp_path / name).write_bytes(content)

    result = cli(url, "settings", "import", str(tmp_path / name))

    assert_refused(result)
    assert message in result.err
    assert json.loads(ok(cli, url, "settings", "get", "--json"))["company.name"] == ""
