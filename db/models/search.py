"""The order search index and the supervisors' saved views.

`order_search` holds one document per order: the search keys of its number, channel
reference, e-mail, name, phone, postcode, SKUs and tracking numbers, separated by
spaces (a key never contains one). Services write it (app.services.search_index); the
database's own text index makes `document LIKE '%key%'` fast: on PostgreSQL a pg_trgm
GIN index on the column, on SQLite an FTS5 trigram table over it (`order_search_fts`,
external content, kept in step by triggers), created by migration 0005.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.types import utcnow

# SQLite's FTS5 table and the shadow tables it keeps: index structures, not models.
SQLITE_FTS_TABLE = "order_search_fts"
SQLITE_FTS_TABLES = frozenset(
    SQLITE_FTS_TABLE + suffix for suffix in ("", "_data", "_idx", "_docsize", "_config")
)
PG_TRIGRAM_INDEX = "ix_order_search_trigrams"
# What exists on one database only; a schema comparison leaves these out.
ONE_DATABASE_ONLY = SQLITE_FTS_TABLES | {PG_TRIGRAM_INDEX}


class OrderSearch(Base):
    __tablename__ = "order_search"
    __table_args__ = (
        Index(
            PG_TRIGRAM_INDEX,
            "document",
            postgresql_using="gin",
            postgresql_ops={"document": "gin_trgm_ops"},
        ).ddl_if(dialect="postgresql"),
    )

    order_id: Mapped[int] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True, autoincrement=False
    )
    document: Mapped[str] = mapped_column(Text)


class SavedView(Base):
    """A user's named queue view: the filters and sort as the queue applies them."""

    __tablename__ = "saved_views"
    __table_args__ = (UniqueConstraint("username", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(100))
    query: Mapped[dict[str, object]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
