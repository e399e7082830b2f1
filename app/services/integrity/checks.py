"""The shape every `verify` rule shares: one SQL statement over a set of facts.

A `Check` is a rule's condition on the columns of a facts subquery and the words for
a row that breaks it. `failures` asks the database for the breaking rows only, with
one flag per check, so the work stays in SQL however large the database grows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Row, Subquery, case, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.base import ReadOnlyColumnCollection
from sqlalchemy.sql.elements import KeyedColumnElement

Columns = ReadOnlyColumnCollection[str, KeyedColumnElement[Any]]


@dataclass(frozen=True)
class Check:
    """`rule` is broken where `broken(facts)` holds; `says(row)` tells how."""

    rule: str
    broken: Callable[[Columns], ColumnElement[bool]]
    says: Callable[[Row[Any]], str]


def failures(
    session: Session,
    facts: Subquery,
    subject: Callable[[Row[Any]], str],
    checks: Sequence[Check],
    *,
    order_by: Sequence[str],
) -> list[str]:
    """One line per broken check per row of `facts`: `subject: what is wrong [rule]`."""
    conditions = [check.broken(facts.c) for check in checks]
    flags = [
        case((condition, 1), else_=0).label(f"broken_{i}") for i, condition in enumerate(conditions)
    ]
    rows = session.execute(
        select(facts, *flags)
        .where(or_(*conditions))
        .order_by(*(facts.c[name] for name in order_by))
    )
    return [
        f"{subject(row)}: {check.says(row)} [{check.rule}]"
        for row in rows
        for i, check in enumerate(checks)
        if row._mapping[f"broken_{i}"]
    ]
