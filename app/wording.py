"""Counts in words, as the screens and messages say them: "1 order", "1,204 orders"."""

from __future__ import annotations


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """`n` and the noun in the number that fits; `plural` for nouns not made with -s."""
    word = noun if n == 1 else (plural or f"{noun}s")
    return f"{n:,} {word}"
