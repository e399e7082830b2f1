"""ReturnActions: the desk's return action on the shown order, as a QAction.

"Return (RMA)…" opens the RMA dialog for a shipped order with units left to return;
the banner then names the new return number.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from app.dto import OrderDetail
from app.services.return_views import ReturnView
from ui.context import UiContext
from ui.dialogs.rma_dialog import RmaDialog
from ui.views.feedback_banner import FeedbackBanner
from ui.views.order_actions import host_action

SHORTCUT = "Alt+R"


def returnable(detail: OrderDetail | None) -> bool:
    """Whether any shipped unit of the order has not come back yet."""
    return detail is not None and any(li.qty_shipped > li.qty_returned for li in detail.lines)


class ReturnActions(QObject):
    """Owns the return action of `host`, enabled by the shown order."""

    def __init__(self, ctx: UiContext, host: QWidget, banner: FeedbackBanner) -> None:
        super().__init__(host)
        self._ctx = ctx
        self._host = host
        self._banner = banner
        self._detail: OrderDetail | None = None
        self.dialog: RmaDialog | None = None
        self.rma_action = host_action(
            host,
            "Return (RMA)…",
            SHORTCUT,
            "Authorise a return of shipped units: reason, refund or exchange, return label",
            self._on_rma_triggered,
        )
        self.set_detail(None)

    def actions(self) -> list[QAction]:
        return [self.rma_action]

    def set_detail(self, detail: OrderDetail | None) -> None:
        self._detail = detail
        self.rma_action.setEnabled(returnable(detail))

    def _on_rma_triggered(self) -> None:
        if self._detail is None or not self.rma_action.isEnabled():
            return
        self.dialog = RmaDialog(self._ctx, self._detail.number, self._host)
        self.dialog.authorised.connect(self._on_dialog_authorised)
        self.dialog.finished.connect(self.dialog.deleteLater)
        self.dialog.open()

    def _on_dialog_authorised(self, view: ReturnView) -> None:
        units = sum(line.qty_authorised for line in view.lines)
        self._banner.show_ok(
            f"{view.number} authorised for {view.order}: {units} unit(s), {view.resolution}; "
            "the return label is in the customer's e-mail"
        )
