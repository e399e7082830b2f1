"""Changes: what a mutation (or another station) changed, so views refresh only that.

Services of the queue return one; the UI hub carries it to every view (Anki's OpChanges).
`order_ids` empty with `orders` set means "orders changed, which is not known" - what
another station's write looks like from here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Changes:
    orders: bool = False
    stock: bool = False
    pick_lists: bool = False
    print_jobs: bool = False
    order_ids: frozenset[int] = frozenset()
    from_elsewhere: bool = False  # seen on the database, made by another station

    @classmethod
    def of_orders(cls, order_ids: frozenset[int] = frozenset(), **flags: bool) -> Changes:
        return cls(orders=True, order_ids=order_ids, **flags)


EVERYTHING = Changes(orders=True, stock=True, pick_lists=True, print_jobs=True)


def changes_of(result: object) -> Changes:
    """What a finished operation changed: its own report, or everything when it has none."""
    return result if isinstance(result, Changes) else getattr(result, "changes", EVERYTHING)
