"""Slices of a long list, so that an `IN (...)` list stays within what the databases take."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

CHUNK = 2000  # bind parameters per IN list: well under SQLite's 32,766


def chunks(values: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    """`values` in consecutive slices of at most `size`."""
    for start in range(0, len(values), size):
        yield values[start : start + size]
