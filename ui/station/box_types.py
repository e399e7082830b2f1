"""The box types a packer can choose with keys 1-4 or a `B:<code>` scan.

No service lists the box types yet, so the station offers the standard four; the pack
service still checks the chosen code against the database's box types.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BoxChoice:
    key: str
    code: str
    name: str


BOX_TYPES = (
    BoxChoice("1", "S", "Small box"),
    BoxChoice("2", "M", "Medium box"),
    BoxChoice("3", "L", "Large box"),
    BoxChoice("4", "ENV", "Envelope"),
)
BOX_KEYS = tuple(box.key for box in BOX_TYPES)


def box_by_key(key: str) -> BoxChoice | None:
    return next((box for box in BOX_TYPES if box.key == key.strip()), None)


def box_by_code(code: str) -> BoxChoice | None:
    return next((box for box in BOX_TYPES if box.code == code.strip().upper()), None)


def unknown_box_message(code: str) -> str:
    known = ", ".join(box.code for box in BOX_TYPES)
    return f"Unknown box type {code} - scan or press one of {known}"
