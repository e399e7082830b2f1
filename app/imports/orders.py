"""Orders in from a file, whatever its format: all-or-nothing, or the good ones and a rejects file.

A format module turns its file into an `OrderFile`: one `Candidate` per order with
either a `NewOrder`, the problems that stop it, or the reason it is skipped (for
example already fulfilled by the shop). `import_orders` then creates the good ones
through intake in one transaction, so a failed import changes nothing.

An order's reference seen twice in one file is never dropped: the same rows (or the
same JSON object) again are imported once, further rows of the order are merged
into it, each with a warning; order columns that disagree make it a rejected order
whose problem names both places.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.new_order import NewOrder
from app.errors import ValidationFailed
from app.imports.common import CsvRow, Where, file_text, shown, write_csv, write_json
from app.services.catalogue import ensure_channel
from app.services.intake import IntakeResult, add_orders, lock_intake
from db.engine import Database
from db.models import Channel, Order
from db.uow import run_in_transaction

LOOKUP_CHUNK = 1000
Part = TypeVar("Part")


@dataclass
class Candidate:
    """One order of the file as read, and what became of it."""

    ref: str
    order: NewOrder | None = None
    problems: list[str] = field(default_factory=list)
    skipped: str | None = None  # why a readable order is not imported
    rows: list[list[str]] = field(default_factory=list)  # CSV: its rows as read
    entries: list[object] = field(default_factory=list)  # JSON: its object(s) as read


@dataclass
class OrderFile:
    path: Path
    channel_kind: str  # kind of the channels the import creates
    candidates: list[Candidate]
    csv_header: list[str] | None = None  # CSV formats: the header, for a rejects file
    json_wrap: Callable[[list[object]], object] | None = None  # JSON formats: the document
    warnings: list[str] = field(default_factory=list)  # merged or repeated orders

    @property
    def rejected(self) -> list[Candidate]:
        return [c for c in self.candidates if c.problems]

    @property
    def skipped(self) -> list[Candidate]:
        return [c for c in self.candidates if c.skipped and not c.problems]

    @property
    def orders(self) -> list[NewOrder]:
        return [c.order for c in self.candidates if c.order is not None and not c.problems]


@dataclass
class OrderImport:
    intake: IntakeResult
    refs: dict[str, str]  # new order number -> channel reference
    channels_created: list[str]


def import_orders(db: Database, actor: Actor, file: OrderFile, *, partial: bool) -> OrderImport:
    """Create the file's orders; any rejected order stops everything unless `partial`."""
    rejected = file.rejected
    if rejected and not partial:
        problems = [p for c in rejected for p in c.problems]
        raise ValidationFailed(
            f"{len(problems)} problem(s) in {len(rejected)} of {len(file.candidates)} orders; "
            "nothing imported",
            problems,
        )
    orders = file.orders

    def work(session: Session) -> OrderImport:
        lock_intake(session)  # a concurrent import of the same file waits, then finds them
        codes = sorted({o.channel for o in orders})
        known = set(session.scalars(select(Channel.code).where(Channel.code.in_(codes))))
        created = [code for code in codes if code not in known]
        for code in created:
            ensure_channel(session, code, file.channel_kind)
        intake = add_orders(session, actor, orders)
        refs: dict[str, str] = {}
        for start in range(0, len(intake.created), LOOKUP_CHUNK):
            chunk = intake.created[start : start + LOOKUP_CHUNK]
            refs.update(
                session.execute(
                    select(Order.number, Order.external_ref).where(Order.number.in_(chunk))
                ).all()
            )
        return OrderImport(intake, refs, created)

    return run_in_transaction(db, work)


def rejects_path(file: OrderFile, chosen: Path | None) -> Path:
    """Where rejected orders go: `chosen`, or FILE.rejects.csv (or .json) next to the file."""
    suffix = ".csv" if file.csv_header is not None else ".json"
    path = chosen or file.path.with_name(f"{file.path.stem}.rejects{suffix}")
    if path.resolve() == file.path.resolve():
        raise ValidationFailed(f"the rejects file must not be the input file {path}")
    if path.is_dir():
        raise ValidationFailed(f"the rejects file {path} is a folder; name a file in it")
    if not path.parent.is_dir():
        raise ValidationFailed(f"no folder {path.parent} for the rejects file")
    writable = os.access(path, os.W_OK) if path.exists() else os.access(path.parent, os.W_OK)
    if not writable:
        raise ValidationFailed(f"the rejects file {path} cannot be written (permission denied)")
    return path


def write_rejects(file: OrderFile, path: Path) -> None:
    """The rejected orders in the file's own format, to fix and import again."""
    rejected = file.rejected
    if file.csv_header is not None:
        write_csv(path, file.csv_header, [row for c in rejected for row in c.rows])
    elif file.json_wrap is not None:
        write_json(path, file.json_wrap([entry for c in rejected for entry in c.entries]))


OrderKey = tuple[str, ...]  # what names an order in its file; the reference comes last


def _runs(parts: Sequence[Part], key: Callable[[Part], OrderKey | None]) -> list[list[Part]]:
    """Neighbouring parts with the same key, run by run; a part keyed None stands alone."""
    runs: list[list[Part]] = []
    previous: OrderKey | None = None
    for part in parts:
        this = key(part)
        if this is not None and this == previous:
            runs[-1].append(part)
        else:
            runs.append([part])
        previous = this
    return runs


def _gather(
    runs: list[list[Part]], key: Callable[[Part], OrderKey | None]
) -> list[list[list[Part]]]:
    """The runs of each key, keys in order of first appearance; unkeyed runs alone."""
    groups: dict[Hashable, list[list[Part]]] = {}
    for index, run in enumerate(runs):
        this = key(run[0])
        groups.setdefault(index if this is None else this, []).append(run)
    return list(groups.values())


def group_rows(
    file: str,
    rows: Sequence[CsvRow],
    key: Callable[[CsvRow], OrderKey | None],
    order_columns: Sequence[str],
    warnings: list[str],
) -> list[tuple[list[CsvRow], list[str]]]:
    """Each order's rows wherever they stand in the file, with the problems found.

    `key(row)` names the order (None: no usable reference, the row's run stands
    alone). Order columns on later rows are blank or agree with the order's first row.
    """
    groups = []
    for runs in _gather(_runs(rows, key), key):
        kept = runs[0]
        seen = [[row.cells for row in runs[0]]]
        for run in runs[1:]:
            cells = [row.cells for row in run]
            where = f"{file}:{run[0].line}: order {shown(_ref(key(run[0])))}"
            if cells in seen:
                earlier = next(r for r in runs if [row.cells for row in r] == cells)
                warnings.append(
                    f"{where}: the same rows as from line {earlier[0].line} again; imported once"
                )
                continue
            warnings.append(
                f"{where}: more rows of the order that starts on line {kept[0].line}; merged "
                "(the rows of an order should follow each other)"
            )
            seen.append(cells)
            kept = kept + run
        problems = [
            f"{file}:{row.line}: {column}: {shown(value)} differs from line {kept[0].line} "
            "of the same order"
            for row in kept[1:]
            for column in order_columns
            if folded(value := row.values.get(column))
            and folded(value) != folded(kept[0].values.get(column))
        ]
        groups.append((kept, problems))
    return groups


def group_entries(
    entries: Sequence[tuple[Where, object]],
    key: Callable[[object], OrderKey | None],
    warnings: list[str],
) -> list[list[tuple[Where, object]]]:
    """JSON orders with the same reference together; the very same object again is
    dropped with a warning, so the caller sees each distinct object once."""
    groups = []
    for runs in _gather([[entry] for entry in entries], lambda e: key(e[1])):
        kept: list[tuple[Where, object]] = []
        for where, data in (entry for run in runs for entry in run):
            earlier = next((at for at, seen in kept if seen == data), None)
            if earlier is None:
                kept.append((where, data))
            else:
                warnings.append(
                    f"{where}: order {shown(_ref(key(data)))}: the same as {earlier} again; "
                    "imported once"
                )
        groups.append(kept)
    return groups


def one_object_per_order(
    entries: Sequence[tuple[Where, object]],
    key: Callable[[object], OrderKey | None],
    read: Callable[[Where, object], Candidate],
    field: str,
    warnings: list[str],
) -> list[Candidate]:
    """For API formats where an order is one object: the very same object again is read
    once (with a warning), another object with the same reference refuses the order."""
    candidates = []
    for group in group_entries(entries, key, warnings):
        (where, data), copies = group[0], group[1:]
        candidate = read(where, data)
        for other, copy in copies:
            candidate.problems.append(
                f"{other}: {field}: {candidate.ref} is also at {where} with other contents"
            )
            candidate.entries.append(copy)
        candidates.append(candidate)
    return candidates


def key_text(value: object) -> str:
    """A reference or channel as an order key: as `Fields.text` stores it (a JSON number
    as written, spacing collapsed); "" for what cannot be one (null, true, an object)."""
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        return ""
    return " ".join(str(value).split())


def _ref(key: OrderKey | None) -> str:
    return key[-1] if key else ""


def folded(value: object) -> str:
    """A value as compared between two mentions of one order: spacing and case aside."""
    return " ".join(str(value).split()).casefold() if value is not None else ""


def guess_format(path: Path) -> str | None:
    """shopify, netsuite or csv for a .csv file (by its header); brightpearl, magento or
    json for .json (by its shape)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        header = file_text(path).partition("\n")[0]
        if "Lineitem sku" in header:
            return "shopify"
        return "netsuite" if "Document Number" in header else "csv"
    if suffix == ".json":
        text = file_text(path).lstrip()
        if '"orderRows"' in text[:100_000]:
            return "brightpearl"
        return "magento" if text.startswith("{") else "json"
    return None
