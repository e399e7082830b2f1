"""Carrier tracking events from a CSV or JSON file.

CSV columns (any order, names in any case): tracking_number, event, time, location
(optional). JSON: a list of objects with the same keys, or {"events": [...]}. Times
are ISO 8601; one without a zone is UTC. Every problem is collected and the whole
file refused, naming file, line (or JSON path) and field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.errors import ValidationFailed
from app.imports.common import (
    Fields,
    Where,
    check_columns,
    fail_if,
    objects,
    read_csv,
    read_json,
)

COLUMNS = ("tracking_number", "event", "time", "location")
REQUIRED = ("tracking_number", "event", "time")
MAX_EVENTS = 200_000


@dataclass(frozen=True)
class CarrierEvent:
    tracking_number: str
    event: str
    occurred_at: datetime
    location: str
    where: str  # file:line or file:path, for messages

    @property
    def is_delivery(self) -> bool:
        return normalised_event(self.event) == "delivered"


def normalised_event(text: str) -> str:
    """`Delivered`, `DELIVERED`, `out-for delivery` -> delivered, out_for_delivery."""
    return "_".join(text.casefold().replace("-", " ").replace("_", " ").split())


def _event(fields: Fields) -> CarrierEvent:
    return CarrierEvent(
        tracking_number=fields.text("tracking_number", limit=64, required=True).upper(),
        event=fields.text("event", limit=64, required=True),
        occurred_at=fields.moment("time"),
        location=fields.text("location", limit=200),
        where=str(fields.where),
    )


def read_tracking_file(path: Path, fmt: str | None = None) -> list[CarrierEvent]:
    """The events in `path` (format from `fmt`, else the file's extension)."""
    kind = fmt or ("json" if path.suffix.lower() == ".json" else "csv")
    if kind not in ("csv", "json"):
        raise ValidationFailed(f"unknown tracking format {kind!r}: use csv or json")
    problems: list[str] = []
    if kind == "csv":
        table = read_csv(path, fold=True)
        check_columns(table, REQUIRED, COLUMNS)
        records = [Fields(row.values, Where(path.name, row.line), problems) for row in table.rows]
    else:
        document = read_json(path)
        where = Where(path.name)
        if isinstance(document, dict):
            where = where.at("events")
            document = document.get("events")
        records = objects(document, where, problems)
        for record in records:
            record.unknown_keys(COLUMNS)
    if len(records) > MAX_EVENTS:
        raise ValidationFailed(f"{path.name}: {len(records):,} events; at most {MAX_EVENTS:,}")
    events = [_event(record) for record in records]
    fail_if(problems)
    if not events:
        raise ValidationFailed(f"{path.name}: no tracking events in the file; nothing imported")
    return events
