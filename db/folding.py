"""Case-insensitive matching beyond ASCII on both databases.

SQLite's own lower() and LIKE fold ASCII letters only ("MÜLLER" does not match
"müller"), so every SQLite connection gets a `casefold` SQL function backed by
Python's str.casefold (db.engine registers it). PostgreSQL folds all of Unicode under a
UTF-8 locale: lower(upper(x)) there.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement


class Folded(FunctionElement[str]):
    """x with its case folded, to compare with another folded value."""

    type = String()
    inherit_cache = True


def folded(value: ColumnElement[Any] | QueryableAttribute[Any] | str) -> Folded:
    """`value` (a column, or text bound as a parameter) with its case folded."""
    return Folded(value)


@compiles(Folded)
def _lower_of_upper(element: Folded, compiler: SQLCompiler, **kw: Any) -> str:
    # upper() first, so that letters with two lower-case forms meet (Greek ς and σ).
    return f"lower(upper({compiler.process(element.clauses, **kw)}))"


@compiles(Folded, "sqlite")
def _casefold(element: Folded, compiler: SQLCompiler, **kw: Any) -> str:
    return f"casefold({compiler.process(element.clauses, **kw)})"


SqlValue = str | bytes | int | float | None


def casefold(value: SqlValue) -> SqlValue:
    """The `casefold` SQL function of SQLite connections (NULL and numbers pass through)."""
    return value.casefold() if isinstance(value, str) else value
