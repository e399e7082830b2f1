"""The demo warehouse's set-up: sender, GS1 demonstration prefix, boxes and a carrier.

GS1 reserves company prefixes starting 952 for demonstrations and examples, so demo
labels never carry a number that belongs to a real company.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.context import Actor
from app.services.master_data import (
    BoxInput,
    CarrierInput,
    ServiceInput,
    upsert_boxes,
    upsert_carriers,
)
from app.services.settings import apply_settings, checked_values, stored_settings
from db.models import BoxType, Carrier

DEMO_SETTINGS = {
    "company.name": "Shipshape Demo Ltd",
    "company.address1": "Unit 4, Harbour Trade Park",
    "company.postcode": "BS1 6XN",
    "company.city": "Bristol",
    "company.country": "GB",
    "company.timezone": "Europe/London",
    "company.email": "orders@shipshape-demo.example",
    "gs1.company_prefix": "9528765",
}
DEMO_BOXES = [
    BoxInput("ENV", "Padded envelope", 300, 220, 20, 30, 1000),
    BoxInput("S", "Small box 250x180x100", 250, 180, 100, 120, 5000),
    BoxInput("M", "Medium box 350x250x150", 350, 250, 150, 220, 10000),
    BoxInput("L", "Large box 500x350x250", 500, 350, 250, 400, 20000),
    BoxInput("XL", "Extra large box 700x500x400", 700, 500, 400, 800, 30000),
]
DEMO_CARRIER = CarrierInput(
    code="demopost",
    name="Demo Post",
    tracking_scheme="s10",
    range_start=1,
    range_end=99_999_999,
    tracking_prefix="SS",
    tracking_suffix="GB",
    tracking_width=8,
    tracking_url="https://tracking.example/{tracking}",
    services=(
        ServiceInput("48", "Demo Post 48", "standard", is_default=True),
        ServiceInput("ECO", "Demo Post Economy", "economy"),
        ServiceInput("24", "Demo Post 24", "express"),
        ServiceInput("NDA", "Demo Post Next Day", "overnight"),
    ),
)


def set_up_demo_site(session: Session, actor: Actor) -> None:
    """Fill in whatever of the demo set-up the site has not set itself."""
    stored = stored_settings(session)
    missing = {k: v for k, v in DEMO_SETTINGS.items() if k not in stored}
    if missing:
        apply_settings(session, actor, checked_values(missing))
    if not session.scalar(select(func.count()).select_from(BoxType)):
        upsert_boxes(session, actor, DEMO_BOXES)
    if not session.scalar(select(func.count()).select_from(Carrier)):
        upsert_carriers(session, actor, [DEMO_CARRIER])
