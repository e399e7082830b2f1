"""RELIABILITY.md's twenty bad inputs, at the pack screen: each one is refused with its
sentence, its sound and a red screen, and leaves the order exactly as it was."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker
from sqlalchemy.pool import NullPool

from app.context import Actor
from app.services.catalogue import ProductInput, upsert_products
from app.services.orders import order_detail
from app.services.pack_completion import PackageSpec, complete_packing
from app.services.packing import open_for_packing, record_pack_scan
from db.engine import Database
from tests.factories import stock
from tests.ui.station.conftest import (
    HUMAN_GAP_MS,
    MUG_GTIN,
    SCANNER_GAP_MS,
    TEA_GTIN,
    Station,
)
from ui.station.pack_steps import Step

MUG_GS1 = "01" + "0" + MUG_GTIN


@pytest.fixture
def packing(station: Station, order_of: Callable[[dict[str, int]], str]) -> tuple[Station, str]:
    """An order of 2 mugs and a tea open at the station, one mug already scanned."""
    number = order_of({"MUG": 2, "TEA": 1})
    station.open(number)
    station.scan(MUG_GTIN)
    return station, number


def refused(
    station: Station, db: Database, number: str, keys: Callable[[], None]
) -> tuple[str, str]:
    """Send `keys`; assert the screen went red and nothing changed; the (message, sound)."""
    window = station.window
    before = order_detail(db, number)
    step, scanned = window.controller.step, window.lines_model.units_scanned
    message, sound = station.answer(keys)
    assert order_detail(db, number) == before
    assert (window.controller.step, window.lines_model.units_scanned) == (step, scanned)
    assert window.alert.isVisible()
    assert window.alert.message() == message
    assert window.feedback_bar.tone() == "bad"
    assert window.sounds.last_sound == sound == "error"
    return message, sound


@pytest.mark.parametrize(
    ("row", "code", "expected"),
    [
        (2, "4006381333932", "Check digit wrong (expected 1) - rescan"),
        (3, "PEN-BC", "PEN Pen is not on {number} - set aside"),
        (7, '&é"\'(-è_çà&é"', "Keyboard layout mismatch - set scanner and OS to the same layout"),
        (8, "]X9ABC123", "Unsupported barcode type ]X9"),
        (
            9,
            "010400638133393110LOT1234567890123456789",
            "GS1 malformed: lot (AI 10) too long / missing separator",
        ),
        (14, "4006\x00381333931", "Barcode contains control character 0x00"),
        (14, "4006\x1b381333931", "Barcode contains control character 0x1B"),
        (14, "4006\x04381333931", "Barcode contains control character 0x04"),
        (15, "४००६३८१३३३९३१", "Non-ASCII digits in barcode"),
        (16, "036000291452", "Unknown GTIN 00036000291452"),
        (19, MUG_GS1 + "17240331", "Lot expired 2024-03-31 - do not ship"),
        (19, MUG_GS1 + "17991399", "Invalid GS1 date 991399"),
    ],
)
def test_a_bad_scan_turns_the_screen_red_with_its_reason_and_changes_nothing(
    packing: tuple[Station, str], warehouse: Database, row: int, code: str, expected: str
) -> None:
    station, number = packing
    message, _ = refused(station, warehouse, number, lambda: station.scanner.scan(code))
    assert message == expected.format(number=number), f"row {row}"


def test_a_bare_enter_says_nothing_was_scanned(
    packing: tuple[Station, str], warehouse: Database
) -> None:
    station, number = packing
    press_enter = lambda: station.scanner.press(Qt.Key.Key_Return, "\r")  # noqa: E731
    assert refused(station, warehouse, number, press_enter) == (
        "Nothing scanned - scan the item barcode",
        "error",
    )


def test_one_more_than_ordered_is_refused_with_the_counts(
    packing: tuple[Station, str], warehouse: Database
) -> None:
    station, number = packing
    station.scan(TEA_GTIN)
    message, _ = refused(station, warehouse, number, lambda: station.scanner.scan(TEA_GTIN))
    assert message == f"{number} needs 1 × TEA Tea; 1 already scanned"


def test_the_same_code_twice_within_300_ms_counts_once_and_is_not_an_alarm(
    packing: tuple[Station, str], warehouse: Database
) -> None:
    station, number = packing
    assert station.scan(TEA_GTIN) == ("TEA 1 of 1", "ok")
    before = order_detail(warehouse, number)
    answer = station.answer(lambda: station.scanner.scan(TEA_GTIN, pause_ms=150))
    assert answer == ("Duplicate scan ignored", "duplicate")
    assert station.window.sounds.last_sound == "duplicate"
    assert not station.window.alert.isVisible()
    assert station.window.feedback_bar.tone() == "notice"
    assert order_detail(warehouse, number) == before


def test_another_orders_slip_names_both_orders(
    packing: tuple[Station, str], warehouse: Database, order_of: Callable[[dict[str, int]], str]
) -> None:
    station, number = packing
    other = order_of({"TEA": 1})
    scan_other = lambda: station.scanner.scan(f"O:{other}")  # noqa: E731
    message, _ = refused(station, warehouse, number, scan_other)
    assert message == f"This is {other}; you are packing {number}"


@pytest.mark.parametrize("separator", ["\x1d", "#"], ids=["alt029", "hash"])
def test_a_gs1_code_with_a_known_separator_is_read_and_counted(
    packing: tuple[Station, str], warehouse: Database, separator: str
) -> None:
    station, number = packing
    assert station.scan(f"{MUG_GS1}10LOT7{separator}21SN9") == ("MUG 2 of 2", "ok")
    assert order_detail(warehouse, number).packing.scanned == {"MUG": 2}  # type: ignore[union-attr]
    assert not station.window.alert.isVisible()


def test_human_keys_mixed_into_a_burst_discard_the_scan(
    packing: tuple[Station, str], warehouse: Database
) -> None:
    station, number = packing

    def mixed() -> None:
        station.scanner.type("40", HUMAN_GAP_MS)
        station.scanner.scan("06381333931", pause_ms=HUMAN_GAP_MS)

    message, _ = refused(station, warehouse, number, mixed)
    assert message == "Partial scan discarded - rescan"


def test_twelve_digits_and_no_enter_time_out_as_an_incomplete_barcode(
    packing: tuple[Station, str], warehouse: Database
) -> None:
    station, number = packing
    twelve = lambda: station.scanner.type("400638133393", SCANNER_GAP_MS)  # noqa: E731
    message, _ = refused(station, warehouse, number, twelve)
    assert message == "Incomplete barcode (12 of 13 digits)"


def test_a_ten_thousand_character_burst_is_refused_without_freezing_the_screen(
    packing: tuple[Station, str], warehouse: Database
) -> None:
    station, number = packing
    started = time.perf_counter()
    message, _ = refused(station, warehouse, number, lambda: station.scanner.scan("7" * 10_000))
    assert message == "Scan too long (max 256)"
    assert time.perf_counter() - started < 3.0
    assert station.scan(TEA_GTIN) == ("TEA 1 of 1", "ok")


@pytest.mark.parametrize(
    "code", ["４００６３８１３３３９３１", "٤٠٠٦٣٨١٣٣٣٩٣١"], ids=["full-width", "arabic-indic"]
)
def test_full_width_and_arabic_indic_digits_read_as_the_same_gtin(
    packing: tuple[Station, str], warehouse: Database, code: str
) -> None:
    station, _ = packing
    assert station.scan(code) == ("MUG 2 of 2", "ok")


def test_a_upc_a_scan_finds_the_product_stored_under_its_ean_13(
    station: Station,
    warehouse: Database,
    actor: Actor,
    order_of: Callable[[dict[str, int]], str],
) -> None:
    stock(warehouse, actor, {"SOAP": 5})
    upsert_products(warehouse, actor, [ProductInput("SOAP", "Soap", ("0036000291452",))])
    station.open(order_of({"SOAP": 1}))
    assert station.scan("036000291452") == ("All 1 items scanned - choose the box", "complete")


def test_one_gtin_on_two_products_is_never_guessed(
    packing: tuple[Station, str], warehouse: Database, actor: Actor
) -> None:
    station, number = packing
    upsert_products(warehouse, actor, [ProductInput("MUG-RED", "Red mug", (MUG_GTIN,))])
    message, _ = refused(station, warehouse, number, lambda: station.scanner.scan(MUG_GTIN))
    assert message == (
        f"GTIN 0{MUG_GTIN} matches MUG and MUG-RED - supervisor must fix master data"
    )


def test_a_serial_already_packed_in_another_order_is_refused(
    station: Station,
    warehouse: Database,
    order_of: Callable[[dict[str, int]], str],
) -> None:
    elsewhere = Actor(username="sam", station="pack-3")
    first = order_of({"MUG": 1})
    state = open_for_packing(warehouse, elsewhere, first)
    record_pack_scan(warehouse, elsewhere, state.order_id, f"{MUG_GS1}21SN123")
    complete_packing(warehouse, elsewhere, state.order_id, [PackageSpec()])
    number = order_of({"MUG": 1})
    station.open(number)

    scan_serial = lambda: station.scanner.scan(f"{MUG_GS1}21SN123")  # noqa: E731
    message, _ = refused(station, warehouse, number, scan_serial)
    assert message.startswith(f"SN123 already packed in {first} at station pack-3, ")


def test_typed_entry_is_refused_when_the_station_forbids_it(
    open_station: Callable[..., Station],
    warehouse: Database,
    order_of: Callable[[dict[str, int]], str],
) -> None:
    from ui.station.settings import StationSettings

    station = open_station(settings=StationSettings(forbid_manual=True))
    number = order_of({"MUG": 1})
    station.open(number)
    typed = lambda: station.scanner.enter_by_hand(MUG_GTIN)  # noqa: E731
    message, _ = refused(station, warehouse, number, typed)
    assert message == "Typed entry is not allowed here - scan the barcode"
    assert station.window.controller.step is Step.SCANNING


@pytest.mark.parametrize(
    "dead_url",
    ["postgresql+psycopg://postgres@127.0.0.1:1/gone", "sqlite:///{tmp}/no-such-folder/x.db"],
    ids=["server-refuses-connections", "database-file-unreachable"],
)
def test_a_database_outage_says_not_saved_and_the_retry_afterwards_counts(
    packing: tuple[Station, str],
    warehouse: Database,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    dead_url: str,
) -> None:
    station, number = packing
    dead = create_engine(dead_url.format(tmp=tmp_path), poolclass=NullPool)
    monkeypatch.setattr(warehouse, "write_session", sessionmaker(dead))

    message, _ = refused(station, warehouse, number, lambda: station.scanner.scan(TEA_GTIN))

    assert message == "NOT saved - database unavailable, retry"
    monkeypatch.undo()
    dead.dispose()
    assert station.scan(TEA_GTIN) == ("TEA 1 of 1", "ok")
