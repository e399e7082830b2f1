"""Fluent operations: a service call run off the UI thread, answered on it.

    QueryOp(self, ctx, orders.list_orders, search=text).success(self._show).run()
    DbOp(self, ctx, service, ...).success(cb).run(initiator=self)

Failures go to the `failure` callback; without one, a non-blocking message box.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, Concatenate, Generic, ParamSpec, Self, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.errors import OmsError
from ui.context import UiContext

P = ParamSpec("P")
T = TypeVar("T")

log = logging.getLogger(__name__)


def show_error(parent: QWidget | None, exc: BaseException) -> None:
    """Tell the user what went wrong without blocking the event loop."""
    if not isinstance(exc, OmsError):
        log.error("operation failed", exc_info=exc)
    box = QMessageBox(
        QMessageBox.Icon.Warning if isinstance(exc, OmsError) else QMessageBox.Icon.Critical,
        "Shipshape",
        str(exc) or type(exc).__name__,
        QMessageBox.StandardButton.Ok,
        parent,
    )
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


class QueryOp(Generic[T]):
    """A read: runs `service(database, *args, **kwargs)` on the reader pool."""

    writes = False

    def __init__(
        self,
        parent: QWidget | None,
        ctx: UiContext,
        service: Callable[Concatenate[Any, P], T],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> None:
        self._parent = parent
        self._ctx = ctx
        self._work: Callable[[], T] = functools.partial(ctx.call, service, *args, **kwargs)
        self._on_success: Callable[[T], None] | None = None
        self._on_failure: Callable[[Exception], None] | None = None

    def success(self, callback: Callable[[T], None]) -> Self:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[Exception], None]) -> Self:
        self._on_failure = callback
        return self

    def run(self) -> None:
        self._ctx.tasks.run_in_background(self._work, self._finish, writes=self.writes)

    def _finish(self, future: Future[T]) -> None:
        try:
            result = future.result()
        except Exception as exc:
            if self._on_failure is None:
                show_error(self._parent, exc)
            else:
                self._on_failure(exc)
            return
        self._succeeded(result)

    def _succeeded(self, result: T) -> None:
        if self._on_success is not None:
            self._on_success(result)


class DbOp(QueryOp[T]):
    """A change: runs on the one writer thread; on success the hub announces it."""

    writes = True
    _initiator: object | None = None

    def run(self, initiator: object | None = None) -> None:
        self._initiator = initiator
        super().run()

    def _succeeded(self, result: T) -> None:
        super()._succeeded(result)
        self._ctx.hub.changes_applied.emit(result, self._initiator)
