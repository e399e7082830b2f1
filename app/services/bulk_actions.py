"""One action on many orders from a queue: say exactly what will happen, do it, say
what was done.

`plan` sorts the selection by what the action can do to each order ("12 of 14 orders
will be held; 2 have shipped"); `run` applies it order by order through the same
services the single actions use (each its own transaction, with its own permission
check and audit), so one refusal never undoes the others, and reports each outcome.
Printing labels or slips queues one job per order, then sends each (`bulk_printing`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.changes import Changes
from app.context import Actor
from app.domain.order_workflow import CANCELLABLE, HOLDABLE, OrderStatus
from app.errors import OmsError, ValidationFailed
from app.services.access import authorize
from app.services.allocation import allocate
from app.services.bulk_printing import LABEL, PRINTABLE, SLIP, print_documents, target
from app.services.order_actions import cancel_order, hold_order, release_hold
from app.services.pick_list_builder import PickListRequest, build_pick_lists
from db.engine import Database
from db.models import Order
from db.uow import read

S = OrderStatus
MAX_ORDERS = 5_000  # one confirmation should not hide more than a supervisor can check


class BulkAction(StrEnum):
    HOLD = "hold"
    RELEASE = "release"
    ALLOCATE = "allocate"
    PICK_LIST = "pick_list"
    CANCEL = "cancel"
    PRINT_LABELS = "print_labels"
    PRINT_SLIPS = "print_slips"


_DOCUMENT = {BulkAction.PRINT_LABELS: LABEL, BulkAction.PRINT_SLIPS: SLIP}
_DOCUMENT_NAME = {BulkAction.PRINT_LABELS: "label", BulkAction.PRINT_SLIPS: "packing slip"}
_VERB = {  # (future, past)
    BulkAction.HOLD: ("will be held", "held"),
    BulkAction.RELEASE: ("will be released", "released"),
    BulkAction.ALLOCATE: ("will be allocated", "allocated"),
    BulkAction.PICK_LIST: ("will go on pick lists", "put on pick lists"),
    BulkAction.CANCEL: ("will be cancelled", "cancelled"),
    BulkAction.PRINT_LABELS: ("will have their label printed", "given a label"),
    BulkAction.PRINT_SLIPS: ("will have their packing slip printed", "given a packing slip"),
}
_PERMISSION = {
    BulkAction.HOLD: "order.hold",
    BulkAction.RELEASE: "order.release",
    BulkAction.ALLOCATE: "order.edit",
    BulkAction.PICK_LIST: "pick_list.build",
    BulkAction.CANCEL: "order.cancel",
    BulkAction.PRINT_LABELS: "order.edit",
    BulkAction.PRINT_SLIPS: "order.edit",
}
NEEDS_REASON = frozenset({BulkAction.HOLD, BulkAction.RELEASE, BulkAction.CANCEL})
_ELIGIBLE: dict[BulkAction, frozenset[str]] = {
    BulkAction.HOLD: frozenset(HOLDABLE),
    BulkAction.RELEASE: frozenset({S.ON_HOLD}),
    BulkAction.ALLOCATE: frozenset({S.NEW, S.BACKORDERED}),
    BulkAction.PICK_LIST: frozenset({S.ALLOCATED}),
    BulkAction.CANCEL: frozenset(CANCELLABLE),
    BulkAction.PRINT_LABELS: PRINTABLE[LABEL],
    BulkAction.PRINT_SLIPS: PRINTABLE[SLIP],
}
_WHY_NOT = {  # status -> "2 are already on hold"
    S.NEW: "are new",
    S.ON_HOLD: "are on hold",
    S.BACKORDERED: "are backordered",
    S.ALLOCATED: "are already allocated",
    S.PICKING: "are being picked",
    S.PICKED: "are picked",
    S.PACKED: "are already packed",
    S.PARTIALLY_SHIPPED: "have partly shipped",
    S.SHIPPED: "have shipped",
    S.DELIVERED: "are delivered",
    S.CANCELLED: "are cancelled",
}
_ALREADY = {
    (BulkAction.HOLD, S.ON_HOLD): "are already on hold",
    (BulkAction.CANCEL, S.CANCELLED): "are already cancelled",
    (BulkAction.RELEASE, S.NEW): "are not on hold",
    (BulkAction.PICK_LIST, S.NEW): "are not allocated yet",
    (BulkAction.PICK_LIST, S.BACKORDERED): "wait for stock",
    **{
        (BulkAction.PRINT_LABELS, status): "are not packed yet"
        for status in (S.NEW, S.BACKORDERED, S.ALLOCATED, S.PICKING, S.PICKED)
    },
    (BulkAction.PRINT_SLIPS, S.NEW): "are not allocated yet",
    (BulkAction.PRINT_SLIPS, S.BACKORDERED): "wait for stock",
}
INTERCEPTED = frozenset({S.PICKING, S.PICKED, S.PACKED})


_SINGULAR = {"are": "is", "have": "has", "wait": "waits"}


def _agree(n: int, why: str) -> str:
    """ "2 are already packed", "1 is already packed"."""
    verb, _, rest = why.partition(" ")
    return f"{n} {_SINGULAR.get(verb, verb) if n == 1 else verb} {rest}"


def _count(n: int) -> str:
    return f"{n} order" if n == 1 else f"{n} orders"


@dataclass(frozen=True)
class BulkPlan:
    action: BulkAction
    will: tuple[str, ...]  # order numbers the action applies to
    skipped: dict[str, tuple[str, ...]]  # why not ("are already packed") -> numbers
    intercepts: int = 0  # of `will`, cancelled after picking started: unpack tasks
    printer: str = ""  # where a print action's documents go

    @property
    def selected(self) -> int:
        return len(self.will) + sum(len(n) for n in self.skipped.values())

    def sentence(self) -> str:
        """ "12 of 14 orders will be held; 2 are already packed." """
        future = _VERB[self.action][0]
        if not self.will:
            head = f"None of the {_count(self.selected)} can be {_VERB[self.action][1]}"
        elif self.skipped:
            head = f"{len(self.will)} of {_count(self.selected)} {future}"
        else:
            subject = "The order" if len(self.will) == 1 else f"All {_count(len(self.will))}"
            head = f"{subject} {future}"
        parts = [head, *(_agree(len(nums), why) for why, nums in self.skipped.items())]
        text = "; ".join(parts) + "."
        if self.intercepts:
            text += (
                f" {self.intercepts} of them {'is' if self.intercepts == 1 else 'are'} already "
                "picked or packed: their labels are voided and their units go on unpack tasks."
            )
        if self.printer and self.will:
            text += f" One each, on {self.printer}."
        return text


@dataclass(frozen=True)
class BulkResult:
    action: BulkAction
    done: tuple[str, ...]
    failed: dict[str, str] = field(default_factory=dict)  # number -> why, in the service's words
    changes: Changes = field(default_factory=Changes)
    printer: str = ""  # where a print action's documents went

    def sentence(self) -> str:
        """ "12 orders held. 1 was not: SO-100004 is shipped." """
        past = _VERB[self.action][1]
        if self.action in _DOCUMENT_NAME:  # "12 labels printed."
            noun, n = _DOCUMENT_NAME[self.action], len(self.done)
            where = f" on {self.printer}" if self.printer else ""
            text = (
                f"{n} {noun}{'' if n == 1 else 's'} printed{where}." if n else f"No {noun} printed."
            )
        else:
            text = f"{_count(len(self.done))} {past}." if self.done else f"No order {past}."
        if self.failed:
            first = "; ".join(f"{n}: {why}" for n, why in list(self.failed.items())[:3])
            more = len(self.failed) - 3
            tail = f" and {more} more" if more > 0 else ""
            verb = "was" if len(self.failed) == 1 else "were"
            text += f" {len(self.failed)} {verb} not - {first}{tail}."
        return text


def plan(db: Database, actor: Actor, action: BulkAction, order_ids: Collection[int]) -> BulkPlan:
    """What `action` would do to these orders now; refused at once without the permission."""
    if len(order_ids) > MAX_ORDERS:
        raise ValidationFailed(f"select at most {MAX_ORDERS} orders for one action")

    def work(session: Session) -> BulkPlan:
        authorize(session, actor, _PERMISSION[action])
        rows = read_rows(session, order_ids)
        will = [n for n, status in rows if status in _ELIGIBLE[action]]
        skipped: dict[str, list[str]] = {}
        for number, status in rows:
            if status not in _ELIGIBLE[action]:
                why = _ALREADY.get((action, S(status)), _WHY_NOT[S(status)])
                skipped.setdefault(why, []).append(number)
        intercepts = sum(
            1 for _, status in rows if action is BulkAction.CANCEL and status in INTERCEPTED
        )
        document = _DOCUMENT.get(action)
        printer = target(session, actor, document).printer if document else ""
        return BulkPlan(
            action, tuple(will), {k: tuple(v) for k, v in skipped.items()}, intercepts, printer
        )

    return read(db, work)


def read_rows(session: Session, order_ids: Collection[int]) -> list[tuple[str, str]]:
    return [
        (number, status)
        for number, status in session.execute(
            select(Order.number, Order.status)
            .where(Order.id.in_(list(order_ids)))
            .order_by(Order.id)
        )
    ]


def run(
    db: Database, actor: Actor, action: BulkAction, order_ids: Collection[int], reason: str = ""
) -> BulkResult:
    """Apply `action` to every order of the selection it applies to now."""
    if action in NEEDS_REASON and not reason.strip():
        raise ValidationFailed(f"a reason is needed to {action.value} orders")
    current = plan(db, actor, action, order_ids)
    ids = frozenset(order_ids)
    changes = Changes.of_orders(ids, stock=action is not BulkAction.HOLD, pick_lists=True)
    if action is BulkAction.ALLOCATE:
        result = allocate(db, actor, order_ids=sorted(ids))
        done = (*result.allocated, *result.partially_allocated)
        waiting = {n: "no stock: backordered" for n in result.backordered}
        return BulkResult(action, tuple(done), waiting, changes)
    if action in _DOCUMENT:
        printed = print_documents(db, actor, _DOCUMENT[action], ids)
        done = tuple(n for n, outcome in printed.items() if outcome.printed)
        not_printed = {n: outcome.message for n, outcome in printed.items() if not outcome.printed}
        gone = {n: "changed meanwhile: nothing to print" for n in current.will if n not in printed}
        changed = Changes.of_orders(ids, print_jobs=True)
        return BulkResult(action, done, {**not_printed, **gone}, changed, current.printer)
    if action is BulkAction.PICK_LIST:
        build = build_pick_lists(db, actor, PickListRequest(order_ids=tuple(sorted(ids))))
        listed = tuple(n for built in build.lists for n in built.orders)
        passed = {s.number: s.reason for s in build.skipped}
        return BulkResult(action, listed, passed, changes)
    each: Callable[[str], object] = {
        BulkAction.HOLD: lambda n: hold_order(db, actor, n, reason),
        BulkAction.RELEASE: lambda n: release_hold(db, actor, n, reason),
        BulkAction.CANCEL: lambda n: cancel_order(db, actor, n, reason),
    }[action]
    done_numbers: list[str] = []
    failed: dict[str, str] = {}
    for number in current.will:
        try:
            each(number)
        except OmsError as exc:  # changed meanwhile by another station: say so, go on
            failed[number] = str(exc)
        else:
            done_numbers.append(number)
    return BulkResult(action, tuple(done_numbers), failed, changes)
