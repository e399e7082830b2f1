"""A reorder suggestion a buyer can check by hand.

Daily demand is forecast by simple exponential smoothing (each day's units pull the
forecast `alpha` of the way towards them, oldest day first). Safety stock covers the
lead time at the chosen service level: z x sigma x sqrt(lead time), sigma being the
standard deviation of daily demand. Reorder when available stock is below the
reorder point (demand over the lead time plus safety stock); the suggested quantity
brings stock back up to the reorder point plus `review_days` of demand.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist, pstdev

ALPHA = 0.3


@dataclass(frozen=True)
class ReorderAdvice:
    forecast_per_day: float
    sigma_per_day: float
    safety_stock: int
    reorder_point: int
    suggested_qty: int
    days_of_cover: float | None  # None: no demand forecast, stock lasts indefinitely


def smoothed(daily: Sequence[float], alpha: float = ALPHA) -> float:
    """The exponentially smoothed level after the last day (0 with no history)."""
    if not daily:
        return 0.0
    level = float(daily[0])
    for units in daily[1:]:
        level += alpha * (units - level)
    return level


def service_factor(service_level: float) -> float:
    """z: how many standard deviations of demand the safety stock covers."""
    if not 0.5 <= service_level < 1:
        raise ValueError("service level must be from 0.5 up to (not including) 1")
    return NormalDist().inv_cdf(service_level)


def advise(
    daily: Sequence[float],
    available: int,
    *,
    lead_time_days: int,
    service_level: float,
    review_days: int = 7,
    alpha: float = ALPHA,
) -> ReorderAdvice:
    forecast = smoothed(daily, alpha)
    sigma = pstdev(daily) if len(daily) > 1 else 0.0
    safety = math.ceil(service_factor(service_level) * sigma * math.sqrt(lead_time_days))
    reorder_point = math.ceil(forecast * lead_time_days) + safety
    target = reorder_point + math.ceil(forecast * review_days)
    suggested = max(0, target - available) if available < reorder_point else 0
    return ReorderAdvice(
        forecast_per_day=forecast,
        sigma_per_day=sigma,
        safety_stock=safety,
        reorder_point=reorder_point,
        suggested_qty=suggested,
        days_of_cover=round(max(available, 0) / forecast, 1) if forecast > 0 else None,
    )
