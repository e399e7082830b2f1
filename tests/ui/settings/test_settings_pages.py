"""The Settings area on real widgets and a real database: every catalogue key, saving and
refusing, box types, generated locations, carriers' ranges, export and import."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton
from pytestqt.qtbot import QtBot

from app.context import Actor
from app.domain.site_settings import CATALOGUE
from app.services.carrier_booking import book_tracking_numbers
from app.services.locations import list_locations
from app.services.master_data import (
    BoxInput,
    CarrierInput,
    ServiceInput,
    import_boxes,
    list_boxes,
    list_carriers,
    load_master_data,
    save_carriers,
)
from app.services.settings import get_setting, set_settings
from app.services.site_document import export_site
from app.services.stations import StationDevices, list_stations
from db.engine import Database
from db.uow import run_in_transaction
from tests.factories import channel
from tests.ui.backoffice.helpers import wait_for_banner
from ui.settings.box_table import BoxTable
from ui.settings.settings_form_page import SettingsFormPage
from ui.settings.settings_view import SettingsView

POST = CarrierInput(
    "post",
    "Post",
    "mod10",
    1,
    10,
    tracking_width=6,
    services=(ServiceInput("STD", "Post Standard", is_default=True),),
)


def _form(view: SettingsView, title: str) -> SettingsFormPage:
    page = view.page(title)
    assert isinstance(page, SettingsFormPage)
    return page


def _type_box(table: BoxTable, row: int, values: tuple[object, ...]) -> None:
    for column, value in enumerate(values):
        item = table.item(row, column)
        assert item is not None
        item.setData(Qt.ItemDataRole.EditRole, value)


def test_every_catalogue_key_has_a_field_with_its_label_help_and_current_value(
    qtbot: QtBot, settings_view: SettingsView, sqlite_db: Database, actor: Actor
) -> None:
    set_settings(sqlite_db, actor, {"company.name": "Kite & Co Ltd", "label.size": "100x150"})
    forms = [p for p in settings_view.pages.values() if isinstance(p, SettingsFormPage)]

    keys = [key for form in forms for key in form.fields.setting_keys()]

    assert sorted(keys) == sorted(spec.key for spec in CATALOGUE)
    company, labels = _form(settings_view, "Company"), _form(settings_view, "Labels and GS1")
    with qtbot.waitSignal(company.refreshed):
        settings_view.show_page("Company")
    assert company.fields.values()["company.name"] == "Kite & Co Ltd"
    with qtbot.waitSignal(labels.refreshed):
        settings_view.show_page("Labels and GS1")
    assert labels.fields.values()["label.size"] == "100x150"
    assert labels.fields.values()["order.number_format"] == "SO-{n}"  # the default
    shown = {label.text() for form in forms for label in form.findChildren(QLabel)}
    for spec in CATALOGUE:
        name = spec.label.rpartition(": ")[2]
        assert {name, f"{name} *"} & shown, spec.key
        assert not spec.help or spec.help in shown, spec.key


def test_a_refused_value_is_explained_under_its_field_and_nothing_is_saved(
    qtbot: QtBot, settings_view: SettingsView, sqlite_db: Database
) -> None:
    page = _form(settings_view, "Labels and GS1")
    with qtbot.waitSignal(page.refreshed):
        settings_view.show_page("Labels and GS1")
    page.fields.set_text("label.size", "100x150")
    page.fields.set_text("gs1.company_prefix", "12AB")

    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)

    wait_for_banner(qtbot, page.banner, "problem")
    assert page.fields.error_text("gs1.company_prefix") == "must be digits only (got '12AB')"
    assert get_setting(sqlite_db, "label.size") == "4x6"
    page.fields.set_text("gs1.company_prefix", "5012345")
    page.fields.set_text("sscc.serial_end", "99999999999")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.fields.error_text("sscc.serial_end") != "")
    assert "does not fit the 9 serial digits" in page.fields.error_text("sscc.serial_end")
    page.fields.set_text("sscc.serial_end", "")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: get_setting(sqlite_db, "label.size") == "100x150")
    assert get_setting(sqlite_db, "gs1.company_prefix") == "5012345"
    assert page.fields.error_text("gs1.company_prefix") == ""


def test_boxes_are_added_and_edited_and_a_zero_size_is_refused(
    qtbot: QtBot, settings_view: SettingsView, sqlite_db: Database
) -> None:
    page = settings_view.boxes_page
    with qtbot.waitSignal(page.refreshed):
        settings_view.show_page("Boxes")
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    _type_box(page.table, 0, ("s", "Small", 250, 180, 0, 120, 5000))

    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)

    wait_for_banner(qtbot, page.banner, "problem")
    assert "row 1: S: height_mm must be from 1 to 10000 mm (got 0)" in page.problems.text()
    assert list_boxes(sqlite_db) == []
    _type_box(page.table, 0, ("s", "Small", 250, 180, 100, 120, 5000))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: [r.box.code for r in list_boxes(sqlite_db)] == ["S"])
    qtbot.waitUntil(lambda: page.table.stored_box(0) is not None)
    _type_box(page.table, 0, ("S", "Small", 0, 180, 100, 120, 5000))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "length_mm must be from 1" in page.problems.text())
    assert list_boxes(sqlite_db)[0].box.length_mm == 250
    _type_box(page.table, 0, ("S", "Small tall", 260, 180, 100, 120, 0))
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: list_boxes(sqlite_db)[0].box.name == "Small tall")
    assert list_boxes(sqlite_db)[0].box == BoxInput("S", "Small tall", 260, 180, 100, 120, None)
    qtbot.waitUntil(lambda: page.table.rowCount() == 1 and page.table.stored_box(0) is not None)
    page.table.selectRow(0)
    qtbot.mouseClick(page.toggle_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not list_boxes(sqlite_db)[0].active)
    qtbot.waitUntil(lambda: page.table.rowCount() == 1 and not page.table.is_active(0))


def test_generating_locations_shows_the_count_first_then_creates_them(
    qtbot: QtBot, settings_view: SettingsView, sqlite_db: Database
) -> None:
    page = settings_view.locations_page
    with qtbot.waitSignal(page.refreshed):
        settings_view.show_page("Locations")
    qtbot.keyClicks(page.spec_edit, "A-F:1-20:9")
    qtbot.waitUntil(lambda: "levels '9'" in page.preview_label.text())
    assert not page.generate_button.isEnabled()
    page.spec_edit.clear()
    qtbot.keyClicks(page.spec_edit, "A-F:1-20:1-4")

    qtbot.waitUntil(lambda: page.preview_label.text() == "480 locations: A-01-01 … F-01-04")
    assert page.generate_button.text() == "Create 480 locations"
    assert list_locations(sqlite_db).total == 0
    qtbot.mouseClick(page.generate_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(lambda: page.count_label.text().startswith("480 locations"))
    assert list_locations(sqlite_db).total == 480
    assert page.table.cell_text(0, 0) == "A-01-01"
    page.table.selectRow(0)
    page.edit_kind.setCurrentText("bulk")
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: list_locations(sqlite_db, search="A-01-01").rows[0].kind == "bulk")


def test_a_carrier_with_an_invalid_or_exhausted_range_is_refused(
    qtbot: QtBot, settings_view: SettingsView, sqlite_db: Database, actor: Actor
) -> None:
    page = settings_view.carriers_page
    with qtbot.waitSignal(page.refreshed):
        settings_view.show_page("Carriers")
    form = page.form
    qtbot.keyClicks(form.code_edit, "post")
    qtbot.keyClicks(form.name_edit, "Post")
    qtbot.keyClicks(form.start_edit, "100")
    qtbot.keyClicks(form.end_edit, "50")

    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)

    assert "The range ends at 50, before its start 100." in form.problems.text()
    assert list_carriers(sqlite_db) == []
    save_carriers(sqlite_db, actor, [POST])
    run_in_transaction(sqlite_db, lambda s: book_tracking_numbers(s, "standard", 10))
    with qtbot.waitSignal(page.refreshed):
        page.refresh()
    page.table.selectRow(0)
    assert form.code_edit.text() == "post" and form.code_edit.isReadOnly()
    assert page.table.cell_text(0, 5) == "0"  # numbers left
    form.end_edit.setText("9")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "has no numbers left, 10 is already used" in form.problems.text())
    assert list_carriers(sqlite_db)[0].carrier.range_end == 10
    form.start_edit.setText("1000")
    form.end_edit.setText("1999")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: list_carriers(sqlite_db)[0].numbers_left == 1000)


def test_the_status_panel_lists_what_is_missing_and_opens_the_page_that_sets_it(
    qtbot: QtBot, settings_view: SettingsView
) -> None:
    status = settings_view.status_page
    qtbot.waitUntil(lambda: len(status.problems) == 4)
    assert status.banner.text() == "4 things to set up before a station can pack:"

    opener = status.findChild(QPushButton, "open:Boxes")
    assert opener is not None
    qtbot.mouseClick(opener, Qt.MouseButton.LeftButton)

    assert settings_view.current_page() is settings_view.boxes_page
    assert settings_view.nav.currentItem().text() == "Boxes"


def test_exporting_then_importing_the_set_up_puts_it_back(
    qtbot: QtBot, settings_view: SettingsView, sqlite_db: Database, actor: Actor, tmp_path: Path
) -> None:
    set_settings(
        sqlite_db, actor, {"company.name": "Kite & Co Ltd", "gs1.company_prefix": "5012345"}
    )
    import_boxes(sqlite_db, actor, [BoxInput("M", "Medium", 350, 250, 150, 220, 10000)])
    save_carriers(sqlite_db, actor, [POST])
    before = export_site(sqlite_db)
    path = tmp_path / "site.yaml"

    settings_view.export_to(path)
    wait_for_banner(qtbot, settings_view.banner, "ok")
    set_settings(
        sqlite_db, actor, {"company.name": "Someone else", "gs1.company_prefix": "4000001"}
    )
    import_boxes(sqlite_db, actor, [BoxInput("M", "Changed", 1, 1, 1)])
    settings_view.import_from(path)

    banner = settings_view.banner
    qtbot.waitUntil(lambda: banner.text().startswith("Imported site.yaml"))
    assert banner.text().startswith("Imported site.yaml: 2 settings changed, 1 box")
    assert export_site(sqlite_db) == before
    assert "company.name: Kite & Co Ltd" in path.read_text(encoding="utf-8")


def test_a_channels_branding_and_a_stations_printer_are_saved_from_their_pages(
    qtbot: QtBot, settings_view: SettingsView, sqlite_db: Database
) -> None:
    channel(sqlite_db, "web")
    page = settings_view.channels_page
    with qtbot.waitSignal(page.refreshed):
        settings_view.show_page("Channels")
    page.select_channel("web")
    page.sender_edit.setText("Kite Web Shop")
    page.buffer_spin.setValue(3)
    page.risk_edits["risk.first_order_value_limit"].setText("lots")

    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)

    qtbot.waitUntil(
        lambda: "risk.first_order_value_limit: must be a number" in page.problems.text()
    )
    page.risk_edits["risk.first_order_value_limit"].setText("250")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: load_master_data(sqlite_db).channels[0].safety_buffer == 3)
    [web] = load_master_data(sqlite_db).channels
    assert (web.sender_name, web.risk_overrides) == (
        "Kite Web Shop",
        {"first_order_value_limit": "250"},
    )

    stations = settings_view.stations_page
    with qtbot.waitSignal(stations.refreshed):
        settings_view.show_page("Stations")
    stations.name_edit.setText("pack-1")
    stations.label_edit.setText("tcp://")
    qtbot.mouseClick(stations.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "label printer: printer 'tcp://'" in stations.problems.text())
    stations.label_edit.setText("tcp://10.0.0.5:9100")
    qtbot.mouseClick(stations.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: stations.table.rowCount() == 1)
    assert list_stations(sqlite_db) == [StationDevices("pack-1", "tcp://10.0.0.5:9100", "", "")]
