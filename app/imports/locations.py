"""Locations as CSV (`code,kind,pick_sequence,warehouse`; only `code` required), or
generated from ranges such as aisles A-F x racks 1-20 x levels 1-4."""

from __future__ import annotations

import re
from pathlib import Path

from app.imports.common import Fields, Where, check_columns, fail_if, read_csv
from app.services.locations import LocationInput

COLUMNS = ("code", "kind", "pick_sequence", "warehouse")
MAX_GENERATED = 100_000
_PART = re.compile(r"^(?:([A-Z]{1,2})-([A-Z]{1,2})|(\d{1,4})-(\d{1,4}))$")


def read_locations(path: Path, *, warehouse: str | None) -> list[LocationInput]:
    """The file's locations; a blank pick sequence follows the file's order."""
    table = read_csv(path, fold=True)
    check_columns(table, ("code",), COLUMNS)
    problems: list[str] = []
    found = []
    for index, row in enumerate(table.rows, 1):
        where = Where(table.name, row.line)
        f = Fields(row.values, where, problems)
        found.append(
            LocationInput(
                code=f.text("code", limit=32, required=True).upper(),
                kind=f.word("kind") or "pick",
                pick_sequence=f.optional_whole("pick_sequence") or index * 10,
                warehouse=f.text("warehouse", limit=16).upper() or warehouse,
                where=str(where),
            )
        )
    if not found:
        problems.append(f"{table.name}: no locations in the file")
    fail_if(problems)
    return found


def _letters(first: str, last: str) -> list[str]:
    def number(code: str) -> int:
        value = 0
        for char in code:
            value = value * 26 + ord(char) - 64
        return value

    def code(value: int) -> str:
        text = ""
        while value:
            value, rest = divmod(value - 1, 26)
            text = chr(65 + rest) + text
        return text

    return [code(n) for n in range(number(first), number(last) + 1)]


def _range(part: str, which: str) -> list[str]:
    match = _PART.match(part.strip().upper())
    if not match:
        raise ValueError(f"{which} {part!r}: write a range such as A-F or 1-20")
    if match.group(1):
        values = _letters(match.group(1), match.group(2))
    else:
        low, high = int(match.group(3)), int(match.group(4))
        width = max(2, len(match.group(4)))
        values = [f"{n:0{width}d}" for n in range(low, high + 1)]
    if not values:
        raise ValueError(f"{which} {part!r} is empty: the first value is after the last")
    return values


def generate_locations(spec: str, *, kind: str, warehouse: str | None) -> list[LocationInput]:
    """Codes AISLE-RACK-LEVEL from `A-F:1-20:1-4` (levels optional), in a snake walk:
    racks go up one aisle and down the next, so the pick sequence never doubles back."""
    parts = spec.split(":")
    if len(parts) not in (2, 3):
        raise ValueError(f"--generate {spec!r}: write AISLES:RACKS[:LEVELS], e.g. A-F:1-20:1-4")
    aisles = _range(parts[0], "aisles")
    racks = _range(parts[1], "racks")
    levels = _range(parts[2], "levels") if len(parts) == 3 else [""]
    if len(aisles) * len(racks) * len(levels) > MAX_GENERATED:
        raise ValueError(f"--generate {spec!r} makes more than {MAX_GENERATED} locations")
    found: list[LocationInput] = []
    for a, aisle in enumerate(aisles):
        for rack in racks if a % 2 == 0 else reversed(racks):
            for level in levels:
                code = "-".join(p for p in (aisle, rack, level) if p)
                found.append(
                    LocationInput(code, kind, (len(found) + 1) * 10, warehouse, "--generate")
                )
    return found
