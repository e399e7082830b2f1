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

import gc
import os
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from itertools import groupby
from pathlib import Path
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.channel_changes import NOTHING_TO_SHIP, ChannelClosure
from app.domain.new_order import NewOrder
from app.errors import ValidationFailed
from app.garbage import collection_paused
from app.imports.common import (
    CsvColumns,
    CsvRow,
    CsvRows,
    CsvTable,
    Where,
    shown,
    write_csv,
    write_json,
)
from app.services.access import authorize
from app.services.catalogue import ensure_channel
from app.services.channel_news import apply_closures
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
    closure: ChannelClosure | None = None  # cancelled or finished at the channel: news
    rows: list[list[str]] = field(default_factory=list)  # CSV: its rows as read
    entries: list[object] = field(default_factory=list)  # JSON: its object(s) as read


@dataclass
class OrderFile:
    path: Path
    channel_kind: str  # kind of the channels the import creates
    candidates: Iterable[Candidate]  # a list, or `Candidates` read again on each pass
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


class Candidates:
    """A CSV file's candidates, made from its rows each time they are gone through
    (`CsvRows`): a file of a million lines is read, not held. The file's warnings are
    those of the last pass."""

    def __init__(
        self, read: Callable[[], Iterator[Candidate]], rows: Iterable[CsvRow], warnings: list[str]
    ) -> None:
        self._read = read
        self.rows = rows
        self._warnings = warnings

    def __iter__(self) -> Iterator[Candidate]:
        self._warnings.clear()
        return self._read()


@dataclass
class OrderImport:
    intake: IntakeResult
    refs: dict[str, str]  # order number -> channel reference, of the orders put on hold
    channels_created: list[str]
    rejected: list[Candidate] = field(default_factory=list)
    skipped: list[Candidate] = field(default_factory=list)  # reference and reason only
    read: int = 0  # orders read from the file
    rejects_file: Path | None = None  # where the rejected orders go (`rejects_to`)

    @property
    def not_imported(self) -> list[tuple[str, str]]:
        """(reference, why) of the readable orders not imported: skipped by their format
        (unless the channel's closing of them reached an order already here: that is
        news, not skipped), or with every unit handled at the channel."""
        known = set(self.intake.news.refs.values())
        found = [(c.ref, c.skipped or "") for c in self.skipped if c.ref not in known]
        return found + [(ref, NOTHING_TO_SHIP) for ref in self.intake.nothing_to_ship]


BATCH = 2000  # orders handed to intake at once: memory stays flat whatever the file
# Automatic collection is paused for the import: it walked the orders read and the
# ORM's objects again and again (about 7% of the CPU time of 20,000 orders). The few
# reference cycles a batch leaves are all among the objects made since the last
# batch, which a collection of the youngest generations finds at little cost.
YOUNG = 1
Progress = Callable[[int, int, int], None]  # orders read, file lines read, lines in all


def import_orders(
    db: Database,
    actor: Actor,
    file: OrderFile,
    *,
    partial: bool,
    progress: Progress | None = None,
    rejects_to: Callable[[], Path] | None = None,
) -> OrderImport:
    """Create the file's orders; any rejected order stops everything unless `partial`.

    The file is read once, order by order, and its orders go to intake in batches,
    all in one transaction: a rejected order, a failure or an interruption (Ctrl-C)
    at any point leaves nothing of the file behind. `rejects_to` names (and checks)
    where a partial import's rejected orders are to go: asked at the first one, so
    that a target that cannot be written stops the import with nothing kept, and a
    file without rejected orders never asks.
    """

    @collection_paused()
    def work(session: Session) -> OrderImport:
        authorize(session, actor, "order.import")
        lock_intake(session)  # a concurrent import of the same file waits, then finds them
        done = OrderImport(IntakeResult(), {}, [])
        batch: list[Candidate] = []
        for candidate in file.candidates:
            done.read += 1
            if candidate.problems:
                if partial and not done.rejected and rejects_to is not None:
                    done.rejects_file = rejects_to()
                done.rejected.append(candidate if partial else _problems_only(candidate))
            elif candidate.skipped:
                done.skipped.append(_reason_only(candidate))
            if (candidate.problems or done.rejected) and not partial:
                continue  # read on, for every problem of the file at once
            if candidate.order is not None or candidate.closure is not None:
                batch.append(candidate)
            if len(batch) == BATCH:
                _add(session, actor, file, batch, done)
                batch = []
                gc.collect(YOUNG)  # the batch's reference cycles, so memory stays flat
                if progress is not None:
                    progress(done.read, *_lines_read(file))
        if done.rejected and not partial:
            problems = [p for c in done.rejected for p in c.problems]
            raise ValidationFailed(
                f"{len(problems)} problem(s) in {len(done.rejected)} of {done.read} orders; "
                "nothing imported",
                problems,
            )
        _add(session, actor, file, batch, done)
        if progress is not None:
            progress(done.read, *_lines_read(file))
        return done

    return run_in_transaction(db, work)


def _add(
    session: Session, actor: Actor, file: OrderFile, batch: list[Candidate], done: OrderImport
) -> None:
    """One batch through intake; what it did added to `done`."""
    orders = [c.order for c in batch if c.order is not None]
    codes = sorted({o.channel for o in orders})
    known = set(session.scalars(select(Channel.code).where(Channel.code.in_(codes))))
    for code in codes:
        if code not in known:
            ensure_channel(session, code, file.channel_kind)
            done.channels_created.append(code)
    intake = add_orders(session, actor, orders)
    closed = apply_closures(session, actor, [c.closure for c in batch if c.closure])
    intake.already_present += closed.refs.values()
    intake.news.add(closed)
    held = list(intake.held)
    for start in range(0, len(held), LOOKUP_CHUNK):
        chunk = held[start : start + LOOKUP_CHUNK]
        done.refs.update(
            session.execute(
                select(Order.number, Order.external_ref).where(Order.number.in_(chunk))
            ).all()
        )
    _merge(done.intake, intake)


def _merge(total: IntakeResult, part: IntakeResult) -> None:
    """Add a batch's intake result to the file's: lists extended, maps updated, and
    nested results (`ChannelNews`) added."""
    for name in (f.name for f in fields(total)):
        mine, theirs = getattr(total, name), getattr(part, name)
        if isinstance(mine, list):
            mine.extend(theirs)
        elif isinstance(mine, dict):
            mine.update(theirs)
        else:
            mine.add(theirs)


def _problems_only(candidate: Candidate) -> Candidate:
    return Candidate(candidate.ref, problems=candidate.problems)


def _reason_only(candidate: Candidate) -> Candidate:
    return Candidate(candidate.ref, skipped=candidate.skipped)


def _lines_read(file: OrderFile) -> tuple[int, int]:
    """How far the pass is through a CSV file, in lines (0, 0 for JSON)."""
    candidates = file.candidates
    if isinstance(candidates, Candidates) and isinstance(candidates.rows, CsvRows):
        return candidates.rows.line, candidates.rows.total_lines
    return 0, 0


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


def write_rejects(file: OrderFile, path: Path, rejected: list[Candidate] | None = None) -> None:
    """The rejected orders (of `import_orders`, else of the file) in the file's own
    format, to fix and import again."""
    rejected = file.rejected if rejected is None else rejected
    if file.csv_header is not None:
        write_csv(path, file.csv_header, [row for c in rejected for row in c.rows])
    elif file.json_wrap is not None:
        write_json(path, file.json_wrap([entry for c in rejected for entry in c.entries]))


OrderKey = tuple[str, ...]  # what names an order in its file; the reference comes last


def _runs(
    parts: Iterable[Part], key: Callable[[Part], OrderKey | None]
) -> Iterator[tuple[OrderKey | None, list[Part]]]:
    """Neighbouring parts with the same key, run by run, with their key; a part keyed
    None stands alone."""
    run: list[Part] = []
    previous: OrderKey | None = None
    for part in parts:
        this = key(part)
        if run and not (this is not None and this == previous):
            yield previous, run
            run = []
        run.append(part)
        previous = this
    if run:
        yield previous, run


def _gather(
    runs: Iterable[list[Part]], key: Callable[[Part], OrderKey | None]
) -> list[list[list[Part]]]:
    """The runs of each key, keys in order of first appearance; unkeyed runs alone."""
    groups: dict[Hashable, list[list[Part]]] = {}
    for index, run in enumerate(runs):
        this = key(run[0])
        groups.setdefault(index if this is None else this, []).append(run)
    return list(groups.values())


def group_rows(
    file: str,
    rows: Iterable[CsvRow],
    key: Callable[[CsvRow], OrderKey | None],
    order_columns: Sequence[str],
    warnings: list[str],
) -> Iterator[tuple[list[CsvRow], list[str]]]:
    """Each order's rows wherever they stand in the file, with the problems found.

    `key(row)` names the order (None: no usable reference, the row's run stands
    alone). Order columns on later rows are blank or agree with the order's first
    row. Two passes over `rows` (a list, or `CsvRows` read again from the file): the
    first only counts each order's runs, so that the second hands an order on as
    soon as its last run is read and holds back only the orders whose rows are
    scattered.
    """
    runs_of = Counter(this for this, _run in groupby(map(key, rows)) if this is not None)
    disagreements = _disagreements(file, order_columns)
    waiting: dict[OrderKey, list[list[CsvRow]]] = {}
    for this, run in _runs(rows, key):
        if this is None or runs_of[this] == 1:
            yield run, disagreements(run)
            continue
        runs = waiting.setdefault(this, [])
        runs.append(run)
        if len(runs) == runs_of[this]:
            kept = _merged(file, waiting.pop(this), key, warnings)
            yield kept, disagreements(kept)


def _merged(
    file: str,
    runs: list[list[CsvRow]],
    key: Callable[[CsvRow], OrderKey | None],
    warnings: list[str],
) -> list[CsvRow]:
    """One order's rows from its runs: the same rows again dropped, other rows merged."""
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
    return kept


def _disagreements(file: str, order_columns: Sequence[str]) -> Callable[[list[CsvRow]], list[str]]:
    """The problems of an order's rows: an order column on a later row that is neither
    blank (as most are) nor the same as on the first row."""
    named: CsvColumns | None = None  # the file's: every row of it shares them
    pick = None

    def problems(rows: list[CsvRow]) -> list[str]:
        nonlocal named, pick
        if len(rows) == 1:
            return []
        if pick is None or rows[0].columns is not named:
            named = rows[0].columns
            pick = named.picker(order_columns)
        found: list[str] = []
        first = None
        for row in rows[1:]:
            values = pick(row.cells)
            if not "".join(values).strip():
                continue
            first = first or pick(rows[0].cells)
            found += (
                f"{file}:{row.line}: {column}: {shown(value)} differs from line {rows[0].line} "
                "of the same order"
                for column, value, given in zip(order_columns, values, first, strict=True)
                if value.strip() and folded(value) != folded(given)
            )
        return found

    return problems


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


def keyed_csv_file(
    path: Path,
    kind: str,
    table: CsvTable,
    reference: str,
    order_columns: Sequence[str],
    candidate: Callable[[list[CsvRow], list[str]], Candidate],
) -> OrderFile:
    """A shop's CSV export whose orders are named by one column (Shopify's Name,
    NetSuite's Document Number): `candidate(rows, problems)` per order, read as it goes."""

    def key(row: CsvRow) -> OrderKey | None:
        ref = " ".join(row.cell(reference).split())  # key_text of a cell
        return (ref,) if ref else None

    return csv_order_file(path, kind, table, key, order_columns, candidate)


def csv_order_file(
    path: Path,
    kind: str,
    table: CsvTable,
    key: Callable[[CsvRow], OrderKey | None],
    order_columns: Sequence[str],
    candidate: Callable[[list[CsvRow], list[str]], Candidate],
) -> OrderFile:
    """A CSV file of orders named by `key` (`group_rows`); `candidate(rows, problems)`
    per order, read as it goes."""
    warnings: list[str] = []

    def read() -> Iterator[Candidate]:
        for rows, problems in group_rows(table.name, table.rows, key, order_columns, warnings):
            yield candidate(rows, problems)

    candidates = Candidates(read, table.rows, warnings)
    return OrderFile(path, kind, candidates, csv_header=table.header, warnings=warnings)


def keyed_json_file(
    path: Path,
    kind: str,
    entries: Sequence[tuple[Where, object]],
    reference: str,
    candidate: Callable[[Where, object], Candidate],
    wrap: Callable[[list[object]], object],
) -> OrderFile:
    """A shop's API response whose orders are one object each, named by one key
    (Magento's increment_id, Brightpearl's id): `candidate(where, data)` per order. The
    very same object again is read once (with a warning), another object with the same
    reference refuses the order."""

    def key(data: object) -> OrderKey | None:
        ref = key_text(data.get(reference)) if isinstance(data, dict) else ""
        return (ref,) if ref else None

    warnings: list[str] = []
    candidates = []
    for group in group_entries(entries, key, warnings):
        (where, data), copies = group[0], group[1:]
        found = candidate(where, data)
        for other, copy in copies:
            found.problems.append(
                f"{other}: {reference}: {found.ref} is also at {where} with other contents"
            )
            found.entries.append(copy)
        candidates.append(found)
    return OrderFile(path, kind, candidates, json_wrap=wrap, warnings=warnings)


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
        header = _first_line(path)
        if "Lineitem sku" in header:
            return "shopify"
        return "netsuite" if "Document Number" in header else "csv"
    if suffix == ".json":
        text = _head(path, GUESS_JSON_BYTES).lstrip()
        if '"orderRows"' in text:
            return "brightpearl"
        return "magento" if text.startswith("{") else "json"
    return None


GUESS_JSON_BYTES = 100_000  # the start of a JSON file, enough to tell its shape


def _first_line(path: Path) -> str:
    """The header of a CSV file of any size (the rest is not read)."""
    return _head(path, 1 << 16, line=True)


def _head(path: Path, size: int, *, line: bool = False) -> str:
    """Up to `size` bytes from the start of the file (up to its first line end), as text;
    the reader reads the file itself, and says if it is not UTF-8."""
    try:
        with path.open("rb") as data:
            head = data.readline(size) if line else data.read(size)
    except OSError as exc:
        raise ValidationFailed(f"cannot read {path}: {exc.strerror}") from None
    return head.decode("utf-8-sig", errors="replace")
