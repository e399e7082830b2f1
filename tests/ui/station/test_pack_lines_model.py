"""PackLinesModel: rows from a PackState, one row updated in place per scan."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.dto import PackLine, PackState
from ui.station.pack_lines_model import DONE_TEXT, Column, PackLinesModel

STATE = PackState(
    order_id=1,
    number="SO-100001",
    external_ref="#1001",
    status="allocated",
    service_level="standard",
    ship_to_name="Zoë Müller",
    ship_to_country="DE",
    station="pack-1",
    user="pat",
    lines=(
        PackLine(10, "MUG", "Mug", "04006381333931", 2, 0),
        PackLine(11, "TEA", "Tea", "05901234123457", 1, 1, "/nowhere/tea.png"),
    ),
)


def test_the_model_passes_the_qt_model_tests_before_and_after_a_scan(
    qtmodeltester: ModelTester,
) -> None:
    model = PackLinesModel()
    model.set_state(STATE)
    qtmodeltester.check(model)
    model.apply_line(PackLine(10, "MUG", "Mug", None, 2, 1))
    qtmodeltester.check(model)


def test_a_scan_changes_only_its_own_row(qtbot: QtBot) -> None:
    model = PackLinesModel()
    model.set_state(STATE)
    with qtbot.waitSignal(model.dataChanged) as blocker:
        row = model.apply_line(PackLine(10, "MUG", "Mug", None, 2, 1))
    top_left, bottom_right = blocker.args[:2]
    assert (row, top_left.row(), bottom_right.row()) == (0, 0, 0)
    assert (top_left.column(), bottom_right.column()) == (0, len(Column) - 1)
    assert model.data(model.index(0, Column.COUNT)) == "1 / 2"
    assert (model.units_scanned, model.units_expected) == (2, 3)


def test_done_lines_are_greyed_and_ticked_and_a_missing_image_is_no_icon() -> None:
    model = PackLinesModel()
    model.set_state(STATE)
    done = model.index(1, Column.ITEM)
    assert model.data(model.index(1, Column.DONE)) == "✔"
    assert model.data(done, Qt.ItemDataRole.ForegroundRole).color() == DONE_TEXT
    assert model.data(model.index(0, Column.DONE)) == ""
    assert model.data(model.index(1, Column.IMAGE), Qt.ItemDataRole.DecorationRole) is None


def test_a_line_not_on_the_screen_changes_nothing() -> None:
    model = PackLinesModel()
    model.set_state(STATE)
    assert model.apply_line(PackLine(99, "PEN", "Pen", None, 1, 1)) is None
    assert model.units_scanned == 1
