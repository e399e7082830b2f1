"""LeaseKeeper: keeps this station's claim on the open pick list alive while it is worked."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal

from app.errors import ConcurrencyConflict
from app.services.picking import renew_lease
from ui.context import UiContext
from ui.operations import DbOp
from ui.station.feedback import failure_message

RENEWALS_PER_LEASE = 3


class LeaseKeeper(QObject):
    """Renews the lease every third of its length (on the writer thread, in line with the
    scans). A claim another station has taken is `lost`; a renewal the database did not
    take is `failed` and tried again at the next tick."""

    renewed = Signal(object)  # datetime: the new expiry
    lost = Signal(str)  # why this station no longer holds the list
    failed = Signal(str)  # why this renewal did not happen

    def __init__(self, ctx: UiContext, lease_seconds: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.lease_seconds = lease_seconds
        self.pick_list_id: int | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(max(1, lease_seconds * 1000 // RENEWALS_PER_LEASE))
        self.timer.timeout.connect(self._on_timer_timeout)

    def hold(self, pick_list_id: int) -> None:
        self.pick_list_id = pick_list_id
        self.timer.start()

    def drop(self) -> None:
        self.pick_list_id = None
        self.timer.stop()

    def _on_timer_timeout(self) -> None:
        held = self.pick_list_id
        if held is None:
            return
        DbOp(
            None, self._ctx, renew_lease, self._ctx.actor, held, lease_seconds=self.lease_seconds
        ).success(lambda expires: self._on_renewed(held, expires)).failure(
            lambda exc: self._on_renew_failed(held, exc)
        ).run(initiator=self)

    def _on_renewed(self, pick_list_id: int, expires: datetime) -> None:
        if pick_list_id == self.pick_list_id:
            self.renewed.emit(expires)

    def _on_renew_failed(self, pick_list_id: int, exc: Exception) -> None:
        if pick_list_id != self.pick_list_id:
            return  # the list was closed meanwhile: nothing to keep
        if isinstance(exc, ConcurrencyConflict):
            self.drop()
            self.lost.emit(str(exc))
        else:
            self.failed.emit(failure_message(exc))
