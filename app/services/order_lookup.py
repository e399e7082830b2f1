"""One order named however an agent types it: number, channel reference, or the number
without its prefix or in another case ("100001", "so100001" for SO-100001)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.search_terms import order_number_for
from app.errors import NotFound
from app.services.orders import find_order_id
from app.services.settings import setting_value
from db.engine import Database
from db.models import Order
from db.uow import read


def resolve_order_number(db: Database, text: str) -> str:
    """The order number `text` names; NotFound (in one sentence) if none."""

    def work(session: Session) -> str:
        try:
            order_id = find_order_id(session, text)
        except NotFound:
            number = order_number_for(text, setting_value(session, "order.number_format"))
            found = session.scalar(select(Order.number).where(Order.number == number))
            if number is None or found is None:
                raise
            return found
        return str(session.scalar(select(Order.number).where(Order.id == order_id)))

    return read(db, work)
