from collections.abc import Callable
from decimal import Decimal
from itertools import permutations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.box_fit import Box, BoxSuggestion, PackItem, expected_weight_g, fits, suggest_box

ENVELOPE = Box("ENV", 350, 250, 20, tare_g=20, max_weight_g=1_000)
SMALL = Box("S", 300, 200, 150, tare_g=150, max_weight_g=5_000)
MEDIUM = Box("M", 400, 300, 250, tare_g=300, max_weight_g=15_000)
LARGE = Box("L", 650, 400, 300, tare_g=500, max_weight_g=20_000)
BOXES = [LARGE, ENVELOPE, MEDIUM, SMALL]  # in no particular order

LAMP = PackItem("LAMP-1", "desk lamp", 1, 2_500, 600, 200, 150)
MUGS = PackItem("MUG-2", "mug", 4, 350, 120, 90, 90)
PANS = PackItem("PAN-3", "cast-iron pan", 2, 5_500, 300, 300, 60)
PHONE_CASE = PackItem("CASE-4", "phone case", 1, 100, 160, 80, 15)
SEVEN_ITEMS = [LAMP, MUGS, PANS]  # 1 + 4 + 2 items, 14.9 kg


def test_seven_items_with_a_desk_lamp_go_in_the_large_box_not_an_envelope() -> None:
    suggestion = suggest_box(SEVEN_ITEMS, BOXES)
    assert suggestion == BoxSuggestion("L", "L: the smallest box for 7 items, 14.90 kg")
    assert not suggestion.uncertain


def test_when_no_box_takes_the_lamp_the_reason_names_it() -> None:
    suggestion = suggest_box(SEVEN_ITEMS, [ENVELOPE, SMALL, MEDIUM])
    assert suggestion.code is None
    assert suggestion.reason == "7 items, 14.90 kg: no box takes the 600 mm desk lamp (LAMP-1)"


def test_a_single_small_item_gets_the_smallest_box() -> None:
    assert suggest_box([PHONE_CASE], BOXES).code == "ENV"
    assert suggest_box([PHONE_CASE], BOXES).reason == "ENV: the smallest box for 1 item, 0.10 kg"


def test_a_weight_limit_excludes_a_box_counting_its_tare() -> None:
    dumbbell = PackItem("DB-5", "dumbbell", 1, 4_850, 250, 100, 100)
    assert suggest_box([dumbbell], BOXES).code == "S"  # 4850 + 150 = 5000: just allowed
    heavier = PackItem("DB-5", "dumbbell", 1, 4_851, 250, 100, 100)
    assert suggest_box([heavier], BOXES).code == "M"


def test_items_are_turned_to_fit() -> None:
    """A 190 mm tall item lies down in a 150 mm tall box: only the sorted sides count."""
    vase = PackItem("VASE-6", "vase", 1, 400, 40, 280, 190)
    assert suggest_box([vase], BOXES).code == "S"
    assert fits([vase], SMALL)


def test_an_item_that_fits_only_diagonally_is_refused() -> None:
    """340 mm fits across the 300 x 200 mm base (360 mm diagonal), but only axis-aligned
    orientations are considered."""
    rod = PackItem("ROD-7", "curtain rod", 1, 200, 340, 20, 20)
    assert not fits([rod], SMALL)
    assert suggest_box([rod], BOXES).code == "ENV"  # 350 mm long, 20 mm deep


def test_the_total_volume_must_fit_too() -> None:
    # Each 200 x 200 x 100 mm cushion fits the small box, three of them (12 l) do not (9 l).
    cushions = PackItem("CUSH-8", "cushion", 3, 300, 200, 200, 100)
    assert suggest_box([cushions], BOXES).code == "M"
    assert not fits([cushions], SMALL)


def test_a_fill_factor_keeps_room_for_void_fill() -> None:
    # 7.5 l of goods: the small box holds 9 l, but only 7.2 l at 80 %.
    books = PackItem("BOOK-9", "book box", 1, 2_000, 250, 200, 150)
    assert suggest_box([books], BOXES).code == "S"
    assert suggest_box([books], BOXES, fill_factor=Decimal("0.8")).code == "M"
    assert fits([books], SMALL, fill_factor=Decimal("0.9"))


@pytest.mark.parametrize("fill_factor", [Decimal(0), Decimal("-0.5"), Decimal("1.01")])
def test_a_fill_factor_outside_zero_to_one_is_refused(fill_factor: Decimal) -> None:
    with pytest.raises(ValueError, match="fill factor"):
        suggest_box([PHONE_CASE], BOXES, fill_factor=fill_factor)
    with pytest.raises(ValueError, match="fill factor"):
        fits([PHONE_CASE], SMALL, fill_factor=fill_factor)


def test_ties_go_to_the_lighter_box_then_the_code() -> None:
    same_size = [Box("B", 300, 200, 150, tare_g=90), Box("A", 200, 300, 150, tare_g=90)]
    lighter = Box("Z", 150, 300, 200, tare_g=80)
    assert suggest_box([PHONE_CASE], same_size).code == "A"
    assert suggest_box([PHONE_CASE], [*same_size, lighter]).code == "Z"


def test_items_without_dimensions_count_their_weight_and_make_it_uncertain() -> None:
    unknown = PackItem("GIFT-10", "gift set", 2, 450)
    suggestion = suggest_box([PHONE_CASE, unknown], BOXES)
    assert suggestion.uncertain
    # 100 + 2 x 450 g + the envelope's 20 g is more than the envelope's 1 kg.
    assert suggestion == BoxSuggestion(
        "S",
        "S: the smallest box for 3 items, 1.00 kg - dimensions missing for SKU GIFT-10",
        missing_dimensions=("GIFT-10",),
    )


def test_a_partly_measured_item_counts_as_unmeasured() -> None:
    half = PackItem("HALF-11", "poster", 1, 50, length_mm=900, width_mm=None, height_mm=None)
    suggestion = suggest_box([half], BOXES)
    assert suggestion.code == "ENV"
    assert suggestion.missing_dimensions == ("HALF-11",)


def test_items_without_a_weight_make_it_uncertain_and_the_weight_a_minimum() -> None:
    unweighed = PackItem("MUG-12", "mug", 2, None, 120, 90, 90)
    suggestion = suggest_box([unweighed, unweighed, PHONE_CASE], BOXES)
    assert suggestion.code == "S"
    assert suggestion.missing_weight == ("MUG-12",)  # named once
    assert suggestion.reason == (
        "S: the smallest box for 5 items, at least 0.10 kg - weight missing for SKU MUG-12"
    )


def test_when_the_volume_is_too_much_for_every_box_that_takes_the_sizes() -> None:
    crates = PackItem("CRATE-13", "crate", 3, 1_000, 390, 290, 240)
    suggestion = suggest_box([crates], [SMALL, MEDIUM])
    assert suggestion.reason == (
        "3 items, 3.00 kg: 81.5 l of goods, more than the biggest box they fit in takes (M, 30.0 l)"
    )


def test_the_usable_volume_in_the_reason_allows_for_the_fill_factor() -> None:
    crates = PackItem("CRATE-13", "crate", 1, 1_000, 390, 290, 240)  # 27.1 l
    suggestion = suggest_box([crates], [MEDIUM], fill_factor=Decimal("0.5"))
    assert suggestion.reason.endswith("(M, 15.0 l)")


def test_when_every_box_that_has_room_is_too_weak() -> None:
    anvil = PackItem("ANVIL-14", "anvil", 1, 25_000, 300, 150, 150)
    suggestion = suggest_box([anvil], BOXES)
    assert suggestion.code is None
    assert suggestion.reason == (
        "1 item, 25.00 kg: too heavy for box L, which carries 19.50 kg of goods at most"
    )


def test_the_weight_in_a_refusal_is_rounded_up_and_the_limit_down() -> None:
    box = Box("T", 500, 500, 500, tare_g=5, max_weight_g=1_000)  # carries 995 g
    item = PackItem("W-15", "weight", 1, 996, 10, 10, 10)
    assert suggest_box([item], [box]).reason == (
        "1 item, 1.00 kg: too heavy for box T, which carries 0.99 kg of goods at most"
    )


def test_two_items_that_no_one_box_takes_together_are_both_named() -> None:
    tube = Box("TUBE", 1_000, 100, 100)
    cube = Box("CUBE", 500, 500, 500)
    poster = PackItem("POSTER-16", "poster", 1, 300, 900, 80, 80)
    cushion = PackItem("CUSH-17", "cushion", 1, 500, 400, 400, 300)
    suggestion = suggest_box([cushion, poster], [tube, cube])
    assert suggestion.reason == (
        "2 items, 0.80 kg: no one box takes both the 900 mm poster (POSTER-16)"
        " and the 400 mm cushion (CUSH-17)"
    )


def test_three_items_that_share_a_box_in_pairs_but_not_all_three() -> None:
    boxes = [Box("X", 100, 100, 10), Box("Y", 100, 55, 55), Box("Z", 70, 70, 70)]
    items = [
        PackItem("P", "tray", 1, 1, 90, 50, 5),  # X and Y
        PackItem("Q", "tin", 1, 1, 60, 50, 40),  # Y and Z
        PackItem("R", "mat", 1, 1, 68, 66, 8),  # X and Z
    ]
    assert [[box.code for box in boxes if fits([item], box)] for item in items] == [
        ["X", "Y"],
        ["Y", "Z"],
        ["X", "Z"],
    ]
    assert suggest_box(items, boxes).reason == (
        "3 items, 0.01 kg: no one box takes all of their sizes - pack them in more than one box"
    )


def test_no_box_types_at_all() -> None:
    assert suggest_box([PHONE_CASE], []).reason == "1 item, 0.10 kg: no box types are set up"


def test_nothing_to_pack_is_refused() -> None:
    with pytest.raises(ValueError, match="nothing to pack"):
        suggest_box([], BOXES)


@pytest.mark.parametrize(
    "make",
    [
        lambda: PackItem("X", "x", 0, 1),
        lambda: PackItem("X", "x", 1, -1),
        lambda: PackItem("X", "x", 1, 1, 0, 10, 10),
        lambda: Box("B", 10, 10, 0),
        lambda: Box("B", 10, 10, 10, tare_g=-1),
        lambda: Box("B", 10, 10, 10, max_weight_g=0),
    ],
)
def test_impossible_items_and_boxes_are_refused(make: Callable[[], object]) -> None:
    with pytest.raises(ValueError, match="must be"):
        make()


def test_the_expected_weight_is_the_items_and_the_tare() -> None:
    assert expected_weight_g(SEVEN_ITEMS, 500) == 15_400
    assert expected_weight_g([PackItem("X", "x", 3, None)], 500) is None
    assert expected_weight_g([], 120) == 120


# The rule, checked against a brute-force reading of it.

sides = st.one_of(st.none(), st.integers(1, 700))
items_strategy = st.lists(
    st.builds(
        PackItem,
        sku=st.sampled_from(["A", "B", "C", "D"]),
        name=st.just("item"),
        quantity=st.integers(1, 4),
        weight_g=st.one_of(st.none(), st.integers(0, 8_000)),
        length_mm=sides,
        width_mm=sides,
        height_mm=sides,
    ),
    min_size=1,
    max_size=5,
)
boxes_strategy = st.lists(
    st.builds(
        Box,
        code=st.text(alphabet="ABCDEFGH", min_size=1, max_size=3),
        length_mm=st.integers(1, 900),
        width_mm=st.integers(1, 900),
        height_mm=st.integers(1, 900),
        tare_g=st.integers(0, 1_000),
        max_weight_g=st.one_of(st.none(), st.integers(1, 40_000)),
    ),
    min_size=1,
    max_size=6,
    unique_by=lambda box: box.code,
)


def brute_force_fits(items: list[PackItem], box: Box, fill_factor: Decimal) -> bool:
    room = (box.length_mm, box.width_mm, box.height_mm)
    volume = 0
    for item in items:
        item_sides = (item.length_mm, item.width_mm, item.height_mm)
        if None in item_sides:
            continue
        known = [side for side in item_sides if side is not None]
        if not any(
            all(s <= r for s, r in zip(turn, room, strict=True)) for turn in permutations(known)
        ):
            return False
        volume += known[0] * known[1] * known[2] * item.quantity
    weight = box.tare_g + sum((item.weight_g or 0) * item.quantity for item in items)
    return Decimal(volume) <= box.volume_mm3 * fill_factor and (
        box.max_weight_g is None or weight <= box.max_weight_g
    )


@given(
    items=items_strategy,
    boxes=boxes_strategy,
    fill_factor=st.decimals(Decimal("0.3"), 1, places=2),
)
def test_the_suggestion_fits_and_no_smaller_box_does(
    items: list[PackItem], boxes: list[Box], fill_factor: Decimal
) -> None:
    suggestion = suggest_box(items, boxes, fill_factor=fill_factor)
    fitting = [box for box in boxes if brute_force_fits(items, box, fill_factor)]
    assert [box for box in boxes if fits(items, box, fill_factor=fill_factor)] == fitting
    if suggestion.code is None:
        assert fitting == []
        return
    chosen = next(box for box in boxes if box.code == suggestion.code)
    assert chosen in fitting
    assert all(box.volume_mm3 >= chosen.volume_mm3 for box in fitting)
    assert chosen == min(fitting, key=lambda box: (box.volume_mm3, box.tare_g, box.code))
    assert suggestion.uncertain is any(
        item.size_mm is None or item.weight_g is None for item in items
    )
