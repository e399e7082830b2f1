"""Bulk statements shared by intake, demo data and imports."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from db.base import Base, table_of


def insert_returning_ids(
    session: Session, model: type[Base], rows: list[dict[str, Any]]
) -> list[int]:
    """Insert many rows in few statements; their ids come back in input order."""
    table = table_of(model)
    stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(session.execute(stmt, rows).scalars())
