"""StepController: the step machine a station's controller is built on (pick, returns).

Service calls run on the one writer thread, so scans apply in the order they were made.
While the screen waits on a step that changes what the next input means (a claim, a
parcel being opened or received), input is held; once the answer is told, it is
replayed. Each station names its own steps: where it starts and which steps wait.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any, Concatenate, ParamSpec, TypeVar

from PySide6.QtCore import QObject, Signal

from app.context import Actor
from ui.context import UiContext
from ui.operations import DbOp
from ui.station.feedback import Feedback, Tone
from ui.widgets.scan_input import DUPLICATE_SCAN_IGNORED

P = ParamSpec("P")
T = TypeVar("T")


class StepController(QObject):
    """Steps, feedback, held input and writer calls; subclasses say what input means."""

    step_changed = Signal(object)  # the station's step
    feedback_given = Signal(object)  # Feedback

    def __init__(
        self,
        ctx: UiContext,
        first: Enum,
        waiting: frozenset[Enum],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.step: Any = first
        self._waiting = waiting
        self._held: list[tuple[str, bool]] = []

    def scan(self, code: str, manual: bool) -> None:
        """Act on one scan or typed entry; input arriving while waiting is held."""
        if self.step in self._waiting:
            self._held.append((code, manual))
        else:
            self._act(code, manual)

    def refuse(self, message: str) -> None:
        """The scan input threw the input away; say why."""
        if message == DUPLICATE_SCAN_IGNORED:
            self._tell(message, Tone.NOTICE, "duplicate")
        else:
            self._tell(message, Tone.BAD, "error")

    def _act(self, code: str, manual: bool) -> None:
        raise NotImplementedError

    def _set_step(self, step: Any) -> None:
        self.step = step
        self.step_changed.emit(step)

    def _tell(
        self,
        message: str,
        tone: Tone,
        sound: str | None = None,
        *,
        detail: str = "",
        hint: str = "",
    ) -> None:
        """Announce feedback; then input held while waiting on the database can run."""
        self.feedback_given.emit(Feedback(message, tone, sound, detail, hint))
        self._replay()

    def _replay(self) -> None:
        while self._held and self.step not in self._waiting:
            self._act(*self._held.pop(0))

    def _write(
        self,
        done: Callable[[T], None],
        failed: Callable[[Exception], None],
        service: Callable[Concatenate[Any, Actor, P], T],
        /,
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> None:
        """`service(db, actor, *args, **kwargs)` on the writer thread, answered on this one."""
        op = DbOp(None, self._ctx, service, self._ctx.actor, *args, **kwargs)
        op.success(done).failure(failed).run(initiator=self)
