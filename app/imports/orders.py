"""Orders in from a file, whatever its format: all-or-nothing, or the good ones and a rejects file.

A format module turns its file into an `OrderFile`: one `Candidate` per order with
either a `NewOrder`, the problems that stop it, or the reason it is skipped (for
example already fulfilled by the shop). `import_orders` then creates the good ones
through intake in one transaction, so a failed import changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.context import Actor
from app.domain.new_order import NewOrder
from app.errors import ValidationFailed
from app.imports.common import file_text, write_csv, write_json
from app.services.catalogue import ensure_channel
from app.services.intake import IntakeResult, add_orders
from db.engine import Database
from db.models import Channel, Order
from db.uow import run_in_transaction

LOOKUP_CHUNK = 1000


@dataclass
class Candidate:
    """One order of the file as read, and what became of it."""

    ref: str
    order: NewOrder | None = None
    problems: list[str] = field(default_factory=list)
    skipped: str | None = None  # why a readable order is not imported
    rows: list[list[str]] = field(default_factory=list)  # CSV: its rows as read
    data: object = None  # JSON: the order as read


@dataclass
class OrderFile:
    path: Path
    channel_kind: str  # kind of the channels the import creates
    candidates: list[Candidate]
    csv_header: list[str] | None = None  # CSV formats: the header, for a rejects file
    json_wrap: Callable[[list[object]], object] | None = None  # JSON formats: the document

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
    if not path.parent.is_dir():
        raise ValidationFailed(f"no folder {path.parent} for the rejects file")
    return path


def write_rejects(file: OrderFile, path: Path) -> None:
    """The rejected orders in the file's own format, to fix and import again."""
    rejected = file.rejected
    if file.csv_header is not None:
        write_csv(path, file.csv_header, [row for c in rejected for row in c.rows])
    elif file.json_wrap is not None:
        write_json(path, file.json_wrap([c.data for c in rejected]))


def guess_format(path: Path) -> str | None:
    """shopify or csv for a .csv file (by its header), magento or json for .json (by its shape)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        header = file_text(path).partition("\n")[0]
        return "shopify" if "Lineitem sku" in header else "csv"
    if suffix == ".json":
        return "magento" if file_text(path).lstrip().startswith("{") else "json"
    return None
