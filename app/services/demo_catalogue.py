"""The demo catalogue: kinds of product with the weight, size and price a real one has
(a phone case weighs about 40 g, a yoga mat over a kilo), each sold in several styles."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Kind:
    noun: str
    grams: tuple[int, int]  # one unit, packed as sold
    mm: tuple[int, int, int]  # length, width, height of one unit
    cents: tuple[int, int]  # price range


KINDS: tuple[Kind, ...] = (
    Kind("Tea Tin 100 g", (130, 170), (80, 80, 110), (595, 1295)),
    Kind("Coffee Beans 500 g", (520, 545), (190, 120, 70), (995, 1895)),
    Kind("Water Bottle", (240, 420), (75, 75, 260), (1495, 3495)),
    Kind("Notebook A5", (180, 260), (210, 148, 15), (695, 1995)),
    Kind("Desk Lamp", (850, 1400), (380, 180, 160), (3995, 8995)),
    Kind("Yoga Mat", (900, 1500), (620, 120, 120), (2495, 5995)),
    Kind("Phone Case", (30, 55), (170, 90, 15), (995, 2995)),
    Kind("Wool Socks", (60, 110), (220, 100, 25), (895, 1995)),
    Kind("Candle", (200, 450), (90, 90, 110), (1295, 3295)),
    Kind("Chopping Board", (650, 1250), (400, 280, 25), (1995, 4495)),
    Kind("Backpack", (550, 950), (450, 300, 150), (4995, 11995)),
    Kind("Sunglasses", (25, 45), (160, 60, 50), (2995, 12995)),
    Kind("Scarf", (110, 230), (300, 200, 40), (1995, 5995)),
    Kind("Mug", (300, 420), (120, 90, 100), (995, 2495)),
    Kind("Headphones", (180, 320), (200, 180, 90), (4995, 19995)),
    Kind("Plant Pot", (450, 1150), (180, 180, 160), (1295, 3995)),
    Kind("Soap Bar", (95, 130), (90, 60, 30), (495, 995)),
    Kind("Bath Towel", (450, 750), (350, 250, 60), (1995, 4495)),
)
STYLES = (
    "Organic",
    "Classic",
    "Travel",
    "Premium",
    "Eco",
    "Mini",
    "Deluxe",
    "Everyday",
    "Nordic",
    "Alpine",
    "Coastal",
    "Urban",
    "Vintage",
    "Compact",
    "Bamboo",
)


def sold_out(index: int) -> bool:
    """Whether product number `index` has run out: its orders wait as backorders."""
    return index % 23 == 1


def kind_of(index: int) -> Kind:
    """The kind of product number `index`: each kind in every style, then the next kind
    (SKU-00009 is an Alpine Tea Tin, as it always was)."""
    return KINDS[(index // len(STYLES)) % len(KINDS)]


def product_name(index: int) -> str:
    return f"{STYLES[index % len(STYLES)]} {kind_of(index).noun}"


def draw_product(rng: random.Random, index: int) -> dict[str, object]:
    """Weight, size and price of product number `index`, drawn within its kind."""
    kind = kind_of(index)
    low, high = kind.grams
    length, width, height = kind.mm
    return {
        "weight_g": rng.randint(low, high),
        "length_mm": length,
        "width_mm": width,
        "height_mm": height,
        "price": Decimal(rng.randrange(kind.cents[0], kind.cents[1] + 1, 100)) / 100,
    }
