"""`verify`: every invariant the schema cannot enforce, checked in SQL over the whole
database, each broken one named with its subject (an order, a line, a stock row) and
its rule.

The CHECK constraints already keep each row sane (quantities form a pipeline, reserved
stays within on hand); what they cannot see is rows against other rows: balances
against the ledger and the allocations, an order's status against its lines, parcels
and returns against the quantities they explain.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.services.integrity.orders import ORDER_RULES, order_problems
from app.services.integrity.returns import RETURN_RULES, return_problems
from app.services.integrity.stock import STOCK_RULES, stock_problems
from db.engine import Database
from db.uow import read

RULES: dict[str, str] = {**STOCK_RULES, **ORDER_RULES, **RETURN_RULES}


def verify(db: Database) -> list[str]:
    """Problems found, one line each ending in its [rule]; empty when consistent."""
    return read(db, _problems)


def _problems(session: Session) -> list[str]:
    return [*stock_problems(session), *order_problems(session), *return_problems(session)]
