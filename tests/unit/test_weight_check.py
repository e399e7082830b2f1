import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.weight_check import WeightTolerance, check_weight, format_kg

TEN_PERCENT_OR_50G = WeightTolerance(Decimal("10"), 50)


def test_a_parcel_missing_most_of_its_contents_is_refused_with_both_figures() -> None:
    verdict = check_weight(14_900, 500, WeightTolerance(Decimal("3.3"), 50))
    assert not verdict.accepted
    assert verdict.message == (
        "Weighs 0.50 kg, expected 14.90 kg (14.41–15.39 kg allowed)"
        " - check the contents or call a supervisor"
    )


def test_a_parcel_close_to_its_expected_weight_is_accepted() -> None:
    verdict = check_weight(14_900, 14_850, WeightTolerance(Decimal("3.3"), 50))
    assert verdict.accepted
    assert verdict.message == "Weighs 14.85 kg, expected 14.90 kg - OK"


@pytest.mark.parametrize(
    ("measured", "accepted"),
    [(900, True), (899, False), (1_100, True), (1_101, False), (1_000, True)],
)
def test_the_percentage_bounds_are_inclusive(measured: int, accepted: bool) -> None:
    assert check_weight(1_000, measured, TEN_PERCENT_OR_50G).accepted is accepted


@pytest.mark.parametrize(
    ("measured", "accepted"),
    [(150, True), (149, False), (250, True), (251, False)],
)
def test_light_parcels_get_the_gram_allowance_when_it_is_larger(
    measured: int, accepted: bool
) -> None:
    # 10 % of 200 g is 20 g, less than the 50 g floor.
    assert check_weight(200, measured, TEN_PERCENT_OR_50G).accepted is accepted


@pytest.mark.parametrize(
    ("measured", "accepted"),
    [(905, True), (904, False), (1_105, True), (1_106, False)],
)
def test_a_fractional_allowance_is_not_rounded(measured: int, accepted: bool) -> None:
    # 10 % of 1005 g is 100.5 g: 1105.5 g would pass, 904 g (101 g off) does not.
    assert check_weight(1_005, measured, TEN_PERCENT_OR_50G).accepted is accepted


def test_a_heavy_parcel_is_refused_with_the_range() -> None:
    verdict = check_weight(1_000, 1_250, TEN_PERCENT_OR_50G)
    assert verdict.message == (
        "Weighs 1.25 kg, expected 1.00 kg (0.90–1.10 kg allowed)"
        " - check the contents or call a supervisor"
    )


def test_figures_at_the_edge_are_rounded_so_they_agree_with_the_verdict() -> None:
    # 10 % of 1205 g allows 1084.5-1325.5 g. Rounded to the nearest 10 g, the refused
    # 1084 g and the lowest allowed weight would both read 1.08 kg; instead the range is
    # rounded inwards and the refused weight away from it.
    verdict = check_weight(1_205, 1_084, TEN_PERCENT_OR_50G)
    assert verdict.message.startswith("Weighs 1.08 kg, expected 1.21 kg (1.09–1.32 kg allowed)")


def test_a_range_narrower_than_10g_is_shown_to_the_gram() -> None:
    verdict = check_weight(14_905, 14_907, WeightTolerance(Decimal("0"), 0))
    assert verdict.message.startswith(
        "Weighs 14.907 kg, expected 14.905 kg (14.905–14.905 kg allowed)"
    )


def test_the_allowed_range_does_not_go_below_zero() -> None:
    verdict = check_weight(30, 200, TEN_PERCENT_OR_50G)
    assert "(0.00–0.08 kg allowed)" in verdict.message
    assert check_weight(30, 0, TEN_PERCENT_OR_50G).accepted


def test_an_unknown_expected_weight_is_accepted_with_a_note() -> None:
    verdict = check_weight(None, 500, TEN_PERCENT_OR_50G)
    assert verdict.accepted
    assert verdict.message == "Weighs 0.50 kg - not checked: no expected weight is known"


@pytest.mark.parametrize(("expected", "measured"), [(100, -1), (-1, 100), (None, -5)])
def test_negative_weights_are_refused(expected: int | None, measured: int) -> None:
    with pytest.raises(ValueError, match="0 g or more"):
        check_weight(expected, measured, TEN_PERCENT_OR_50G)


@pytest.mark.parametrize(
    ("percent", "grams"), [(Decimal("-0.1"), 0), (Decimal("NaN"), 0), (Decimal(1), -1)]
)
def test_a_negative_or_undefined_tolerance_is_refused(percent: Decimal, grams: int) -> None:
    with pytest.raises(ValueError, match="0 or more"):
        WeightTolerance(percent, grams)


def test_the_allowance_is_the_larger_of_the_two() -> None:
    assert TEN_PERCENT_OR_50G.allowance_g(200) == 50
    assert TEN_PERCENT_OR_50G.allowance_g(5_000) == 500


def test_format_kg_shows_two_decimals() -> None:
    assert format_kg(14_900) == "14.90 kg"
    assert format_kg(5) == "0.01 kg"
    assert format_kg(0) == "0.00 kg"


RANGE = re.compile(r"Weighs ([\d.]+) kg, expected [\d.]+ kg \(([\d.]+)–([\d.]+) kg allowed\)")


@given(
    expected=st.integers(0, 100_000),
    measured=st.integers(0, 100_000),
    percent=st.decimals(0, 50, places=2),
    grams=st.integers(0, 500),
)
def test_the_verdict_is_the_rule_and_a_refusal_never_reads_as_inside_the_range(
    expected: int, measured: int, percent: Decimal, grams: int
) -> None:
    verdict = check_weight(expected, measured, WeightTolerance(percent, grams))
    allowance = max(Decimal(expected) * percent / 100, Decimal(grams))
    assert verdict.accepted is (abs(measured - expected) <= allowance)
    if not verdict.accepted:
        found = RANGE.match(verdict.message)
        assert found is not None
        shown, low, high = (Decimal(figure) for figure in found.groups())
        assert low <= high
        assert shown < low or shown > high
