"""ServiceDeskActions: what the desk changes on the shown order, as QActions.

Edit the address and contact (until packing starts), edit or split the lines (until
picking starts), and send a free replacement for a shipped order. Each opens a dialog
that saves against the order version it was opened with.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QWidget

from app.domain.order_workflow import OrderStatus
from app.dto import OrderDetail
from app.services.order_contact import EDITABLE
from app.services.order_copies import REPLACEABLE, OrderCopy, create_replacement
from app.services.order_lines import BEFORE_PICKING
from ui.context import UiContext
from ui.dialogs.address_dialog import AddressDialog
from ui.dialogs.lines_edit_dialog import LinesEditDialog
from ui.dialogs.reason_dialog import ReasonDialog
from ui.operations import DbOp
from ui.permissions import hide_unless_allowed
from ui.views.feedback_banner import FeedbackBanner
from ui.views.order_actions import host_action

REPLACEMENT_REASONS = (
    "Parcel lost by the carrier",
    "Arrived damaged",
    "Wrong item sent",
    "Item missing from the parcel",
)


def lines_editable(detail: OrderDetail) -> bool:
    """Before picking: no unit picked and not beyond allocated (or held from there)."""
    picked = any(line.qty_picked for line in detail.lines)
    status = detail.status
    if status == OrderStatus.ON_HOLD:
        return not picked  # the service checks the status it was held from
    return status in BEFORE_PICKING and not picked and detail.packing is None


class ServiceDeskActions(QObject):
    """Owns the desk's edit actions of `host`, enabled by the shown order."""

    def __init__(self, ctx: UiContext, host: QWidget, banner: FeedbackBanner) -> None:
        super().__init__(host)
        self._ctx = ctx
        self._host = host
        self._banner = banner
        self._detail: OrderDetail | None = None
        self.dialog: QDialog | None = None
        self.address_action = self._action(
            "Edit address…", "Ctrl+E",
            "Change the ship-to address, phone, e-mail or service level (until packing)",
            self._on_address_triggered,
        )  # fmt: skip
        self.lines_action = self._action(
            "Edit lines…", "Ctrl+L",
            "Change quantities, add, remove or substitute products, or split the order "
            "(until picking)",
            self._on_lines_triggered,
        )  # fmt: skip
        self.replacement_action = self._action(
            "Replacement…", "Ctrl+Shift+R",
            "Send a shipped order again at no charge (lost parcel, damaged)",
            self._on_replacement_triggered,
        )  # fmt: skip
        hide_unless_allowed(
            ctx.actor,
            [
                (self.address_action, "order.edit"),
                (self.lines_action, "order.edit"),
                (self.replacement_action, "order.create"),
            ],
        )
        self.set_detail(None)

    def actions(self) -> list[QAction]:
        return [self.address_action, self.lines_action, self.replacement_action]

    def set_detail(self, detail: OrderDetail | None) -> None:
        self._detail = detail
        status = detail.status if detail else None
        self.address_action.setEnabled(
            detail is not None and status in EDITABLE and detail.packing is None
        )
        self.lines_action.setEnabled(detail is not None and lines_editable(detail))
        self.replacement_action.setEnabled(status in REPLACEABLE)

    def _action(self, text: str, keys: str, tip: str, slot: Callable[[], None]) -> QAction:
        return host_action(self._host, text, keys, tip, slot)

    def _open(self, dialog: QDialog) -> None:
        self.dialog = dialog
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _on_address_triggered(self) -> None:
        if self._detail is None or not self.address_action.isEnabled():
            return
        dialog = AddressDialog(self._ctx, self._detail, self._host)
        dialog.saved.connect(lambda number: self._banner.show_ok(f"Address of {number} saved"))
        self._open(dialog)

    def _on_lines_triggered(self) -> None:
        if self._detail is None or not self.lines_action.isEnabled():
            return
        dialog = LinesEditDialog(self._ctx, self._detail, self._host)
        dialog.done_text.connect(self._banner.show_ok)
        self._open(dialog)

    def _on_replacement_triggered(self) -> None:
        detail = self._detail
        if detail is None or not self.replacement_action.isEnabled():
            return
        shipped = ", ".join(f"{li.qty_shipped} × {li.sku}" for li in detail.lines if li.qty_shipped)
        dialog = ReasonDialog(
            title=f"Replacement for {detail.number}",
            prompt=f"A new order sends {shipped} again to the same address at no charge, "
            f"linked to {detail.number}. Why?",
            ok_text="Create replacement",
            required="A reason is needed for a replacement.",
            presets=REPLACEMENT_REASONS,
            parent=self._host,
        )
        number = detail.number
        dialog.accepted.connect(lambda: self._replace(number, dialog.text()))
        self._open(dialog)

    def _replace(self, number: str, reason: str) -> None:
        DbOp(self._host, self._ctx, create_replacement, self._ctx.actor, number, reason).success(
            lambda copy: self._banner.show_ok(replacement_text(copy))
        ).failure(self._banner.show_refusal).run(initiator=self._host)


def replacement_text(copy: OrderCopy) -> str:
    return f"{copy.number} created for {copy.original} at no charge ({copy.status})"
