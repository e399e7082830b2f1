"""The desk's order import: a progress bar that follows the file, and a Cancel that
leaves nothing of it behind."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import app.imports.orders as orders_module
from app.context import Actor
from app.domain.new_order import NewOrder
from app.services.intake import IntakeResult, add_orders
from db.engine import Database
from db.models import Order
from db.uow import read
from tests.imports.files import SAMPLES, shopify_csv, shopify_order, write
from ui.context import UiContext
from ui.dialogs.import_orders_dialog import ImportOrdersDialog


def order_count(db: Database) -> int:
    return read(db, lambda s: s.scalar(select(func.count()).select_from(Order)) or 0)


def test_a_shopify_export_imports_with_the_bar_at_its_end(
    qtbot: QtBot, ui_context: UiContext, demo_db: Database
) -> None:
    before = order_count(demo_db)
    dialog = ImportOrdersDialog(ui_context)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(SAMPLES / "shopify_orders.csv"))

    dialog.import_button.click()

    qtbot.waitUntil(lambda: dialog.status_label.text().startswith("Imported"), timeout=20_000)
    # The demo warehouse sells none of the sample's SKUs: every order waits on hold.
    assert dialog.status_label.text() == (
        "Imported 14 orders (14 on hold), 0 already present, 2 skipped."
    )
    assert dialog.progress_bar.value() == dialog.progress_bar.maximum() > 0
    assert dialog.import_button.isEnabled() and dialog.cancel_button.text() == "Close"
    assert order_count(demo_db) == before + 14


def test_cancel_in_the_middle_rolls_the_whole_file_back(
    qtbot: QtBot,
    ui_context: UiContext,
    demo_db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    before = order_count(demo_db)
    first_batch_in, go_on = threading.Event(), threading.Event()

    def held_after_first(session: Session, actor: Actor, orders: list[NewOrder]) -> IntakeResult:
        result = add_orders(session, actor, orders)
        first_batch_in.set()
        go_on.wait(10)
        return result

    monkeypatch.setattr(orders_module, "BATCH", 3)
    monkeypatch.setattr(orders_module, "add_orders", held_after_first)
    orders = [shopify_order(f"#{n}", [("MUG-BLU", "1")]) for n in range(1, 11)]
    path = write(tmp_path / "orders_export.csv", shopify_csv(*orders))
    dialog = ImportOrdersDialog(ui_context)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(path))

    dialog.import_button.click()
    qtbot.waitUntil(first_batch_in.is_set)
    assert dialog.cancel_button.text() == "Cancel import"
    dialog.cancel_button.click()
    go_on.set()

    qtbot.waitUntil(lambda: "cancelled" in dialog.status_label.text(), timeout=20_000)
    assert dialog.status_label.text() == "Import cancelled: nothing of the file was imported."
    assert order_count(demo_db) == before
    assert dialog.cancel_button.text() == "Close"


def test_a_file_with_a_bad_order_says_so_and_imports_nothing(
    qtbot: QtBot, ui_context: UiContext, demo_db: Database, tmp_path: Path
) -> None:
    before = order_count(demo_db)
    bad = shopify_order("#2", [("MUG-BLU", "0")])
    path = write(tmp_path / "o.csv", shopify_csv(shopify_order("#1"), bad))
    dialog = ImportOrdersDialog(ui_context)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(path))

    dialog.import_button.click()

    qtbot.waitUntil(lambda: "nothing imported" in dialog.status_label.text(), timeout=20_000)
    assert dialog.status_label.text().splitlines() == [
        "1 problem(s) in 1 of 2 orders; nothing imported",
        "o.csv:3: Lineitem quantity: must be a positive whole number, not '0'",
    ]
    assert order_count(demo_db) == before


def test_a_later_export_says_what_it_changed_about_the_orders_already_here(
    qtbot: QtBot, ui_context: UiContext, demo_db: Database
) -> None:
    dialog = ImportOrdersDialog(ui_context)
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(SAMPLES / "shopify_orders.csv"))
    dialog.import_button.click()
    qtbot.waitUntil(lambda: dialog.status_label.text().startswith("Imported"), timeout=20_000)

    dialog.path_edit.setText(str(SAMPLES / "shopify_orders_later.csv"))
    dialog.import_button.click()

    qtbot.waitUntil(lambda: "Already here" in dialog.status_label.text(), timeout=20_000)
    lines = dialog.status_label.text().splitlines()
    assert lines[:2] == [
        "Imported 0 orders (0 on hold), 14 already present, 2 skipped.",
        "Already here: 9 unchanged, 4 updated, 1 cancelled, 0 held.",
    ]
    assert lines[2].endswith("(#1002): street")
    assert lines[-1].startswith("cancelled: ") and lines[-1].endswith(
        "(#1001): cancelled in Shopify"
    )
