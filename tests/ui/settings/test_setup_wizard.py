"""The first-run wizard on an empty database: filled in, refused, skipped."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget, QWizard
from pytestqt.qtbot import QtBot

from app.context import Actor
from app.services.demo_data import load_demo
from app.services.master_data import list_boxes, list_carriers
from app.services.settings import list_settings
from app.services.site_readiness import station_setup_problems
from db.engine import Database
from ui.context import UiContext
from ui.settings.box_table import BoxTable
from ui.settings.first_run import needs_setup, offer_first_run_setup
from ui.settings.setup_wizard import SIZE, SetupWizard

COMPANY = {
    "company.name": "Kite & Co Ltd",
    "company.address1": "12 Wharf Road",
    "company.postcode": "BS1 4RN",
    "company.city": "Bristol",
    "company.country": "gb",
}


def _open(host: QWidget, ctx: UiContext, db: Database) -> SetupWizard:
    wizard = SetupWizard(ctx, list_settings(db), host)
    wizard.show()
    return wizard


def _press(qtbot: QtBot, wizard: SetupWizard, which: QWizard.WizardButton) -> None:
    qtbot.mouseClick(wizard.button(which), Qt.MouseButton.LeftButton)


def _type_box(table: BoxTable, row: int, values: tuple[object, ...]) -> None:
    for column, value in enumerate(values):
        item = table.item(row, column)
        assert item is not None
        item.setData(Qt.ItemDataRole.EditRole, value)


def _stored_keys(db: Database) -> list[str]:
    return [view.key for view in list_settings(db) if view.is_set]


def test_an_empty_database_is_offered_the_wizard_and_the_demo_needs_none(
    qtbot: QtBot, host: QWidget, empty_context: UiContext, sqlite_db: Database, actor: Actor
) -> None:
    offer_first_run_setup(empty_context, host)

    qtbot.waitUntil(lambda: host.findChild(SetupWizard) is not None)
    wizard = host.findChild(SetupWizard)
    assert wizard is not None and wizard.isVisible()
    assert (wizard.width(), wizard.height()) <= SIZE <= (1024, 600)
    wizard.reject()
    load_demo(sqlite_db, actor, orders=5, skus=5)
    assert not needs_setup(list_settings(sqlite_db))


def test_filling_every_step_stores_the_set_up_and_leaves_nothing_missing_for_packing(
    qtbot: QtBot, host: QWidget, empty_context: UiContext, sqlite_db: Database
) -> None:
    wizard = _open(host, empty_context, sqlite_db)
    qtbot.keyClicks(wizard.company_step.fields.editor("company.name"), COMPANY["company.name"])
    for key, value in COMPANY.items():
        wizard.company_step.fields.set_text(key, value)
    _press(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentPage() is wizard.regional_step
    wizard.regional_step.fields.set_text("company.timezone", "Europe/London")
    wizard.regional_step.fields.set_text("units.weight", "g")
    _press(qtbot, wizard, QWizard.WizardButton.NextButton)
    labels = wizard.labels_step.fields
    qtbot.keyClicks(labels.editor("gs1.company_prefix"), "5012345")
    labels.set_text("sscc.serial_end", "999999")
    labels.set_text("label.format", "zpl")
    labels.set_text("label.dpi", "300")
    labels.set_text("order.number_format", "KC-{n:06d}")
    _press(qtbot, wizard, QWizard.WizardButton.NextButton)
    qtbot.mouseClick(wizard.boxes_step.add_button, Qt.MouseButton.LeftButton)
    _type_box(wizard.boxes_step.table, 0, ("m", "Medium", 350, 250, 150, 220, 10000))
    _press(qtbot, wizard, QWizard.WizardButton.NextButton)
    form = wizard.carrier_step.form
    qtbot.keyClicks(form.code_edit, "parcelco")
    qtbot.keyClicks(form.name_edit, "ParcelCo")
    qtbot.keyClicks(form.prefix_edit, "PC")
    form.width_spin.setValue(9)
    qtbot.keyClicks(form.start_edit, "400000")
    qtbot.keyClicks(form.end_edit, "499999")
    assert form.sample_label.text() == "First number: PC0004000006"

    _press(qtbot, wizard, QWizard.WizardButton.FinishButton)

    qtbot.waitUntil(lambda: wizard.result() == QDialog.DialogCode.Accepted.value)
    assert not wizard.isVisible()
    values = {view.key: view.value for view in list_settings(sqlite_db)}
    assert {key: values[key] for key in COMPANY} == {**COMPANY, "company.country": "GB"}
    assert (values["gs1.company_prefix"], values["sscc.serial_end"]) == ("5012345", "999999")
    assert (values["label.format"], values["label.dpi"], values["units.weight"]) == (
        "zpl",
        "300",
        "g",
    )
    assert [(r.box.code, r.box.length_mm, r.active) for r in list_boxes(sqlite_db)] == [
        ("M", 350, True)
    ]
    [carrier] = list_carriers(sqlite_db)
    assert (carrier.carrier.code, carrier.next_value, carrier.numbers_left) == (
        "parcelco",
        400000,
        100000,
    )
    assert [(s.code, s.is_default) for s in carrier.carrier.services] == [("STD", True)]
    assert station_setup_problems(sqlite_db) == []


def test_a_bad_gs1_prefix_shows_the_checks_message_and_stores_nothing(
    qtbot: QtBot, host: QWidget, empty_context: UiContext, sqlite_db: Database
) -> None:
    wizard = _open(host, empty_context, sqlite_db)
    for key, value in COMPANY.items():
        wizard.company_step.fields.set_text(key, value)
    _press(qtbot, wizard, QWizard.WizardButton.NextButton)
    _press(qtbot, wizard, QWizard.WizardButton.NextButton)
    qtbot.keyClicks(wizard.labels_step.fields.editor("gs1.company_prefix"), "12AB")

    _press(qtbot, wizard, QWizard.WizardButton.NextButton)

    assert wizard.currentPage() is wizard.labels_step
    fields = wizard.labels_step.fields
    assert fields.error_text("gs1.company_prefix") == "must be digits only (got '12AB')"
    assert wizard.focusWidget() is fields.editor("gs1.company_prefix")
    _press(qtbot, wizard, QWizard.WizardButton.CancelButton)
    assert not wizard.isVisible()
    assert _stored_keys(sqlite_db) == []


def test_skipping_every_step_stores_nothing_even_what_was_typed(
    qtbot: QtBot, host: QWidget, empty_context: UiContext, sqlite_db: Database
) -> None:
    wizard = _open(host, empty_context, sqlite_db)
    wizard.company_step.fields.set_text("company.name", "Typed, then skipped")
    wizard.boxes_step.add_box()

    for step in wizard.steps:
        assert wizard.currentPage() is step
        _press(qtbot, wizard, QWizard.WizardButton.CustomButton1)

    assert wizard.result() == QDialog.DialogCode.Accepted.value
    assert all(step.skipped for step in wizard.steps)
    assert _stored_keys(sqlite_db) == []
    assert list_boxes(sqlite_db) == [] and list_carriers(sqlite_db) == []


def test_a_box_with_no_height_keeps_the_wizard_on_the_boxes_step(
    qtbot: QtBot, host: QWidget, empty_context: UiContext, sqlite_db: Database
) -> None:
    wizard = _open(host, empty_context, sqlite_db)
    for _ in range(3):
        _press(qtbot, wizard, QWizard.WizardButton.CustomButton1)
    wizard.boxes_step.add_box()
    _type_box(wizard.boxes_step.table, 0, ("S", "Small", 250, 180, 0, 120, 0))

    _press(qtbot, wizard, QWizard.WizardButton.NextButton)

    assert wizard.currentPage() is wizard.boxes_step
    assert "row 1: S: height_mm must be from 1" in wizard.boxes_step.problems.text()
    cell = wizard.boxes_step.table.item(0, 4)
    assert cell is not None and "height_mm" in cell.toolTip()
    wizard.boxes_step.table.selectRow(0)
    qtbot.mouseClick(wizard.boxes_step.remove_button, Qt.MouseButton.LeftButton)
    assert wizard.boxes_step.boxes() == []
