"""The box types a packer can choose with keys 1-9 or a `B:<code>` scan.

The station loads them from the database (app.services.lookups.list_box_types),
smallest first. There is no fallback: with none defined the station says what is
missing and where to set it (app.services.site_readiness).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.services.lookups import BoxTypeView

MAX_BOX_KEYS = 9


@dataclass(frozen=True)
class BoxChoice:
    key: str
    code: str
    name: str


@dataclass(frozen=True)
class BoxCatalogue:
    choices: tuple[BoxChoice, ...] = ()

    @classmethod
    def from_views(cls, views: Sequence[BoxTypeView]) -> BoxCatalogue:
        """The first nine (smallest) box types get the keys 1-9; the rest are scanned."""
        return cls(
            tuple(
                BoxChoice(str(n) if n <= MAX_BOX_KEYS else "", v.code, v.name)
                for n, v in enumerate(views, 1)
            )
        )

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(box.key for box in self.choices if box.key)

    def by_key(self, key: str) -> BoxChoice | None:
        key = key.strip()
        return next((box for box in self.choices if key and box.key == key), None)

    def by_code(self, code: str) -> BoxChoice | None:
        return next((box for box in self.choices if box.code == code.strip().upper()), None)

    def unknown_message(self, code: str) -> str:
        known = ", ".join(box.code for box in self.choices)
        return f"Unknown box type {code} - scan or press one of {known}"
