"""Orders typed in at the desk: the phone/B2B channel appears with its first order."""

from __future__ import annotations

import pytest

from app.context import Actor
from app.errors import ValidationFailed
from app.services.intake import create_manual_order
from app.services.orders import order_detail
from db.engine import Database
from tests.factories import new_order, stock


def test_a_phone_order_creates_its_channel_on_first_use(db: Database, actor: Actor) -> None:
    stock(db, actor, {"MUG": 3})

    result = create_manual_order(db, actor, new_order({"MUG": 1}, ref="PHONE-1", channel="phone"))

    detail = order_detail(db, result.created[0])
    assert (detail.channel, detail.external_ref, detail.status) == ("phone", "PHONE-1", "new")


def test_a_manual_order_for_a_web_channel_is_refused(db: Database, actor: Actor) -> None:
    with pytest.raises(ValidationFailed, match="manual orders go to phone or b2b"):
        create_manual_order(db, actor, new_order({"MUG": 1}, channel="web"))
