"""OrderActionsController: the service desk's order actions as QActions.

Allocate, build pick lists, hold, release, cancel, add a note and enter a new order.
Each runs as a DbOp on the one writer thread; the hub then refreshes every view. What
the service refuses shows in the banner, in its own words.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

from app.domain.order_workflow import CANCELLABLE, HOLDABLE, OrderStatus
from app.services.allocation import AllocationResult, allocate
from app.services.intercepts import Intercepted
from app.services.order_actions import add_note, cancel_order, hold_order, release_hold
from app.services.pack_claims import free_from_station
from ui.context import UiContext
from ui.dialogs.new_order_dialog import NewOrderDialog
from ui.dialogs.pick_lists_dialog import BuildOutcome, PickListsDialog
from ui.dialogs.reason_dialog import ReasonDialog
from ui.operations import DbOp
from ui.permissions import hide_unless_allowed
from ui.status_style import status_label
from ui.views.feedback_banner import FeedbackBanner

HOLD_REASONS = (
    "Customer asked us to wait",
    "Address to be confirmed",
    "Payment to be checked",
    "Suspected fraud",
)
CANCEL_REASONS = (
    "Customer cancelled",
    "Duplicate order",
    "Out of stock - customer refunded",
    "Suspected fraud",
)


def allocation_summary(result: AllocationResult) -> str:
    """ "Allocated 12, backordered 3 (2 of them partly)" - or that nothing was waiting."""
    allocated = len(result.allocated) + len(result.partially_allocated)
    if not allocated and not result.backordered:
        return "No orders were waiting for stock"
    text = f"Allocated {allocated}, backordered {len(result.backordered)}"
    if result.partially_allocated:
        text += f" ({len(result.partially_allocated)} of the allocated only partly)"
    return text


def cancel_warning(number: str, status: str | None) -> str:
    """What cancelling will do: release stock, or intercept once units are picked."""
    if status in (OrderStatus.PICKING, OrderStatus.PICKED, OrderStatus.PACKED):
        return (
            f"{number} is {status_label(status).lower()}: cancelling intercepts it. Its label "
            "and print jobs are voided and the picked units go on an unpack task; they are "
            "back in stock only when put away. This cannot be undone. Why is it cancelled?"
        )
    return (
        f"Cancelling {number} releases its reserved stock and cannot be undone. "
        "Why is it cancelled?"
    )


def cancelled_text(number: str, reason: str, result: Intercepted) -> str:
    text = f"{number} cancelled: {reason}"
    if result.units_to_put_away:
        units = result.units_to_put_away
        text += f". {units} unit{'s' if units != 1 else ''} to unpack and put away"
    if result.print_jobs_cancelled:
        text += f"; {result.print_jobs_cancelled} print job(s) voided"
    return text


def host_action(host: QWidget, text: str, keys: str, tip: str, slot: Callable[[], None]) -> QAction:
    """An action on the shown order: `keys` work while focus is anywhere in `host`, and
    the tooltip names them."""
    action = QAction(text, host)
    action.setIconText(text)  # keep the "…" that says a dialog comes next
    action.setShortcut(QKeySequence(keys))
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    action.setToolTip(f"{tip} ({QKeySequence(keys).toString()})")
    action.triggered.connect(slot)
    host.addAction(action)
    return action


class OrderActionsController(QObject):
    """Owns the order actions of `host`, enabled by the current order's status."""

    order_created = Signal(str)

    def __init__(self, ctx: UiContext, host: QWidget, banner: FeedbackBanner) -> None:
        super().__init__(host)
        self._ctx = ctx
        self._host = host
        self._banner = banner
        self._number: str | None = None
        self._status: str | None = None
        self._station: str | None = None
        self.dialog: ReasonDialog | NewOrderDialog | PickListsDialog | None = None
        self.new_order_action = self._action(
            "New order…", "Ctrl+N", "Enter a phone or B2B order", self._on_new_order_triggered
        )
        self.allocate_action = self._action(
            "Allocate", "Ctrl+Shift+A", "Reserve stock for every waiting order",
            self._on_allocate_triggered,
        )  # fmt: skip
        self.pick_lists_action = self._action(
            "Build pick lists…", "Ctrl+Shift+L",
            "Build pick lists from the allocated orders waiting, and print them",
            self._on_pick_lists_triggered,
        )  # fmt: skip
        self.hold_action = self._action(
            "Hold…", "Ctrl+H", "Put the order on hold (a reason is needed)",
            self._on_hold_triggered,
        )  # fmt: skip
        self.release_action = self._action(
            "Release hold…", "Ctrl+Shift+H", "Release the hold (a note is needed)",
            self._on_release_triggered,
        )  # fmt: skip
        self.cancel_action = self._action(
            "Cancel order…", "Ctrl+Del", "Cancel the order and release its stock",
            self._on_cancel_triggered,
        )  # fmt: skip
        self.note_action = self._action(
            "Add note…", "Ctrl+Shift+N", "Add a note to the order's timeline",
            self._on_note_triggered,
        )  # fmt: skip
        self.free_action = self._action(
            "Free from station…", "Ctrl+Shift+F",
            "Free the order from a packing station that is gone (its scans are kept)",
            self._on_free_triggered,
        )  # fmt: skip
        hide_unless_allowed(
            ctx.actor,
            [
                (self.new_order_action, "order.create"),
                (self.pick_lists_action, "pick_list.build"),
                (self.hold_action, "order.hold"),
                (self.release_action, "order.release"),
                (self.cancel_action, "order.cancel"),
                (self.note_action, "order.note"),
                (self.free_action, "pack.release"),
            ],
        )
        self.set_order(None, None)

    def toolbar_actions(self) -> list[QAction]:
        return [self.new_order_action, self.allocate_action, *self.order_actions()]

    def order_actions(self) -> list[QAction]:
        """The actions on the current order (context menu, detail panel)."""
        actions = [self.hold_action, self.release_action, self.cancel_action, self.note_action]
        return [*actions, self.free_action]

    def set_order(
        self, number: str | None, status: str | None, packing_station: str | None = None
    ) -> None:
        """The order the actions apply to, its status and the station packing it (which
        actions make sense)."""
        self._number = number
        self._status = status
        self._station = packing_station
        self.free_action.setEnabled(packing_station is not None)
        self.hold_action.setEnabled(status in HOLDABLE)
        self.release_action.setEnabled(status == OrderStatus.ON_HOLD)
        self.cancel_action.setEnabled(status in CANCELLABLE)
        self.note_action.setEnabled(number is not None)

    def _action(self, text: str, keys: str, tip: str, slot: Callable[[], None]) -> QAction:
        return host_action(self._host, text, keys, tip, slot)

    def _ask(self, dialog: ReasonDialog, on_answer: Callable[[str, str], None]) -> None:
        number = self._number
        assert number is not None
        self.dialog = dialog
        dialog.accepted.connect(lambda: on_answer(number, dialog.text()))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _on_new_order_triggered(self) -> None:
        dialog = NewOrderDialog(self._ctx, self._host)
        self.dialog = dialog
        dialog.order_created.connect(self._on_dialog_order_created)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _on_dialog_order_created(self, number: str, hold_reason: str, allocation: str) -> None:
        if hold_reason:
            self._banner.show_problem(f"{number} created but put on hold: {hold_reason}")
        elif allocation == "backordered":
            self._banner.show_problem(f"{number} created and backordered: not enough stock")
        else:
            self._banner.show_ok(f"{number} created" + (f" and {allocation}" if allocation else ""))
        self.order_created.emit(number)

    def _on_allocate_triggered(self) -> None:
        DbOp(self._host, self._ctx, allocate, self._ctx.actor).success(
            lambda result: self._banner.show_ok(allocation_summary(result))
        ).failure(self._banner.show_refusal).run(initiator=self._host)

    def _on_pick_lists_triggered(self) -> None:
        dialog = PickListsDialog(self._ctx, self._host)
        self.dialog = dialog
        dialog.built.connect(self._on_pick_lists_built)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _on_pick_lists_built(self, outcome: BuildOutcome) -> None:
        show = self._banner.show_ok if outcome.all_printed else self._banner.show_problem
        show(outcome.summary())

    def _on_hold_triggered(self) -> None:
        self._ask(
            ReasonDialog(
                title=f"Hold {self._number}",
                prompt=f"Why should {self._number} wait? Pickers and packers will see this.",
                ok_text="Put on hold",
                required="A reason is needed to put an order on hold.",
                presets=HOLD_REASONS,
                parent=self._host,
            ),
            self._hold,
        )

    def _hold(self, number: str, reason: str) -> None:
        DbOp(self._host, self._ctx, hold_order, self._ctx.actor, number, reason).success(
            lambda _: self._banner.show_ok(f"{number} is on hold: {reason}")
        ).failure(self._banner.show_refusal).run(initiator=self._host)

    def _on_release_triggered(self) -> None:
        self._ask(
            ReasonDialog(
                title=f"Release hold on {self._number}",
                prompt="Why is it safe to go ahead? Your note and name go on the timeline.",
                ok_text="Release hold",
                required="A note is needed to release a hold: say why it is safe.",
                multiline=True,
                parent=self._host,
            ),
            self._release,
        )

    def _release(self, number: str, note: str) -> None:
        DbOp(self._host, self._ctx, release_hold, self._ctx.actor, number, note).success(
            lambda status: self._banner.show_ok(
                f"{number} released, back to {status_label(status)}"
            )
        ).failure(self._banner.show_refusal).run(initiator=self._host)

    def _on_free_triggered(self) -> None:
        self._ask(
            ReasonDialog(
                title=f"Free {self._number} from {self._station}?",
                prompt=f"Only if station {self._station} is gone: crashed, or closed for the "
                "day. Its scans are kept for whoever packs the order next. Why?",
                ok_text="Free the order",
                required="A reason is needed to free an order from its station.",
                parent=self._host,
            ),
            self._free,
        )

    def _free(self, number: str, reason: str) -> None:
        DbOp(self._host, self._ctx, free_from_station, self._ctx.actor, number, reason).success(
            lambda station: self._banner.show_ok(f"{number} freed from station {station}")
        ).failure(self._banner.show_refusal).run(initiator=self._host)

    def _on_cancel_triggered(self) -> None:
        self._ask(
            ReasonDialog(
                title=f"Cancel {self._number}?",
                prompt=cancel_warning(str(self._number), self._status),
                ok_text="Cancel order",
                cancel_text="Keep order",
                required="A reason is needed to cancel an order.",
                presets=CANCEL_REASONS,
                destructive=True,
                parent=self._host,
            ),
            self._cancel,
        )

    def _cancel(self, number: str, reason: str) -> None:
        DbOp(self._host, self._ctx, cancel_order, self._ctx.actor, number, reason).success(
            lambda result: self._banner.show_ok(cancelled_text(number, reason, result))
        ).failure(self._banner.show_refusal).run(initiator=self._host)

    def _on_note_triggered(self) -> None:
        self._ask(
            ReasonDialog(
                title=f"Note on {self._number}",
                prompt="The note goes on the order's timeline with your name.",
                ok_text="Add note",
                required="The note is empty.",
                multiline=True,
                parent=self._host,
            ),
            self._note,
        )

    def _note(self, number: str, body: str) -> None:
        DbOp(self._host, self._ctx, add_note, self._ctx.actor, number, body).success(
            lambda _: self._banner.show_ok(f"Note added to {number}")
        ).failure(self._banner.show_refusal).run(initiator=self._host)
