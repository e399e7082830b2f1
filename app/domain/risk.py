"""Risk rules: reasons a person should look at an order before it is worked."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from app.domain.new_order import NewOrder

PAID_STATUSES = frozenset({"paid", "authorized", "authorised", "partially_paid"})


@dataclass(frozen=True)
class RiskSettings:
    first_order_value_limit: Decimal = Decimal("500")
    max_orders_per_address_per_day: int = 3
    max_orders_per_email_per_day: int = 3
    # Releasing a hold an order came in with needs a supervisor above this total.
    release_approval_value: Decimal = Decimal("1000")


@dataclass(frozen=True)
class CustomerHistory:
    """What the database knows about the customer, counted before this order."""

    previous_orders: int
    orders_to_address_last_day: int
    orders_from_email_last_day: int


def risk_reasons(order: NewOrder, history: CustomerHistory, settings: RiskSettings) -> list[str]:
    reasons: list[str] = []
    if order.payment_status.lower() not in PAID_STATUSES:
        reasons.append(f"payment not authorised (status {order.payment_status})")
    if history.previous_orders == 0 and order.total > settings.first_order_value_limit:
        reasons.append(
            f"first order from this customer worth {order.total} {order.currency} "
            f"(limit {settings.first_order_value_limit})"
        )
    if order.bill_country and order.bill_country.upper() != order.ship_to.country.upper():
        reasons.append(
            f"billing country {order.bill_country} differs from shipping country "
            f"{order.ship_to.country}"
        )
    if history.orders_to_address_last_day >= settings.max_orders_per_address_per_day:
        reasons.append(
            f"{history.orders_to_address_last_day + 1} orders to this address within a day"
        )
    if history.orders_from_email_last_day >= settings.max_orders_per_email_per_day:
        reasons.append(
            f"{history.orders_from_email_last_day + 1} orders from this e-mail within a day"
        )
    return reasons
