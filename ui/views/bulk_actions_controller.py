"""BulkActionsController: hold, release, allocate, pick-list, print labels or slips for, or
cancel the selected orders.

Each action first asks `bulk_actions.plan` what it would do, shows that sentence in a
confirmation ("12 of 14 orders will be held; 2 have shipped"), asks for a reason where
one is needed, runs, and puts the result sentence in the banner.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMessageBox, QToolButton, QWidget

from app.services import bulk_actions
from app.services.bulk_actions import BulkAction, BulkPlan, BulkResult
from ui.context import UiContext
from ui.dialogs.reason_dialog import ReasonDialog
from ui.operations import DbOp, QueryOp
from ui.views.feedback_banner import FeedbackBanner
from ui.views.order_actions import CANCEL_REASONS, HOLD_REASONS

# No shortcuts of their own: the single-order keys (Ctrl+H…) act on the current order.
_ACTIONS = (  # action, text, tip
    (BulkAction.HOLD, "Hold…", "Put the selected orders on hold"),
    (BulkAction.RELEASE, "Release…", "Release the holds of the selected orders"),
    (BulkAction.ALLOCATE, "Allocate", "Reserve stock for the selected orders"),
    (BulkAction.PICK_LIST, "Pick list", "Put the selected allocated orders on pick lists"),
    (BulkAction.PRINT_LABELS, "Labels…", "Print the shipping label of each selected packed order"),
    (
        BulkAction.PRINT_SLIPS,
        "Packing slips…",
        "Print the packing slip of each selected order from allocation on",
    ),
    (BulkAction.CANCEL, "Cancel…", "Cancel the selected orders"),
)
_PRINTS = (BulkAction.PRINT_LABELS, BulkAction.PRINT_SLIPS)
_TITLES = {
    BulkAction.HOLD: "Hold orders",
    BulkAction.RELEASE: "Release holds",
    BulkAction.ALLOCATE: "Allocate orders",
    BulkAction.PICK_LIST: "Pick list",
    BulkAction.CANCEL: "Cancel orders",
    BulkAction.PRINT_LABELS: "Print labels",
    BulkAction.PRINT_SLIPS: "Print packing slips",
}
_OK = {
    BulkAction.HOLD: "Put on hold",
    BulkAction.RELEASE: "Release",
    BulkAction.ALLOCATE: "Allocate",
    BulkAction.PICK_LIST: "Make the pick list",
    BulkAction.CANCEL: "Cancel the orders",
    BulkAction.PRINT_LABELS: "Print the labels",
    BulkAction.PRINT_SLIPS: "Print the slips",
}


class BulkActionsController(QObject):
    """The bulk QActions of `host`, acting on the ids `selected()` returns."""

    def __init__(
        self,
        ctx: UiContext,
        host: QWidget,
        banner: FeedbackBanner,
        selected: Callable[[], list[int]],
    ) -> None:
        super().__init__(host)
        self._ctx, self._host, self._banner, self._selected = ctx, host, banner, selected
        self.dialog: ReasonDialog | QMessageBox | None = None
        self.actions: dict[BulkAction, QAction] = {}
        self._print_button: QToolButton | None = None
        for action, text, tip in _ACTIONS:
            qaction = QAction(text, host)
            qaction.setToolTip(tip)
            qaction.triggered.connect(lambda _=False, a=action: self.start(a))
            self.actions[action] = qaction
        self.set_selection_size(0)

    def state_actions(self) -> list[QAction]:
        """Every action but printing, which `print_button` offers."""
        return [a for action, a in self.actions.items() if action not in _PRINTS]

    def print_button(self) -> QToolButton:
        """ "Print ▾": the labels or the packing slips of the selection."""
        button = self._print_button = QToolButton()
        button.setEnabled(self.actions[BulkAction.PRINT_LABELS].isEnabled())
        button.setText("Print")
        button.setToolTip("Print the labels or the packing slips of the selected orders")
        button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(button)
        menu.addActions([self.actions[action] for action in _PRINTS])
        button.setMenu(menu)
        return button

    def set_selection_size(self, count: int) -> None:
        for qaction in self.actions.values():
            qaction.setEnabled(count > 0)
        if self._print_button is not None:
            self._print_button.setEnabled(count > 0)

    def start(self, action: BulkAction) -> None:
        """Ask what `action` would do to the selection, then confirm it."""
        ids = self._selected()
        if not ids:
            return
        QueryOp(self._host, self._ctx, bulk_actions.plan, self._ctx.actor, action, ids).success(
            lambda proposal: self._confirm(proposal, ids)
        ).failure(self._banner.show_refusal).run()

    def _confirm(self, proposal: BulkPlan, ids: list[int]) -> None:
        action = proposal.action
        if not proposal.will:
            self._banner.show_problem(proposal.sentence())
            return
        if action in bulk_actions.NEEDS_REASON:
            dialog = ReasonDialog(
                title=_TITLES[action],
                prompt=f"{proposal.sentence()} Why?",
                ok_text=_OK[action],
                required="A reason is needed; it goes on each order's timeline.",
                presets={BulkAction.HOLD: HOLD_REASONS, BulkAction.CANCEL: CANCEL_REASONS}.get(
                    action, ()
                ),
                multiline=action is BulkAction.RELEASE,
                destructive=action is BulkAction.CANCEL,
                parent=self._host,
            )
            dialog.accepted.connect(lambda: self._run(action, ids, dialog.text()))
            self._show(dialog)
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            _TITLES[action],
            proposal.sentence(),
            QMessageBox.StandardButton.Cancel,
            self._host,
        )
        go = box.addButton(_OK[action], QMessageBox.ButtonRole.AcceptRole)
        box.setDefaultButton(go)
        box.accepted.connect(lambda: self._run(action, ids, ""))
        self._show(box)

    def _show(self, dialog: ReasonDialog | QMessageBox) -> None:
        self.dialog = dialog
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _run(self, action: BulkAction, ids: list[int], reason: str) -> None:
        DbOp(self._host, self._ctx, bulk_actions.run, self._ctx.actor, action, ids, reason).success(
            self._on_done
        ).failure(self._banner.show_refusal).run(initiator=self._host)

    def _on_done(self, result: BulkResult) -> None:
        if result.failed:
            self._banner.show_problem(result.sentence())
        else:
            self._banner.show_ok(result.sentence())
