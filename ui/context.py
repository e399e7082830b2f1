"""UiContext: what every view needs, handed down from the composition root."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec, TypeVar

from app.context import Actor
from app.services.database_setup import Database
from ui.hub import AppHub
from ui.tasks import TaskRunner

P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True)
class UiContext:
    """The open database, who works on it and where, and the shared Qt plumbing.

    ui/ never imports db/, so the database stays opaque here: `call` hands it to an
    app/ service as the service's first argument.
    """

    database: object
    database_label: str
    actor: Actor
    station: str | None
    tasks: TaskRunner
    hub: AppHub

    @classmethod
    def open(cls, db: Database, actor: Actor, *, station: str | None) -> UiContext:
        """A context on `db` with its own worker threads and hub."""
        return cls(
            database=db,
            database_label=db.describe(),
            actor=actor,
            station=station,
            tasks=TaskRunner(),
            hub=AppHub(),
        )

    def call(
        self, service: Callable[Concatenate[Any, P], T], /, *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """`service(database, *args, **kwargs)`; blocking, so call it on a worker."""
        return service(self.database, *args, **kwargs)
