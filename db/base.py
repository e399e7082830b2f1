"""Declarative base: naming conventions so Alembic names constraints stably."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import MetaData, Table
from sqlalchemy.orm import DeclarativeBase

from db.types import Money, UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        datetime: UTCDateTime(),
        Decimal: Money(),
    }


def table_of(model: type[Base]) -> Table:
    """The Core table behind a model, typed for bulk statements."""
    table = model.__table__
    assert isinstance(table, Table)
    return table
