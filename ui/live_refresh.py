"""LiveRefresh: other stations' changes reach this window's views by themselves.

A ChangeFeed (app/) listens on its own thread; what it hears is announced on the hub on
the main thread, as `Changes` with `from_elsewhere` set, like any finished operation.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from app.changes import Changes
from app.services.change_feed import ChangeFeed
from ui.context import UiContext


class LiveRefresh(QObject):
    def __init__(self, ctx: UiContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._feed: ChangeFeed = ctx.call(ChangeFeed, self._on_feed_changes)

    def start(self) -> None:
        self._feed.start()

    def stop(self) -> None:
        self._feed.stop()

    def _on_feed_changes(self, changes: Changes) -> None:  # on the feed's thread
        hub = self._ctx.hub
        self._ctx.tasks.run_on_main(lambda: hub.changes_applied.emit(changes, None))
