"""Box advice for an order: the smallest active box its unpacked units fit, and weights."""

from __future__ import annotations

from sqlalchemy import update

from app.context import Actor
from app.services.allocation import allocate
from app.services.box_advice import NOTHING_TO_PACK, advise_box
from app.services.catalogue import ProductInput, upsert_products
from app.services.pack_completion import PackageSpec, complete_packing
from app.services.packing import open_for_packing, record_pack_scan
from db.engine import Database
from db.models import BoxType
from db.uow import run_in_transaction
from tests.factories import place, stock

PACKER = Actor("pat", "pack-1")


def _order(db: Database, actor: Actor, lines: dict[str, int]) -> tuple[str, int]:
    stock(db, actor, {"MUG": 10, "LAMP": 10, "PEN": 10})
    upsert_products(
        db,
        actor,
        [
            ProductInput("MUG", "Mug", ("4006381333931",), 350, 120, 90, 90),
            ProductInput("LAMP", "Desk lamp", ("LAMP-BC",), 2500, 450, 200, 150),
            ProductInput("PEN", "Pen", ("PEN-BC",)),
        ],
    )
    number = place(db, actor, lines)
    allocate(db, actor)
    state = open_for_packing(db, PACKER, f"O:{number}")
    return number, state.order_id


def test_two_mugs_get_the_smallest_box_and_the_weight_counts_its_tare(
    db: Database, actor: Actor
) -> None:
    _, order_id = _order(db, actor, {"MUG": 2})

    advice = advise_box(db, order_id)

    assert advice.suggestion.code == "S"  # 240 x 90 x 90 mm: too thick for the envelope
    assert advice.suggestion.reason == "S: the smallest box for 2 items, 0.70 kg"
    assert advice.expected_g("S") == 2 * 350 + 120
    assert advice.expected_g("M") == 2 * 350 + 220


def test_a_desk_lamp_needs_the_large_box(db: Database, actor: Actor) -> None:
    _, order_id = _order(db, actor, {"MUG": 1, "LAMP": 1})
    assert advise_box(db, order_id).suggestion.code == "L"


def test_inactive_boxes_are_never_suggested(db: Database, actor: Actor) -> None:
    _, order_id = _order(db, actor, {"MUG": 1})
    run_in_transaction(
        db, lambda s: s.execute(update(BoxType).where(BoxType.code == "S").values(active=False))
    )
    advice = advise_box(db, order_id)
    assert advice.suggestion.code == "M"
    assert "S" not in advice.tares


def test_a_product_without_weight_or_size_makes_the_advice_uncertain(
    db: Database, actor: Actor
) -> None:
    _, order_id = _order(db, actor, {"MUG": 1, "PEN": 2})

    advice = advise_box(db, order_id)

    assert advice.suggestion.uncertain
    assert advice.suggestion.missing_weight == ("PEN",)
    assert advice.expected_g("S") is None
    assert advice.known_g("S") == 350 + 120


def test_a_packed_order_has_nothing_left_to_advise(db: Database, actor: Actor) -> None:
    _, order_id = _order(db, actor, {"MUG": 1})
    record_pack_scan(db, PACKER, order_id, "4006381333931")
    complete_packing(db, PACKER, order_id, [PackageSpec(box_code="S")])

    assert advise_box(db, order_id).suggestion.reason == NOTHING_TO_PACK
