"""The box step suggests the smallest box the items fit, highlighted; Enter takes it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt

from app.context import Actor
from app.services.catalogue import ProductInput, upsert_products
from app.services.orders import order_detail
from db.engine import Database
from tests.ui.station.conftest import MUG_GTIN, TEA_GTIN, Station

OrderOf = Callable[[dict[str, int]], str]


def _measured(db: Database, actor: Actor) -> None:
    upsert_products(
        db,
        actor,
        [
            ProductInput("MUG", "Mug", (MUG_GTIN,), 350, 120, 90, 90),
            ProductInput("TEA", "Tea", (TEA_GTIN,), 120, 200, 160, 120),
        ],
    )


def _enter(station: Station) -> tuple[str, str]:
    return station.answer(lambda: station.scanner.press(Qt.Key.Key_Return, "\r"))


def test_the_smallest_box_that_fits_is_suggested_highlighted_and_enter_takes_it(
    station: Station, warehouse: Database, actor: Actor, order_of: OrderOf
) -> None:
    _measured(warehouse, actor)
    number = order_of({"MUG": 2, "TEA": 1})
    station.open(number)
    for code in (MUG_GTIN, TEA_GTIN, MUG_GTIN):
        station.scan(code)
    panel = station.window.step_panel
    station.qtbot.waitUntil(lambda: panel.prompt_label.text().startswith("Suggested"))

    assert panel.prompt_label.text() == (
        "Suggested: M - Medium box 350x250x150   ·   Enter or 3 = take it, or choose another"
    )
    tiles = {code: panel.tile(code) for code in ("ENV", "S", "M", "L", "XL")}
    suggested = [code for code, t in tiles.items() if t and t.property("suggested") == "true"]
    assert suggested == ["M"]
    assert _enter(station) == ("Medium box 350x250x150 (M) - now the weight", "ok")
    assert "expected 1.04 kg" in panel.prompt_label.text()
    _enter(station)
    packages = order_detail(warehouse, number).shipments[0].packages
    assert [(p.box, p.weight_g) for p in packages] == [("M", 2 * 350 + 120 + 220)]


def test_another_box_can_still_be_chosen(
    station: Station, warehouse: Database, actor: Actor, order_of: OrderOf
) -> None:
    _measured(warehouse, actor)
    station.open(order_of({"MUG": 1}))
    station.scan(MUG_GTIN)
    panel = station.window.step_panel
    station.qtbot.waitUntil(lambda: panel.prompt_label.text().startswith("Suggested: S"))

    assert station.scan("B:L") == ("Large box 500x350x250 (L) - now the weight", "ok")


def test_a_suggestion_for_items_without_sizes_says_it_is_a_guess(
    station: Station, order_of: OrderOf
) -> None:
    station.open(order_of({"PEN": 1}))
    station.scan("PEN-BC")
    panel = station.window.step_panel
    station.qtbot.waitUntil(lambda: panel.prompt_label.text().startswith("Suggested: ENV"))

    assert panel.prompt_label.text().endswith("\n(a guess: no size for PEN; no weight for PEN)")


def test_when_no_box_fits_enter_says_why_and_a_box_must_be_chosen(
    station: Station, warehouse: Database, actor: Actor, order_of: OrderOf
) -> None:
    rod = ProductInput("PEN", "Giant pen", ("PEN-BC",), 900, 2000, 50, 50)
    upsert_products(warehouse, actor, [rod])
    station.open(order_of({"PEN": 1}))
    station.scan("PEN-BC")
    panel = station.window.step_panel
    station.qtbot.waitUntil(lambda: panel.prompt_label.text().startswith("No box suggested"))

    message, sound = _enter(station)

    assert (message, sound) == (
        "No box suggested: 1 item, 0.90 kg: no box takes the 2000 mm Giant pen (PEN)"
        " - choose one",
        "error",
    )
    assert station.window.alert.hint_label.text() == "Press a box's number or scan its B: code"
    assert station.scan("B:XL")[1] == "ok"
