"""What each demo order is: order `i` of `total` is a pure function of (seed, i) - when
it was placed (the oldest first, ids following time, most orders in the last days as in
a growing shop), which customer placed it, what it holds, how far it got and when it
reached each state. Recent orders are spread over every open state; older ones were
shipped and delivered, a few cancelled."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.services.demo_facts import Site
from app.services.demo_people import Draw, mix

CHANNEL_SHARE = {"web": 55, "amazon": 25, "b2b": 8, "phone": 12}
SERVICE_SHARE = {"standard": 60, "express": 20, "economy": 10, "overnight": 10}
SHIP_WITHIN = {"overnight": 1, "express": 1, "standard": 2, "economy": 4}  # days
SHIPPING_CENTS = {"economy": 295, "standard": 495, "express": 995, "overnight": 1495}
CURRENCY_RATE = {"EUR": 1.0, "GBP": 0.86, "USD": 1.08, "SEK": 11.4, "PLN": 4.3}
# (hours since placed, {status: share}): how far an order of that age has got.
BANDS: tuple[tuple[float, dict[str, int]], ...] = (
    (2, {"new": 45, "on_hold": 10, "backordered": 10, "allocated": 35}),
    (
        8,
        {
            "new": 5,
            "on_hold": 6,
            "backordered": 8,
            "allocated": 30,
            "picking": 12,
            "picked": 10,
            "packed": 12,
            "shipped": 15,
            "cancelled": 2,
        },
    ),
    (
        30,
        {
            "on_hold": 4,
            "backordered": 6,
            "allocated": 8,
            "picking": 2,
            "picked": 3,
            "packed": 7,
            "shipped": 68,
            "cancelled": 2,
        },
    ),
    (96, {"on_hold": 1, "backordered": 2, "shipped": 50, "delivered": 45, "cancelled": 2}),
    (float("inf"), {"delivered": 96, "shipped": 1, "cancelled": 3}),
)
# The newest orders of a demo of at least this many show every state, whatever the draw.
SHOWCASE = ("new", "on_hold", "backordered", "allocated", "picking", "picked", "packed")
SHOWCASE_FROM = 20
HOLDS = {
    "new": (
        "Address to be confirmed: no house number",
        "Payment under review by the bank",
        "Billing and shipping country differ: fraud check",
    ),
    "backordered": ("Customer asked us to wait for the whole order",),
    "allocated": ("Customer asked to change the delivery address", "Gift message to be checked"),
}
CANCEL_REASONS = (
    "Customer cancelled by e-mail",
    "Payment failed",
    "Duplicate order",
    "Customer no longer needs it",
)
STATION_WINDOW = timedelta(days=7)  # pick lists, scans and print jobs are kept this long
RESERVING = frozenset({"allocated", "picking", "picked", "packed"})
SHIPPED = frozenset({"shipped", "delivered"})
PIPELINE = ("allocated", "picking", "picked", "packed", "shipped", "delivered")


def _shares(table: dict[str, int]) -> tuple[str, ...]:
    return tuple(key for key, weight in table.items() for _ in range(weight))


_CHANNELS = _shares(CHANNEL_SHARE)
_FRESH_CHANNELS = tuple(CHANNEL_SHARE)  # a first morning: as many from each channel
_SERVICES = _shares(SERVICE_SHARE)
_BANDS = tuple((hours, _shares(table)) for hours, table in BANDS)


@dataclass
class Plan:
    """One order as drawn: what happened to it, and when."""

    i: int
    channel: str
    ref: str
    customer: int
    service: str
    placed: datetime
    status: str
    held_from: str | None
    reason: str | None
    lines: list[tuple[int, int]]  # (product index, quantity)
    times: dict[str, datetime]  # state reached -> when


def customer_count(orders: int) -> int:
    """How many people place `orders` orders: two in five are repeat orders."""
    return max(5, orders * 3 // 5)


DEFAULT_SEED = 7


def external_ref(channel: str, seed: int, i: int) -> str:
    """The channel's reference of order `i`. The web shop numbers like Shopify (#1000,
    #1001, ...); a demo of another seed in the same database numbers from a block of its
    own, as the other channels carry the seed."""
    if channel != "web":
        return f"{channel.upper()}-{seed}-{i:06d}"
    return f"#{1000 + i}" if seed == DEFAULT_SEED else f"#{(seed + 1) * 10**7 + 1000 + i}"


def plan(site: Site, i: int) -> Plan:
    """Order `i`: the same on every run with the same seed and total."""
    d = Draw(mix(site.seed, i, 0x0D) << 64 | mix(i, site.seed, 0x0E))
    age = site.span * ((site.total - i) / site.total) ** 1.5 + timedelta(minutes=3 + i % 7)
    placed = site.now - age
    hours = age.total_seconds() / 3600
    channels = _FRESH_CHANNELS if site.fresh else _CHANNELS
    channel = channels[d.below(len(channels))]
    service = _SERVICES[d.below(len(_SERVICES))]
    status = "new" if site.fresh else _status(site, i, d, hours)
    held_from = reason = None
    if status == "on_hold":
        held_from = ("new", "new", "backordered", "allocated")[d.below(4)]
        reason = d.pick(HOLDS[held_from])
    elif status == "cancelled":
        reason = d.pick(CANCEL_REASONS)
    state = held_from or status
    pool: Sequence[int] = site.in_stock
    if site.fresh or not pool:
        pool = range(len(site.products))
    count = 1 + d.below(4) if site.fresh else (1, 1, 1, 1, 1, 2, 2, 2, 3, 4)[d.below(10)]
    chosen: list[int] = []
    late_backorder = site.fresh and i == 0 and bool(site.out_of_stock)
    if late_backorder:  # a first morning has one: yesterday's express order, sold out
        channel, service = "web", "express"
    if (state == "backordered" or late_backorder) and site.out_of_stock:
        chosen.append(site.out_of_stock[d.below(len(site.out_of_stock))])
    while len(chosen) < min(count, len(pool)):
        index = pool[d.below(len(pool))]
        if index not in chosen:
            chosen.append(index)
    lines = [(index, _quantity(d, channel, site.fresh)) for index in chosen]
    return Plan(
        i=i,
        channel=channel,
        ref=external_ref(channel, site.seed, i),
        customer=mix(site.seed, i, 0xC0) % customer_count(site.total),
        service=service,
        placed=placed,
        status=status,
        held_from=held_from,
        reason=reason,
        lines=lines,
        times=_times(d, placed, site.now, status, held_from, service),
    )


def _quantity(d: Draw, channel: str, fresh: bool) -> int:
    """Units of one line: mostly one; a trade customer buys by the case (not on a first
    morning, whose orders are all small)."""
    if fresh:
        return 1 + d.below(3)
    if channel == "b2b":
        return 2 + d.below(11)
    return (1, 1, 1, 1, 1, 1, 1, 2, 2, 3)[d.below(10)]


def _status(site: Site, i: int, d: Draw, hours: float) -> str:
    newest = site.total - 1 - i
    if site.total >= SHOWCASE_FROM and newest < len(SHOWCASE):
        return SHOWCASE[newest]
    if site.total >= SHOWCASE_FROM and i < 2:
        return ("delivered", "cancelled")[i]
    if site.total >= SHOWCASE_FROM and newest == len(SHOWCASE):
        return "shipped"
    for limit, shares in _BANDS:
        if hours < limit:
            return shares[d.below(len(shares))]
    raise AssertionError("the last band has no limit")


def _times(
    d: Draw, placed: datetime, now: datetime, status: str, held_from: str | None, service: str
) -> dict[str, datetime]:
    """When the order reached each state up to its own, squeezed into its age."""
    minutes = [("created", 1 + d.below(4))]
    state = held_from or status
    if state == "backordered":
        minutes.append(("backordered", 1 + d.below(10)))
    if state in PIPELINE:
        steps = PIPELINE[: PIPELINE.index(state) + 1]
        waits = {
            "allocated": 1 + d.below(10),
            "picking": 20 + d.below(180),
            "picked": 4 + d.below(20),
            "packed": 10 + d.below(90),
            "shipped": 30 + d.below(240),
            "delivered": (1 if service in ("express", "overnight") else 2 + d.below(3)) * 1440
            + d.below(600),
        }
        minutes += [(step, waits[step]) for step in steps]
    if status == "on_hold":
        minutes.append(("on_hold", 5 + d.below(120)))
    if status == "cancelled":
        minutes.append(("cancelled", 10 + d.below(2880)))
    room = (now - placed).total_seconds() / 60 - 1
    total = sum(m for _, m in minutes)
    scale = min(1.0, room / total) if total else 1.0
    times, at = {}, placed
    for step, wait in minutes:
        at += timedelta(minutes=wait * scale)
        times[step] = at
    return times


def at_station(p: Plan, step: str, now: datetime) -> bool:
    """Whether the order reached `step` at a station recently enough for the station's
    own records (pick lists, scans, prints) to be kept."""
    when = p.times.get(step)
    return when is not None and now - when < STATION_WINDOW
