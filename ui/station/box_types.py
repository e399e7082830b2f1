"""The box types a packer can choose with keys 1-9 or a `B:<code>` scan.

The station loads them from the database (app.services.lookups.list_box_types),
smallest first; a database with none defined falls back to the standard four. The
pack service checks the chosen code against the database either way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.services.lookups import BoxTypeView


@dataclass(frozen=True)
class BoxChoice:
    key: str
    code: str
    name: str


@dataclass(frozen=True)
class BoxCatalogue:
    choices: tuple[BoxChoice, ...]

    @classmethod
    def from_views(cls, views: Sequence[BoxTypeView]) -> BoxCatalogue:
        if not views:
            return STANDARD_BOXES
        return cls(tuple(BoxChoice(str(n), v.code, v.name) for n, v in enumerate(views[:9], 1)))

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(box.key for box in self.choices)

    def by_key(self, key: str) -> BoxChoice | None:
        return next((box for box in self.choices if box.key == key.strip()), None)

    def by_code(self, code: str) -> BoxChoice | None:
        return next((box for box in self.choices if box.code == code.strip().upper()), None)

    def unknown_message(self, code: str) -> str:
        known = ", ".join(box.code for box in self.choices)
        return f"Unknown box type {code} - scan or press one of {known}"


STANDARD_BOXES = BoxCatalogue(
    (
        BoxChoice("1", "S", "Small box"),
        BoxChoice("2", "M", "Medium box"),
        BoxChoice("3", "L", "Large box"),
        BoxChoice("4", "ENV", "Envelope"),
    )
)
