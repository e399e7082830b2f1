"""The reorder arithmetic a buyer can redo by hand, and nearest-rank percentiles."""

from __future__ import annotations

import pytest

from app.domain.forecast import advise, service_factor, smoothed
from app.domain.percentiles import nearest_rank


def test_smoothing_pulls_the_level_a_third_of_the_way_to_each_new_day() -> None:
    assert smoothed([]) == 0
    assert smoothed([2, 4]) == pytest.approx(2.6)  # 2 + 0.3 x (4 - 2)
    assert smoothed([0, 0, 2, 2, 0]) == pytest.approx(0.714)


def test_a_worked_reorder_suggestion() -> None:
    # forecast 2.6/day, sigma 1; z(95%) = 1.645: safety ceil(1.645 x 1 x sqrt 4) = 4;
    # reorder point ceil(2.6 x 4) + 4 = 15; order up to 15 + ceil(2.6 x 7) = 34 - 5 = 29.
    advice = advise([2, 4], 5, lead_time_days=4, service_level=0.95)
    assert advice.safety_stock == 4
    assert advice.reorder_point == 15
    assert advice.suggested_qty == 29
    assert advice.days_of_cover == 1.9


def test_no_order_while_stock_is_above_the_reorder_point_and_no_demand_means_no_cover_limit() -> (
    None
):
    assert advise([2, 4], 40, lead_time_days=4, service_level=0.95).suggested_qty == 0
    idle = advise([0, 0, 0], 12, lead_time_days=7, service_level=0.9)
    assert (idle.suggested_qty, idle.days_of_cover) == (0, None)


def test_a_service_level_outside_50_to_100_percent_is_refused() -> None:
    assert service_factor(0.5) == 0
    for level in (0.4, 1.0):
        with pytest.raises(ValueError, match="service level"):
            service_factor(level)


def test_nearest_rank_percentiles_are_values_that_occurred() -> None:
    assert nearest_rank([], 50) is None
    assert nearest_rank([3, 1, 2], 50) == 2
    assert nearest_rank([1.0, 1.5], 90) == 1.5
    assert nearest_rank(list(range(1, 11)), 90) == 9
