"""ScaleWatcher: the station's scale read on a thread of its own, weights back on the UI
thread. The reading itself (serial or HID, no Qt) is app.devices.scale."""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, Signal

from app.devices.scale import ScaleError, open_scale, watch_scale

RETRY_SECONDS = 3.0

log = logging.getLogger(__name__)


class ScaleWatcher(QObject):
    """`weighed(grams)` each time the settled weight changes (0: nothing on the scale);
    `failed(message)` when the scale cannot be read (it is retried every few seconds)."""

    weighed = Signal(int)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.spec = ""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def watch(self, spec: str) -> None:
        """Read the scale at `spec` ("" for none), stopping any other first."""
        if spec == self.spec and (self._thread is not None or not spec):
            return
        self.stop()
        self.spec = spec
        if spec:
            self._stop = threading.Event()
            self._thread = threading.Thread(
                target=self._run, args=(spec, self._stop), name="shipshape-scale", daemon=True
            )
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
            self._thread = None
        self.spec = ""

    def _run(self, spec: str, stop: threading.Event) -> None:
        last_error = ""
        while not stop.is_set():
            try:
                scale = open_scale(spec)
                try:
                    last_error = ""
                    watch_scale(scale, stop, self.weighed.emit)
                finally:
                    scale.close()
            except ScaleError as exc:
                if str(exc) != last_error:
                    last_error = str(exc)
                    log.warning("%s", exc)
                    self.failed.emit(last_error)
                stop.wait(RETRY_SECONDS)
